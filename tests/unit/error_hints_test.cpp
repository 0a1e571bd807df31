// Every error bru throws tells the user what to do: a hint at each throw site. Checked over the
// sources, so that a new `throw Error(...)` without one fails here rather than in front of a DBA.
// Factories that return an Error (script_error, usage_error, ...) are left to their callers,
// which the same scan checks at their own throw sites when they throw Error directly.
#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace bru::test {
namespace {

namespace fs = std::filesystem;

// The text from `start` to the ';' that ends its statement, skipping string literals and
// nested brackets.
std::string statement_at(const std::string& text, std::size_t start) {
  int depth = 0;
  bool in_string = false;
  std::size_t pos = start;
  for (; pos < text.size(); ++pos) {
    const char ch = text[pos];
    if (in_string) {
      if (ch == '\\') {
        ++pos;
      } else if (ch == '"') {
        in_string = false;
      }
      continue;
    }
    if (ch == '"') {
      in_string = true;
    } else if (ch == '(' || ch == '{' || ch == '[') {
      ++depth;
    } else if (ch == ')' || ch == '}' || ch == ']') {
      --depth;
    } else if (ch == ';' && depth <= 0) {
      break;
    }
  }
  return text.substr(start, pos - start);
}

bool passes_hints(const std::string& statement) {
  return statement.find("with_hint(") != std::string::npos ||
         std::regex_search(statement, std::regex(R"(\{\s*")")) ||
         statement.find("hints") != std::string::npos;
}

// "file:line: statement" for each Error thrown or built without a hint.
std::vector<std::string> errors_without_hints() {
  std::vector<std::string> missing;
  const std::regex construction(R"(throw\s+Error\s*\(|Error\s+(\w+)\s*\(\s*ErrorKind)");
  for (const char* folder : {"bru", "schema", "formats"}) {
    for (const auto& entry : fs::recursive_directory_iterator(source_path(folder))) {
      if (entry.path().extension() != ".cpp") continue;
      const std::string text = read_text(entry.path());
      for (std::sregex_iterator match(text.begin(), text.end(), construction), end; match != end;
           ++match) {
        const auto start = static_cast<std::size_t>(match->position());
        const std::string statement = statement_at(text, start);
        if (passes_hints(statement)) continue;
        // A named error may get its hints on the lines that follow.
        if ((*match)[1].matched) {
          const std::string after = text.substr(start + statement.size(), 1500);
          if (after.find((*match)[1].str() + ".with_hint(") != std::string::npos) continue;
        }
        const auto line = std::count(text.begin(), text.begin() + match->position(), '\n') + 1;
        missing.push_back(fs::relative(entry.path(), source_path("")).string() + ":" +
                          std::to_string(line) + ": " + statement.substr(0, 120));
      }
    }
  }
  return missing;
}

TEST(ErrorHints, EveryThrowSiteGivesAHint) {
  EXPECT_EQ(errors_without_hints(), std::vector<std::string>{});
}

TEST(ErrorHints, TheScanFindsAThrowWithoutAHint) {
  const std::string text = "void f() {\n  throw Error(ErrorKind::kIo, \"x; y\");\n}\n";
  const auto start = text.find("throw");
  EXPECT_EQ(statement_at(text, start), "throw Error(ErrorKind::kIo, \"x; y\")");
  EXPECT_FALSE(passes_hints(statement_at(text, start)));
  EXPECT_TRUE(passes_hints("throw Error(ErrorKind::kIo, \"x\").with_hint(\"do y\")"));
}

}  // namespace
}  // namespace bru::test
