// update::refuse_transaction_control (schema/script/script.h): what each dialect refuses inside a
// section that runs in one transaction, and what it leaves alone.
#include <gtest/gtest.h>

#include "schema/error.h"
#include "schema/script/script.h"

namespace bru::test {
namespace {

// The error text for a one-section script holding `body`, or "" when it is accepted.
std::string refusal(std::string_view dialect, const std::string& body) {
  const auto script = update::parse_script("-- bru:version 1.2\n" + body, "s.sql", dialect, {});
  try {
    update::refuse_transaction_control(script);
    return {};
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kScript);
    return error.render();
  }
}

std::string expected(int line, const std::string& statement) {
  return "error: s.sql:" + std::to_string(line) + ": " + statement +
         " in version 1.2: bru runs each section in one transaction, which this statement would "
         "end or open\nhint: remove it: bru commits the section together with its history row, "
         "so a failure later in the section takes the whole section back\n";
}

TEST(ScriptTransactionControl, SemicolonDialectsRefuseEveryFormWithFileAndLine) {
  for (const char* dialect : {"postgres", "sqlite"}) {
    SCOPED_TRACE(dialect);
    EXPECT_EQ(refusal(dialect, "CREATE TABLE a (id int);\ncommit;\n"), expected(3, "COMMIT"));
    EXPECT_EQ(refusal(dialect, "CREATE TABLE a (id int);\n  /* why */ Rollback;\n"),
              expected(3, "ROLLBACK"));
    EXPECT_EQ(refusal(dialect, "BEGIN TRANSACTION;\nCREATE TABLE a (id int);\n"),
              expected(2, "BEGIN"));
    EXPECT_EQ(refusal(dialect, "END;\n"), expected(2, "END"));
    EXPECT_EQ(refusal(dialect, "-- a note\nSTART TRANSACTION;\n"),
              expected(3, "START TRANSACTION"));
    EXPECT_EQ(refusal(dialect, "SET autocommit = 1;\n"), expected(2, "SET AUTOCOMMIT"));
    // Savepoints live inside the transaction; bodies of triggers and functions are not sections.
    EXPECT_EQ(refusal(dialect, "SAVEPOINT s;\nROLLBACK TO SAVEPOINT s;\nRELEASE SAVEPOINT s;\n"),
              "");
    EXPECT_EQ(refusal(dialect, "INSERT INTO a VALUES ('commit;');\n-- commit;\n"), "");
  }
  EXPECT_EQ(refusal("postgres", "ABORT;\n"), expected(2, "ABORT"));
  EXPECT_EQ(refusal("postgres",
                    "CREATE PROCEDURE p() LANGUAGE plpgsql AS $$\nBEGIN\n  COMMIT;\n"
                    "END;\n$$;\n"),
            "");
  EXPECT_EQ(refusal("sqlite", "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  DELETE FROM b;\nEND;\n"),
            "");
}

TEST(ScriptTransactionControl, SqlServerRefusesTransactionStatementsNotBlocks) {
  EXPECT_EQ(refusal("mssql", "CREATE TABLE a (id int)\nGO\nBEGIN TRAN\nGO\n"),
            expected(4, "BEGIN TRAN"));
  EXPECT_EQ(refusal("mssql", "begin transaction\nGO\n"), expected(2, "BEGIN TRANSACTION"));
  EXPECT_EQ(refusal("mssql", "BEGIN DISTRIBUTED TRANSACTION\nGO\n"),
            expected(2, "BEGIN DISTRIBUTED"));
  EXPECT_EQ(refusal("mssql", "COMMIT TRAN\nGO\n"), expected(2, "COMMIT"));
  EXPECT_EQ(refusal("mssql", "ROLLBACK\nGO\n"), expected(2, "ROLLBACK"));
  EXPECT_EQ(refusal("mssql", "SET IMPLICIT_TRANSACTIONS ON\nGO\n"),
            expected(2, "SET IMPLICIT_TRANSACTIONS"));
  EXPECT_EQ(refusal("mssql", "BEGIN\n  PRINT 'x'\nEND\nGO\nSAVE TRAN s\nGO\nROLLBACK TRAN s\nGO\n"),
            "");
}

}  // namespace
}  // namespace bru::test
