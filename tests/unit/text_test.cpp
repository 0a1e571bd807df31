// schema/text.h and schema/dialect_names.h: edit distance, escaping names for a terminal, and the
// dialect words with their suggestions.
#include <gtest/gtest.h>

#include "schema/dialect_names.h"
#include "schema/text.h"

namespace bru::schema {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("postgres", "postgres"), 0u);
  EXPECT_EQ(edit_distance("postgre", "postgres"), 1u);
  EXPECT_EQ(edit_distance("mssqlserver", "sqlserver"), 2u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(EscapeForTerminal, LeavesPrintableTextAndValidUtf8Alone) {
  EXPECT_EQ(escape_for_terminal("public.employee"), "public.employee");
  EXPECT_EQ(escape_for_terminal("caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80"),
            "caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80");
}

TEST(EscapeForTerminal, EscapesControlsBackslashesAndInvalidUtf8) {
  EXPECT_EQ(escape_for_terminal("a\tb\nc\rd"), "a\\tb\\nc\\rd");
  EXPECT_EQ(escape_for_terminal("\x1B[31mred"), "\\e[31mred");
  EXPECT_EQ(escape_for_terminal(std::string("nul\0x", 5)), "nul\\x00x");
  EXPECT_EQ(escape_for_terminal("bell\x07 del\x7F"), "bell\\x07 del\\x7f");
  EXPECT_EQ(escape_for_terminal("back\\slash"), "back\\\\slash");
  EXPECT_EQ(escape_for_terminal("c1 \xC2\x9B"
                                "31m"),
            "c1 \\xc2\\x9b31m");  // U+009B, CSI
  EXPECT_EQ(escape_for_terminal("bad \xFF\xFE"), "bad \\xff\\xfe");
  EXPECT_EQ(escape_for_terminal("cut \xE4\xB8"), "cut \\xe4\\xb8");  // truncated sequence
  EXPECT_EQ(escape_for_terminal("overlong \xC0\xAF"), "overlong \\xc0\\xaf");
  EXPECT_EQ(escape_for_terminal("surrogate \xED\xA0\x80"), "surrogate \\xed\\xa0\\x80");
}

TEST(DialectWords, NamesAndAliasesAreCaseInsensitive) {
  EXPECT_EQ(dialect_of_word("postgres"), "postgres");
  EXPECT_EQ(dialect_of_word("PostgreSQL"), "postgres");
  EXPECT_EQ(dialect_of_word("pgsql"), "postgres");
  EXPECT_EQ(dialect_of_word("MySQL"), "mariadb");
  EXPECT_EQ(dialect_of_word("sqlserver"), "mssql");
  EXPECT_EQ(dialect_of_word("sqlite3"), "sqlite");
  EXPECT_EQ(dialect_of_word("db2"), std::nullopt);
  EXPECT_EQ(dialect_of_word("odbc"), std::nullopt);  // a grammar word, not a dialect
}

TEST(DialectWords, SuggestionsOnlyForNearMisses) {
  EXPECT_EQ(suggest_dialect("mysql"), "mariadb");
  EXPECT_EQ(suggest_dialect("postgre"), "postgres");
  EXPECT_EQ(suggest_dialect("mssqlserver"), "mssql");
  EXPECT_EQ(suggest_dialect("maria"), "mariadb");
  EXPECT_EQ(suggest_dialect("sqlit"), "sqlite");
  EXPECT_EQ(suggest_dialect("db2"), "");
  EXPECT_EQ(suggest_dialect("x"), "");
  EXPECT_EQ(suggest_dialect("orcl"), "");  // two edits in a four-letter word: too far
}

TEST(DialectWords, BackupSpeaksEveryDialect) {
  EXPECT_TRUE(backs_up("postgres"));
  EXPECT_TRUE(backs_up("sqlite"));
  EXPECT_TRUE(backs_up("mariadb"));
  EXPECT_TRUE(backs_up("mssql"));
  EXPECT_TRUE(backs_up("oracle"));
}

TEST(DialectWords, UnknownDialectSuggestsOnlyWhatTheCallerAccepts) {
  const auto error = unknown_dialect("mysql", dialect_names());
  EXPECT_EQ(error.kind(), ErrorKind::kUsage);
  EXPECT_EQ(error.render(),
            "error: unknown dialect \"mysql\"\n"
            "hint: did you mean mariadb?\n"
            "hint: known dialects: postgres, mssql, oracle, sqlite, mariadb\n");
  EXPECT_EQ(unknown_dialect("db2", backup_dialect_names()).render(),
            "error: unknown dialect \"db2\"\n"
            "hint: known dialects: postgres, mssql, oracle, sqlite, mariadb\n");
}

}  // namespace
}  // namespace bru::schema
