// Small text helpers shared by every layer (ASCII case folding: identifiers, keywords, switches).
#pragma once

#include <string>
#include <string_view>

namespace bru::schema {

std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);
bool equals_ignoring_case(std::string_view a, std::string_view b);

}  // namespace bru::schema
