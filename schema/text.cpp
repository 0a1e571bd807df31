#include "schema/text.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include <fmt/format.h>

namespace bru::schema {

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string to_upper(std::string_view text) {
  std::string out(text);
  for (auto& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && to_lower(a) == to_lower(b);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t col = 0; col <= b.size(); ++col) row[col] = col;
  for (std::size_t a_idx = 1; a_idx <= a.size(); ++a_idx) {
    std::size_t diagonal = row[0];
    row[0] = a_idx;
    for (std::size_t b_idx = 1; b_idx <= b.size(); ++b_idx) {
      const std::size_t above = row[b_idx];
      row[b_idx] = std::min(
          {row[b_idx] + 1, row[b_idx - 1] + 1, diagonal + (a[a_idx - 1] == b[b_idx - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

namespace {

// Length of the valid UTF-8 sequence starting text[pos] (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF), or 0 when the bytes there are not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t idx) { return static_cast<unsigned char>(text[idx]); };
  const unsigned char lead = byte(pos);
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  if (byte(pos + 1) < low || byte(pos + 1) > high) return 0;
  for (std::size_t idx = 2; idx < length; ++idx) {
    if (byte(pos + idx) < 0x80 || byte(pos + idx) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

std::string escape_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte >= 0x20 && byte < 0x7F) {
      if (byte == '\\') out += '\\';
      out += static_cast<char>(byte);
      ++pos;
      continue;
    }
    switch (byte) {
      case '\t':
        out += "\\t";
        ++pos;
        continue;
      case '\n':
        out += "\\n";
        ++pos;
        continue;
      case '\r':
        out += "\\r";
        ++pos;
        continue;
      case 0x1B:
        out += "\\e";
        ++pos;
        continue;
      default:
        break;
    }
    if (byte < 0x80) {  // the other C0 controls and DEL
      out += fmt::format("\\x{:02x}", byte);
      ++pos;
      continue;
    }
    const std::size_t length = utf8_sequence_length(text, pos);
    // U+0080..U+009F (C1 controls, encoded C2 80..C2 9F) act on terminals too.
    const bool c1_control =
        length == 2 && byte == 0xC2 && static_cast<unsigned char>(text[pos + 1]) <= 0x9F;
    if (length == 0 || c1_control) {
      const std::size_t bad = length == 0 ? 1 : length;
      for (std::size_t idx = 0; idx < bad; ++idx) {
        out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[pos + idx]));
      }
      pos += bad;
      continue;
    }
    out.append(text.substr(pos, length));
    pos += length;
  }
  return out;
}

}  // namespace bru::schema
