#include <gtest/gtest.h>

#include "bru/cli.h"

namespace bru::cli {
namespace {

const std::vector<std::string> kKnown = {"backup", "db", "file", "password-file", "force"};

TEST(NormaliseArguments, BruStyleSwitchesBecomeLongOptionsInAnyCase) {
  EXPECT_EQ(normalise_arguments({"-BACKUP", "-DB", "sqlite;a.db", "-File", "x.DB", "-force"}, kKnown),
            (std::vector<std::string>{"--backup", "--db", "sqlite;a.db", "--file", "x.DB", "--force"}));
}

TEST(NormaliseArguments, LongFormsAreLowerCasedAndKeepTheirValue) {
  EXPECT_EQ(normalise_arguments({"--BACKUP", "--DB=postgres;h;d;u;p", "--password-file", "pw"}, kKnown),
            (std::vector<std::string>{"--backup", "--db=postgres;h;d;u;p", "--password-file", "pw"}));
}

TEST(NormaliseArguments, ValuesAndUnknownSwitchesAreLeftAlone) {
  // A value that looks like a switch but names no option stays as it is, so the parser can
  // report it.
  EXPECT_EQ(normalise_arguments({"-FILE", "-weird.DB", "-NOPE", "BACKUP"}, kKnown),
            (std::vector<std::string>{"--file", "-weird.DB", "-NOPE", "BACKUP"}));
}

}  // namespace
}  // namespace bru::cli
