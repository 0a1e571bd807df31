// Values in the text of a bulk load: PostgreSQL's COPY text (bru/pg/copy_loader.cpp) and
// MariaDB's LOAD DATA (bru/mariadb/load_data_loader.cpp). Both escape some of the control
// characters (below 0x20: tab, newline, carriage return and NUL among them) and the backslash;
// most values hold none, so the scan for them skips 8 bytes at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <charconv>
#include <cstring>
#include <string>
#include <string_view>

namespace bru::data {

// Whether any of the 8 bytes of `word` is a control character or a backslash: the bit tricks of
// "has a byte less than n" and "has a zero byte" (of word ^ backslashes), exact for the question
// whether any byte is.
inline bool may_need_escape(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u;
  constexpr std::uint64_t kHighBits = 0x8080808080808080u;
  const std::uint64_t control = (word - kOnes * 0x20) & ~word & kHighBits;
  const std::uint64_t backslashes = word ^ (kOnes * '\\');
  return (control | ((backslashes - kOnes) & ~backslashes & kHighBits)) != 0;
}

// The position of the first control character or backslash of `value` at or after `pos`, or
// value.size().
inline std::size_t next_escape_candidate(std::string_view value, std::size_t pos) {
  while (pos + sizeof(std::uint64_t) <= value.size()) {
    std::uint64_t word = 0;
    std::memcpy(&word, value.data() + pos, sizeof word);
    if (may_need_escape(word)) break;
    pos += sizeof word;
  }
  for (; pos < value.size(); ++pos) {
    const auto byte = static_cast<unsigned char>(value[pos]);
    if (byte < 0x20 || byte == '\\') return pos;
  }
  return value.size();
}

// Appends `value` to `out` with each byte that escape_of(byte) gives a text for (a const char*,
// nullptr: the byte as it is) replaced by that text. escape_of is asked only about control
// characters and backslashes.
template <class EscapeOf>
void append_escaped(std::string& out, std::string_view value, EscapeOf escape_of) {
  std::size_t start = 0;
  for (std::size_t pos = next_escape_candidate(value, 0); pos < value.size();
       pos = next_escape_candidate(value, pos + 1)) {
    const char* escape = escape_of(value[pos]);
    if (escape == nullptr) continue;
    out.append(value.substr(start, pos - start));
    out.append(escape);
    start = pos + 1;
  }
  out.append(value.substr(start));
}

inline void append_int(std::string& out, std::int64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

// The shortest text that reads back as the same double: exact for a double column, and a float
// column rounds it as it rounds a bound double. Only for finite values (engines spell NaN and
// the infinities each their own way).
inline void append_finite_double(std::string& out, double value) {
  char digits[32];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

}  // namespace bru::data
