#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "schema/error.h"
#include "schema/script/script.h"

namespace bru::update {
namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
}

// If a placeholder starts at text[at] ("{{"), its length and name.
bool match_placeholder(std::string_view text, std::size_t at, std::size_t& length,
                       std::string_view& name) {
  std::size_t end = at + 2;
  while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
  if (end >= text.size() || !is_name_start(text[end])) return false;
  const std::size_t name_begin = end;
  while (end < text.size() && is_name_char(text[end])) ++end;
  name = text.substr(name_begin, end - name_begin);
  while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
  if (text.substr(end, 2) != "}}") return false;
  length = end + 2 - at;
  return true;
}

}  // namespace

std::string replace_placeholders(std::string_view text, const Defines& defines,
                                 std::string_view file_name, int first_line) {
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  std::size_t at = text.find("{{");
  while (at != std::string_view::npos) {
    std::size_t length = 0;
    std::string_view name;
    if (!match_placeholder(text, at, length, name)) {
      at = text.find("{{", at + 1);
      continue;
    }
    const auto value = defines.find(name);
    if (value == defines.end()) {
      const auto line = first_line + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
      throw Error(ErrorKind::kScript,
                  fmt::format("{}:{}: placeholder {{{{{}}}}} is not defined", file_name, line, name))
          .with_hint(fmt::format("pass -DEFINE {}=value", name));
    }
    out.append(text.substr(copied, at - copied));
    out.append(value->second);
    copied = at + length;
    at = text.find("{{", copied);
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace bru::update
