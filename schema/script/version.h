// Schema versions of update scripts: dotted numbers ("8.5.200"), compared number by number.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bru::update {

// A version is one or more non-negative decimal numbers separated by dots. Comparison is
// numeric per part (8.5.10 > 8.5.9), missing trailing parts count as zero (8.5 == 8.5.0), and
// leading zeros are allowed and do not matter (2024.01.15 == 2024.1.15), so date-like versions
// work. The text as written is kept for display and for the history table.
class Version {
 public:
  // nullopt unless text is digits and single dots, starting and ending with a digit, each part at
  // most 18 digits. Surrounding blanks are not accepted: trim first.
  static std::optional<Version> parse(std::string_view text);

  const std::string& text() const { return text_; }
  const std::vector<std::uint64_t>& parts() const { return parts_; }
  // The parts without leading zeros, trailing zero parts dropped (at least one part): "8.5.0" and
  // "08.5" both give "8.5". Equal versions have equal canonical text.
  std::string canonical() const;

  friend std::strong_ordering operator<=>(const Version& left, const Version& right);
  friend bool operator==(const Version& left, const Version& right) {
    return (left <=> right) == std::strong_ordering::equal;
  }

 private:
  std::string text_;
  std::vector<std::uint64_t> parts_;
};

// Why text is not a version (for messages), or "" when it is one.
std::string version_problem(std::string_view text);

}  // namespace bru::update
