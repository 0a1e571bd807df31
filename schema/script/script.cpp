#include "schema/script/script.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

// Header-only use of xxHash keeps the schema layer free of a link dependency.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "schema/error.h"

namespace bru::update {
namespace {

using schema::Statement;

struct Line {
  std::size_t begin = 0;  // offset in the normalised text
  std::string_view text;  // without the '\n'
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) {
      if (begin < text.size()) lines.push_back({begin, text.substr(begin)});
      break;
    }
    lines.push_back({begin, text.substr(begin, end - begin)});
    begin = end + 1;
  }
  return lines;
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

// A `-- bru:<name> <argument>` line.
struct Directive {
  std::string name;  // lower case; empty when the line is not a directive
  std::string_view argument;
};

Directive read_directive(std::string_view line) {
  std::string_view rest = trim_blanks(line);
  if (!rest.starts_with("--")) return {};
  rest.remove_prefix(2);
  while (!rest.empty() && is_blank(rest.front())) rest.remove_prefix(1);
  if (rest.size() < 4) return {};
  std::string prefix(rest.substr(0, 4));
  for (char& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (prefix != "bru:") return {};
  rest.remove_prefix(4);
  std::size_t name_end = 0;
  while (name_end < rest.size() &&
         (std::isalpha(static_cast<unsigned char>(rest[name_end])) != 0 || rest[name_end] == '_')) {
    ++name_end;
  }
  if (name_end == 0 || (name_end < rest.size() && !is_blank(rest[name_end]))) return {};
  Directive directive;
  directive.name = std::string(rest.substr(0, name_end));
  for (char& c : directive.name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  directive.argument = trim_blanks(rest.substr(name_end));
  return directive;
}

Error script_error(std::string_view file, int line, std::string message) {
  return Error(ErrorKind::kScript, fmt::format("{}:{}: {}", file, line, message));
}

Version parse_marker_version(std::string_view argument, std::string_view marker,
                             std::string_view file, int line) {
  const std::string problem = version_problem(argument);
  if (!problem.empty()) {
    throw script_error(
        file, line, fmt::format("bad version \"{}\" in -- bru:{}: {}", argument, marker, problem))
        .with_hint(fmt::format("versions are dotted numbers, e.g. -- bru:{} 8.5.200", marker));
  }
  return *Version::parse(argument);
}

// The history keeps a repeatable section's name where a version goes (50 characters).
constexpr std::size_t kMaxRepeatableName = 50;

std::string parse_repeatable_name(std::string_view argument, std::string_view file, int line) {
  if (argument.empty() || argument.size() > kMaxRepeatableName) {
    throw script_error(file, line,
                       argument.empty()
                           ? std::string("-- bru:repeatable needs a name")
                           : fmt::format("repeatable name \"{}\" is longer than {} bytes", argument,
                                         kMaxRepeatableName))
        .with_hint("name each repeatable section, e.g. -- bru:repeatable order views");
  }
  return std::string(argument);
}

bool parse_transaction_argument(std::string_view argument, std::string_view file, int line) {
  std::string word(argument);
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (word == "off") return false;
  if (word == "on") return true;
  throw script_error(file, line,
                     fmt::format("-- bru:transaction \"{}\" is not on or off", argument))
      .with_hint(
          "write -- bru:transaction off for a section that cannot run in a transaction "
          "(CREATE INDEX CONCURRENTLY, VACUUM, ALTER DATABASE)");
}

// A section found in a file, before splitting: its body is lines [body_first, body_end).
struct RawSection {
  SectionKind kind = SectionKind::kVersioned;
  Version version;
  std::string name;
  std::string description;
  bool transactional = true;
  int marker_line = 0;
  std::size_t body_first = 0;
  std::size_t body_end = 0;
};

std::string join_lines(const std::vector<Line>& lines, std::size_t first, std::size_t end) {
  std::string body;
  for (std::size_t at = first; at < end; ++at) {
    body.append(lines[at].text);
    body.push_back('\n');
  }
  return body;
}

// Splits, checks and substitutes one section body that starts at first_line of file.
Section build_section(RawSection raw, std::string_view file, std::string_view body, int first_line,
                      std::string_view dialect, const Defines& defines) {
  Section section;
  section.kind = raw.kind;
  section.version = std::move(raw.version);
  section.name = std::move(raw.name);
  section.description = std::move(raw.description);
  section.transactional = raw.transactional;
  const int marker_line = raw.marker_line;
  section.file = std::string(file);
  section.line = marker_line;
  section.checksum = section_checksum(body);
  // Every placeholder of the section must have a value, even one in a comment: the same script
  // must not need a -DEFINE on one run and not on another depending on where a statement ends.
  (void)replace_placeholders(body, defines, file, first_line);
  section.statements = schema::split_statements(dialect, body, file, first_line);
  for (Statement& statement : section.statements) {
    section.statement_checksums.push_back(section_checksum(statement.text));
    statement.text = replace_placeholders(statement.text, defines, file, statement.line);
  }
  return section;
}

// Sorts built sections into the script's three lists, checking what spans sections: an undo
// section undoes a version the script has, once; repeatable names are unique.
void file_sections(Script& script, std::vector<Section> sections) {
  for (Section& section : sections) {
    switch (section.kind) {
      case SectionKind::kVersioned:
        script.sections.push_back(std::move(section));
        break;
      case SectionKind::kRepeatable:
        script.repeatables.push_back(std::move(section));
        break;
      case SectionKind::kUndo:
        script.undos.push_back(std::move(section));
        break;
    }
  }
  for (std::size_t at = 0; at < script.undos.size(); ++at) {
    const Section& undo = script.undos[at];
    if (script.find(undo.version) == nullptr) {
      throw script_error(undo.file, undo.line,
                         fmt::format("undo of version {}, which the script has no section for",
                                     undo.version.text()))
          .with_hint(
              "an undo section names the version it takes back: check the version after "
              "-- bru:undo");
    }
    for (std::size_t before = 0; before < at; ++before) {
      if (script.undos[before].version == undo.version) {
        throw script_error(
            undo.file, undo.line,
            fmt::format("a second undo of version {} (the first is at {}:{})", undo.version.text(),
                        script.undos[before].file, script.undos[before].line))
            .with_hint("give each version at most one undo section");
      }
    }
  }
  for (std::size_t at = 0; at < script.repeatables.size(); ++at) {
    const Section& repeatable = script.repeatables[at];
    for (std::size_t before = 0; before < at; ++before) {
      if (script.repeatables[before].name == repeatable.name) {
        throw script_error(repeatable.file, repeatable.line,
                           fmt::format("a second repeatable section \"{}\" (the first is at {}:{})",
                                       repeatable.name, script.repeatables[before].file,
                                       script.repeatables[before].line))
            .with_hint("give each repeatable section its own name");
      }
    }
  }
}

void check_dialect(std::string_view dialect) {
  const auto& known = schema::script_dialects();
  if (std::find(known.begin(), known.end(), dialect) == known.end()) {
    // split_statements names the known dialects in its error.
    (void)schema::split_statements(dialect, "", "");
  }
}

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::kIo, fmt::format("cannot read script \"{}\": {}", path.string(),
                                            std::generic_category().message(errno)))
        .with_hint("check the file's permissions");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    throw Error(ErrorKind::kIo, fmt::format("cannot read script \"{}\"", path.string()))
        .with_hint(
            "the file could be opened but not read to its end: check the disk and the "
            "file system holding it");
  }
  return buffer.str();
}

// A file of a script folder, by its name: V<version>__<description>.sql,
// U<version>__<description>.sql (undo) or R__<name>.sql (repeatable); `_` in a version reads as
// `.`, in a description or name as a blank.
struct FolderFile {
  SectionKind kind = SectionKind::kVersioned;
  Version version;
  std::string name;  // repeatable
  std::string description;
  std::filesystem::path path;
};

bool parse_folder_name(const std::string& name, FolderFile& file) {
  if (name.size() < 6) return false;
  const std::string stem = name.substr(0, name.size() - 4);
  if (stem.rfind("R__", 0) == 0) {
    if (stem.size() == 3 || stem.size() - 3 > kMaxRepeatableName) return false;
    file.kind = SectionKind::kRepeatable;
    file.name = stem.substr(3);
    std::replace(file.name.begin(), file.name.end(), '_', ' ');
    return true;
  }
  if (stem[0] != 'V' && stem[0] != 'U') return false;
  const std::size_t separator = stem.find("__");
  if (separator == std::string::npos || separator < 2) return false;
  std::string version_text = stem.substr(1, separator - 1);
  std::replace(version_text.begin(), version_text.end(), '_', '.');
  if (!version_problem(version_text).empty()) return false;
  file.kind = stem[0] == 'U' ? SectionKind::kUndo : SectionKind::kVersioned;
  file.version = *Version::parse(version_text);
  file.description = stem.substr(separator + 2);
  std::replace(file.description.begin(), file.description.end(), '_', ' ');
  return true;
}

bool has_sql_extension(const std::string& name) {
  if (name.size() < 4) return false;
  std::string extension = name.substr(name.size() - 4);
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension == ".sql";
}

// Builds the section of one folder file. Its first line may be `-- bru:transaction off`; any
// other `-- bru:` line is an error, since the name gives version and description.
Section folder_section(const FolderFile& candidate, std::string_view dialect,
                       const Defines& defines) {
  const std::string file = candidate.path.string();
  const std::string text = schema::normalise_line_endings(read_text_file(candidate.path));
  const std::vector<Line> lines = split_lines(text);
  RawSection raw;
  raw.kind = candidate.kind;
  raw.version = candidate.version;
  raw.name = candidate.name;
  raw.description = candidate.description;
  raw.marker_line = 1;
  raw.body_end = lines.size();
  for (std::size_t line = 0; line < lines.size(); ++line) {
    const Directive directive = read_directive(lines[line].text);
    if (directive.name.empty()) continue;
    if (line == 0 && directive.name == "transaction") {
      raw.transactional = parse_transaction_argument(directive.argument, file, 1);
      raw.body_first = 1;
      continue;
    }
    throw script_error(file, static_cast<int>(line) + 1,
                       fmt::format("-- bru:{} in a script folder's file", directive.name))
        .with_hint(
            "in a folder the file name gives the version and description (only -- "
            "bru:transaction off may stand, on the first line): remove the line, or use "
            "one script file of sections instead of the folder");
  }
  const int first_line = static_cast<int>(raw.body_first) + 1;
  const std::string body = join_lines(lines, raw.body_first, raw.body_end);
  return build_section(std::move(raw), file, body, first_line, dialect, defines);
}

Script load_folder(const std::filesystem::path& folder, std::string_view dialect,
                   const Defines& defines) {
  std::vector<FolderFile> candidates;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (!has_sql_extension(name)) continue;
    FolderFile candidate;
    if (!parse_folder_name(name, candidate)) {
      throw Error(ErrorKind::kScript,
                  fmt::format("{}: not a versioned script name", entry.path().string()))
          .with_hint(
              "name each file V<version>__<description>.sql, e.g. V8.5.200__add_task_sequences.sql "
              "(U<version>__<description>.sql undoes a version, R__<name>.sql is repeatable)");
    }
    candidate.path = entry.path();
    candidates.push_back(std::move(candidate));
  }
  if (error) {
    throw Error(ErrorKind::kIo, fmt::format("cannot list script folder \"{}\": {}", folder.string(),
                                            error.message()))
        .with_hint("check that bru may read and enter the folder given to -SCRIPT");
  }
  const bool any_versioned =
      std::any_of(candidates.begin(), candidates.end(),
                  [](const FolderFile& file) { return file.kind == SectionKind::kVersioned; });
  if (!any_versioned) {
    throw Error(ErrorKind::kScript,
                fmt::format("{}: no V<version>__<description>.sql files", folder.string()))
        .with_hint("give -SCRIPT a script file, or a folder of V<version>__<description>.sql files");
  }
  // Versioned and undo files in version order (not name order: V10 after V2), repeatable ones
  // by name.
  std::sort(candidates.begin(), candidates.end(), [](const FolderFile& a, const FolderFile& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.kind == SectionKind::kRepeatable) return a.path.filename() < b.path.filename();
    return a.version < b.version;
  });

  Script script;
  script.source = folder.string();
  script.dialect = std::string(dialect);
  std::vector<Section> sections;
  for (std::size_t at = 0; at < candidates.size(); ++at) {
    const FolderFile& candidate = candidates[at];
    if (at > 0 && candidate.kind == SectionKind::kVersioned &&
        candidates[at - 1].kind == SectionKind::kVersioned &&
        candidates[at - 1].version == candidate.version) {
      throw Error(ErrorKind::kScript,
                  fmt::format("{} and {} have the same version {}",
                              candidates[at - 1].path.string(), candidate.path.string(),
                              candidate.version.canonical()))
          .with_hint("give each file its own version (1.2 and 1.2.0 are the same version)");
    }
    sections.push_back(folder_section(candidate, dialect, defines));
  }
  file_sections(script, std::move(sections));
  return script;
}

}  // namespace

const Section* Script::find(const Version& version) const {
  for (const Section& section : sections) {
    if (section.version == version) return &section;
  }
  return nullptr;
}

const Section* Script::find_undo(const Version& version) const {
  for (const Section& section : undos) {
    if (section.version == version) return &section;
  }
  return nullptr;
}

std::string Section::label() const {
  switch (kind) {
    case SectionKind::kRepeatable:
      return "repeatable " + name;
    case SectionKind::kUndo:
      return "undo of version " + version.text();
    case SectionKind::kVersioned:
      break;
  }
  return "version " + version.text();
}

std::vector<const Section*> Script::pending(const std::optional<Version>& current,
                                            const std::optional<Version>& target) const {
  std::vector<const Section*> out;
  for (const Section& section : sections) {
    if (current && !(section.version > *current)) continue;
    if (target && section.version > *target) break;
    out.push_back(&section);
  }
  return out;
}

std::string section_checksum(std::string_view body) {
  const std::string text = schema::normalise_line_endings(body);
  std::vector<std::string_view> lines;
  for (const Line& line : split_lines(text)) {
    std::string_view kept = line.text;
    while (!kept.empty() && is_blank(kept.back())) kept.remove_suffix(1);
    lines.push_back(kept);
  }
  std::size_t first = 0;
  while (first < lines.size() && lines[first].empty()) ++first;
  std::size_t end = lines.size();
  while (end > first && lines[end - 1].empty()) --end;
  std::string normalised;
  for (std::size_t at = first; at < end; ++at) {
    if (at > first) normalised.push_back('\n');
    normalised.append(lines[at]);
  }
  return fmt::format("{:016x}", XXH3_64bits(normalised.data(), normalised.size()));
}

Script parse_script(std::string_view raw_text, std::string_view file_name,
                    std::string_view dialect, const Defines& defines) {
  check_dialect(dialect);
  const std::string text = schema::normalise_line_endings(raw_text);
  const std::vector<Line> lines = split_lines(text);
  // Drivers take statement text as C strings: a statement would run up to the NUL and be
  // reported as applied.
  for (std::size_t at = 0; at < lines.size(); ++at) {
    if (lines[at].text.find('\0') != std::string_view::npos) {
      throw script_error(file_name, static_cast<int>(at) + 1, "the line holds a NUL byte")
          .with_hint("a script is text; remove the NUL byte (is the file UTF-16 or binary?)");
    }
  }

  std::vector<RawSection> raw_sections;
  // Versioned sections only: repeatable and undo sections may stand anywhere.
  std::optional<std::size_t> previous_versioned;  // index in raw_sections
  for (std::size_t at = 0; at < lines.size(); ++at) {
    const int line_number = static_cast<int>(at) + 1;
    const Directive directive = read_directive(lines[at].text);
    if (directive.name.empty()) continue;
    const bool in_header = !raw_sections.empty() && raw_sections.back().body_first == at;
    if (directive.name == "version" || directive.name == "undo" || directive.name == "repeatable") {
      RawSection section;
      section.marker_line = line_number;
      section.body_first = at + 1;
      section.body_end = lines.size();
      if (directive.name == "repeatable") {
        section.kind = SectionKind::kRepeatable;
        section.name = parse_repeatable_name(directive.argument, file_name, line_number);
      } else {
        section.kind = directive.name == "undo" ? SectionKind::kUndo : SectionKind::kVersioned;
        section.version =
            parse_marker_version(directive.argument, directive.name, file_name, line_number);
      }
      if (!raw_sections.empty()) raw_sections.back().body_end = at;
      if (section.kind == SectionKind::kVersioned && previous_versioned) {
        const RawSection& previous = raw_sections[*previous_versioned];
        if (section.version == previous.version) {
          throw script_error(file_name, line_number,
                             fmt::format("version {} repeats the version of the section at line {}",
                                         section.version.text(), previous.marker_line))
              .with_hint("give each section its own, higher version (1.2 and 1.2.0 are the same)");
        }
        if (section.version < previous.version) {
          throw script_error(
              file_name, line_number,
              fmt::format("version {} is lower than {} (the section at line {})",
                          section.version.text(), previous.version.text(), previous.marker_line))
              .with_hint(
                  "sections run in file order: give each a higher version than the one "
                  "before (versions compare number by number: 8.5.10 > 8.5.9)");
        }
      }
      if (section.kind == SectionKind::kVersioned) previous_versioned = raw_sections.size();
      raw_sections.push_back(std::move(section));
    } else if (directive.name == "description") {
      if (!in_header || !raw_sections.back().description.empty()) {
        throw script_error(file_name, line_number,
                           "-- bru:description must come right after a -- bru:version line")
            .with_hint(
                "move it to the line after its section's -- bru:version, -- bru:undo or "
                "-- bru:repeatable marker");
      }
      raw_sections.back().description = std::string(directive.argument);
      raw_sections.back().body_first = at + 1;
    } else if (directive.name == "transaction") {
      if (!in_header) {
        throw script_error(file_name, line_number,
                           "-- bru:transaction must come right after a section's marker (and "
                           "description)")
            .with_hint(
                "move it into the section's header, e.g. -- bru:version 1.2, then "
                "-- bru:transaction off");
      }
      raw_sections.back().transactional =
          parse_transaction_argument(directive.argument, file_name, line_number);
      raw_sections.back().body_first = at + 1;
    } else {
      throw script_error(file_name, line_number,
                         fmt::format("unknown directive -- bru:{}", directive.name))
          .with_hint(
              "bru knows -- bru:version <version>, -- bru:undo <version>, -- bru:repeatable "
              "<name>, -- bru:description <text> and -- bru:transaction off");
    }
  }

  if (!previous_versioned) {
    throw Error(ErrorKind::kScript, fmt::format("{}: no -- bru:version marker", file_name))
        .with_hint("start each section with a line -- bru:version <version>, e.g. "
                   "-- bru:version 8.5.200");
  }
  const std::size_t preamble_end = static_cast<std::size_t>(raw_sections.front().marker_line - 1);
  const auto preamble =
      schema::split_statements(dialect, join_lines(lines, 0, preamble_end), file_name, 1);
  if (!preamble.empty()) {
    throw script_error(file_name, preamble.front().line,
                       "statement before the first -- bru:version marker")
        .with_hint("put a -- bru:version <version> line above it: every statement belongs to a "
                   "versioned section");
  }

  Script script;
  script.source = std::string(file_name);
  script.dialect = std::string(dialect);
  std::vector<Section> sections;
  for (RawSection& raw : raw_sections) {
    const std::string body = join_lines(lines, raw.body_first, raw.body_end);
    const int first_line = static_cast<int>(raw.body_first) + 1;
    sections.push_back(
        build_section(std::move(raw), file_name, body, first_line, dialect, defines));
  }
  file_sections(script, std::move(sections));
  return script;
}

Script load_script(const std::filesystem::path& path, std::string_view dialect,
                   const Defines& defines) {
  check_dialect(dialect);
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) {
    throw Error(ErrorKind::kNotFound, fmt::format("script \"{}\" does not exist", path.string()))
        .with_hint("check the -SCRIPT path");
  }
  if (std::filesystem::is_directory(status)) return load_folder(path, dialect, defines);
  return parse_script(read_text_file(path), path.string(), dialect, defines);
}

}  // namespace bru::update
