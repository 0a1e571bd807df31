// Versions of update scripts (schema/script/version.h).
#include <gtest/gtest.h>

#include "schema/script/version.h"

namespace bru::update {
namespace {

Version v(std::string_view text) {
  auto version = Version::parse(text);
  EXPECT_TRUE(version.has_value()) << text;
  return version.value_or(Version{});
}

TEST(ScriptVersion, ParsesDottedNumbersAndKeepsTheText) {
  const Version version = v("8.5.200");
  EXPECT_EQ(version.text(), "8.5.200");
  EXPECT_EQ(version.parts(), (std::vector<std::uint64_t>{8, 5, 200}));
  EXPECT_EQ(v("7").parts(), (std::vector<std::uint64_t>{7}));
  EXPECT_EQ(v("2024.01.15").parts(), (std::vector<std::uint64_t>{2024, 1, 15}));
  EXPECT_EQ(v("2024.01.15").text(), "2024.01.15");
  EXPECT_EQ(v("999999999999999999").parts(), (std::vector<std::uint64_t>{999999999999999999ULL}));
}

TEST(ScriptVersion, RejectsAnythingButDigitsAndSingleDots) {
  for (const char* bad : {"", ".", "8..5", ".1", "1.", "1.a", " 1", "1 ", "1-2", "v1", "1_2",
                          "1234567890123456789"}) {
    EXPECT_FALSE(Version::parse(bad).has_value()) << bad;
  }
}

TEST(ScriptVersion, ExplainsWhyATextIsNotAVersion) {
  EXPECT_EQ(version_problem(""), "it is empty");
  EXPECT_EQ(version_problem("8..5"), "it has an empty part (a dot at the start, the end or twice)");
  EXPECT_EQ(version_problem("8.5."), "it has an empty part (a dot at the start, the end or twice)");
  EXPECT_EQ(version_problem("8.x"), "'x' is not a digit or a dot");
  EXPECT_EQ(version_problem("1.1234567890123456789"), "a part has more than 18 digits");
  EXPECT_EQ(version_problem("8.5.200"), "");
}

TEST(ScriptVersion, ComparesNumberByNumber) {
  EXPECT_GT(v("8.5.10"), v("8.5.9"));
  EXPECT_LT(v("8.5.9"), v("8.5.10"));
  EXPECT_GT(v("10"), v("9.99"));
  EXPECT_GT(v("1.0.1"), v("1"));
  EXPECT_LT(v("6.5"), v("7.0.0.1"));
}

TEST(ScriptVersion, TrailingZeroPartsAndLeadingZerosDoNotMatter) {
  EXPECT_EQ(v("8.5"), v("8.5.0"));
  EXPECT_EQ(v("8.5.0.0"), v("8.5"));
  EXPECT_EQ(v("2024.01.15"), v("2024.1.15"));
  EXPECT_EQ(v("8.5.0").canonical(), "8.5");
  EXPECT_EQ(v("08.05").canonical(), "8.5");
  EXPECT_EQ(v("0").canonical(), "0");
  EXPECT_EQ(v("0.0").canonical(), "0");
}

}  // namespace
}  // namespace bru::update
