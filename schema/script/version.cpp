#include "schema/script/version.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace bru::update {
namespace {
constexpr std::size_t kMaxPartDigits = 18;  // keeps every part below 10^18 < 2^63
}

std::string version_problem(std::string_view text) {
  if (text.empty()) return "it is empty";
  std::size_t digits = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    const char c = text[at];
    if (c == '.') {
      if (digits == 0) return "it has an empty part (a dot at the start, the end or twice)";
      digits = 0;
    } else if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      if (++digits > kMaxPartDigits) {
        return fmt::format("a part has more than {} digits", kMaxPartDigits);
      }
    } else {
      return fmt::format("'{}' is not a digit or a dot", c);
    }
  }
  if (digits == 0) return "it has an empty part (a dot at the start, the end or twice)";
  return {};
}

std::optional<Version> Version::parse(std::string_view text) {
  if (!version_problem(text).empty()) return std::nullopt;
  Version version;
  version.text_ = std::string(text);
  std::uint64_t part = 0;
  for (const char c : text) {
    if (c == '.') {
      version.parts_.push_back(part);
      part = 0;
    } else {
      part = part * 10 + static_cast<std::uint64_t>(c - '0');
    }
  }
  version.parts_.push_back(part);
  return version;
}

std::string Version::canonical() const {
  std::size_t kept = parts_.size();
  while (kept > 1 && parts_[kept - 1] == 0) --kept;
  std::string out;
  for (std::size_t at = 0; at < kept; ++at) {
    if (at > 0) out += '.';
    out += std::to_string(parts_[at]);
  }
  return out;
}

std::strong_ordering operator<=>(const Version& left, const Version& right) {
  const std::size_t parts = std::max(left.parts_.size(), right.parts_.size());
  for (std::size_t at = 0; at < parts; ++at) {
    const std::uint64_t a = at < left.parts_.size() ? left.parts_[at] : 0;
    const std::uint64_t b = at < right.parts_.size() ? right.parts_[at] : 0;
    if (a != b) return a <=> b;
  }
  return std::strong_ordering::equal;
}

}  // namespace bru::update
