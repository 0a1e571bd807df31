#include <gtest/gtest.h>

#include "schema/error.h"

namespace bru {
namespace {

TEST(Error, RendersMessageDetailAndHintsInOrder) {
  Error error(ErrorKind::kDatabase, "cannot read table \"t\"");
  error.with_sqlstate("42P01", 7).with_context("table", "public.t").with_hint("check the name");
  EXPECT_EQ(error.render(),
            "error: cannot read table \"t\"\n"
            "detail: SQLSTATE 42P01 (native 7), table public.t\n"
            "hint: check the name\n");
  EXPECT_EQ(error.exit_code(), 4);
}

TEST(Error, RendersWithoutDetailWhenThereIsNone) {
  Error error(ErrorKind::kUsage, "no command given", {"give one"});
  EXPECT_EQ(error.render(), "error: no command given\nhint: give one\n");
  EXPECT_EQ(error.exit_code(), 2);
}

TEST(Error, ExitCodesAreStable) {
  // The README documents these numbers; renumbering breaks DBAs' scripts.
  EXPECT_EQ(static_cast<int>(ErrorKind::kConnect), 3);
  EXPECT_EQ(static_cast<int>(ErrorKind::kArchiveCorrupt), 5);
  EXPECT_EQ(static_cast<int>(ErrorKind::kArchiveVersion), 6);
  EXPECT_EQ(static_cast<int>(ErrorKind::kIo), 7);
  EXPECT_EQ(static_cast<int>(ErrorKind::kVerify), 8);
  EXPECT_EQ(static_cast<int>(ErrorKind::kScript), 9);
  EXPECT_EQ(static_cast<int>(ErrorKind::kConflict), 10);
  EXPECT_EQ(static_cast<int>(ErrorKind::kTypeMapping), 11);
  EXPECT_EQ(static_cast<int>(ErrorKind::kInterrupted), 12);
  EXPECT_EQ(static_cast<int>(ErrorKind::kNotFound), 13);
  EXPECT_EQ(static_cast<int>(ErrorKind::kIncomplete), 14);
  EXPECT_EQ(error_kind_name(ErrorKind::kArchiveVersion), "archive-version");
}

}  // namespace
}  // namespace bru
