// Small text helpers shared by every layer (ASCII case folding: identifiers, keywords, switches;
// edit distance for "did you mean ...?" suggestions; escaping names for a terminal).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bru::schema {

std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);
bool equals_ignoring_case(std::string_view a, std::string_view b);

// Levenshtein distance (insertions, deletions, substitutions of bytes), for suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The text as one printable line for a terminal: C0 control characters, DEL and the C1 controls
// (U+0080..U+009F) become \t, \n, \r, \e or \xNN, a backslash becomes \\, and bytes that are not
// valid UTF-8 become \xNN. Valid UTF-8 (accents, CJK, emoji) is kept as it is. A name that needs
// no escaping comes back unchanged, so ordinary output does not change.
std::string escape_for_terminal(std::string_view text);

}  // namespace bru::schema
