// bru's three descriptions of its command line, kept from drifting apart: the option table that
// bru --help prints, the man page (bru/doc/bru.1) and the bash completion
// (bru/doc/bru.bash-completion) must name the same switches, agree on which take a value, and
// the man page must list the exit codes --help lists. Plus the exact text of -V and of the
// parts of --help beyond the option table.
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace bru::test {
namespace {

// Switch name (lower case, as --help spells it) -> whether it takes a value.
using Switches = std::map<std::string, bool>;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The lines of --help between a "<title>:" line and the next blank line.
std::vector<std::string> help_section(const std::string& help, const std::string& title) {
  std::vector<std::string> section;
  bool inside = false;
  for (const auto& line : lines_of(help)) {
    if (line == title + ":") {
      inside = true;
    } else if (inside && line.empty()) {
      break;
    } else if (inside) {
      section.push_back(line);
    }
  }
  return section;
}

// boost::program_options prints "  -h [ --help ]   text" or "  --db arg   text".
Switches help_switches(const std::string& help) {
  const std::regex entry(R"(^  (?:-\w \[ )?--([a-z][a-z-]*)(?: \])?( arg)? )");
  Switches switches;
  for (const auto& line : help_section(help, "options")) {
    std::smatch match;
    if (std::regex_search(line, match, entry)) switches[match[1]] = match[2].matched;
  }
  return switches;
}

// Each switch is a ".TP" entry whose tag line is ".B \-NAME" (no value), ".BI \-NAME " value""
// or ".BR \-NAME ", " \-x" (no value, with its short form).
Switches man_switches(const std::string& page) {
  const std::regex tag(R"(^\.(B|BI|BR) \\-([A-Z][A-Z\\-]+)\b)");
  Switches switches;
  const auto lines = lines_of(page);
  for (std::size_t line_idx = 1; line_idx < lines.size(); ++line_idx) {
    std::smatch match;
    if (lines[line_idx - 1] != ".TP" || !std::regex_search(lines[line_idx], match, tag)) continue;
    const std::string name = std::regex_replace(match[2].str(), std::regex(R"(\\-)"), "-");
    switches[lower(name)] = match[1] == "BI";
  }
  return switches;
}

// The words of a shell assignment name="..." (may span lines).
std::vector<std::string> shell_words(const std::string& script, const std::string& name) {
  const auto start = script.find(name + "=\"");
  if (start == std::string::npos) return {};
  const auto open = start + name.size() + 2;
  std::istringstream words(script.substr(open, script.find('"', open) - open));
  std::vector<std::string> out;
  for (std::string word; words >> word;) out.push_back(word);
  return out;
}

Switches completion_switches(const std::string& script) {
  Switches switches;
  for (const auto& word : shell_words(script, "_bru_flag_switches")) switches[lower(word)] = false;
  for (const auto& word : shell_words(script, "_bru_value_switches")) switches[lower(word)] = true;
  return switches;
}

std::set<int> help_exit_codes(const std::string& help) {
  std::set<int> codes;
  for (const auto& line : help_section(help, "exit codes")) codes.insert(std::stoi(line));
  return codes;
}

// Exit codes are the ".TP" entries tagged ".B <number>".
std::set<int> man_exit_codes(const std::string& page) {
  std::set<int> codes;
  const auto lines = lines_of(page);
  const std::regex tag(R"(^\.B (\d+)$)");
  for (std::size_t line_idx = 1; line_idx < lines.size(); ++line_idx) {
    std::smatch match;
    if (lines[line_idx - 1] == ".TP" && std::regex_match(lines[line_idx], match, tag)) {
      codes.insert(std::stoi(match[1]));
    }
  }
  return codes;
}

class DocsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto result = run_bru({"--help"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    help_ = result.out;
    page_ = read_text(source_path("bru/doc/bru.1"));
    completion_ = read_text(source_path("bru/doc/bru.bash-completion"));
    ASSERT_FALSE(page_.empty());
    ASSERT_FALSE(completion_.empty());
  }
  std::string help_, page_, completion_;
};

TEST_F(DocsTest, ManPageAndCompletionNameEverySwitchOfHelp) {
  const auto from_help = help_switches(help_);
  // The parser must have found the table, not an empty set that trivially matches.
  ASSERT_GE(from_help.size(), 30u) << help_;
  ASSERT_TRUE(from_help.count("db") && from_help.at("db")) << help_;
  ASSERT_TRUE(from_help.count("help") && !from_help.at("help")) << help_;
  EXPECT_EQ(man_switches(page_), from_help) << "bru/doc/bru.1 and bru --help disagree";
  EXPECT_EQ(completion_switches(completion_), from_help)
      << "bru/doc/bru.bash-completion and bru --help disagree";
}

TEST_F(DocsTest, ManPageListsTheExitCodesOfHelp) {
  const auto from_help = help_exit_codes(help_);
  ASSERT_EQ(from_help, (std::set<int>{0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 70}));
  EXPECT_EQ(man_exit_codes(page_), from_help);
}

TEST_F(DocsTest, HelpEndsWithTheExitCodesAndTheEnvironment) {
  EXPECT_EQ(help_.rfind("usage: bru -BACKUP  -DB <conn> -FILE <archive>", 0), 0u) << help_;
  EXPECT_EQ(help_.find("lists every option"), std::string::npos) << help_;
  const auto tail = help_.find("\nexit codes:\n");
  ASSERT_NE(tail, std::string::npos) << help_;
  EXPECT_EQ(help_.substr(tail),
            "\n"
            "exit codes:\n"
            "  0   success\n"
            "  2   usage            bad command line or connection string\n"
            "  3   connect          cannot reach the server, log in or stay connected\n"
            "  4   database         a statement failed on the server\n"
            "  5   archive-corrupt  not an archive, incomplete, truncated, checksum mismatch\n"
            "  6   archive-version  archive written by a newer format version\n"
            "  7   io               cannot read, write, sync or rename a file; disk full\n"
            "  8   verify           restored data does not match the archive (nothing committed)\n"
            "  9   script           an update script cannot be parsed\n"
            "  10  conflict         refusing to overwrite: existing archive, non-empty target, "
            "lock\n"
            "  11  type-mapping     a value or type cannot be represented in the target\n"
            "  12  interrupted      stopped by SIGINT/SIGTERM; nothing partial kept\n"
            "  13  not-found        a named table, file or version does not exist\n"
      "  14  incomplete       -MIGRATE used its -DURATION budget: run it again\n"
            "  70  internal         a bug in bru\n"
            "\n"
            "environment:\n"
            "  BRU_PASSWORD  the password when neither -DB, -PASSWORD-FILE nor -PASSWORD-ENV "
            "gives one\n"
            "  USER          SQLite -UPDATE: the name recorded as installed_by\n"
            "  No variable gives an archive key by itself: -KEY-ENV <name> names the one to "
            "read.\n"
            "  When bru has no password at all, the driver's own fallbacks apply (bru leaves "
            "them alone):\n"
            "  PGPASSWORD, PGPASSFILE (default ~/.pgpass)  postgres, read by libpq\n"
            "  MYSQL_PWD                                   mariadb, read by Connector/C\n"
            "  PGHOST, PGPORT, PGDATABASE, PGUSER, MYSQL_HOST, MYSQL_TCP_PORT are never used: "
            "-DB names\n"
            "  host, port, database and user.\n");
}

TEST(VersionTest, DashVAndVersionPrintTheVersion) {
  for (const std::string switch_name : {"-V", "--version", "-VERSION"}) {
    const auto result = run_bru({switch_name});
    EXPECT_EQ(result.exit_code, 0) << switch_name;
    EXPECT_EQ(result.out, "bru " BRU_VERSION "\n") << switch_name;
    EXPECT_EQ(result.err, "") << switch_name;
  }
}

}  // namespace
}  // namespace bru::test
