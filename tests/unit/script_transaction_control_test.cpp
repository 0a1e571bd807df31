// update::refuse_transaction_control (schema/script/script.h): what each dialect refuses inside a
// section that runs in one transaction, and inside one run statement by statement (MariaDB,
// Oracle, -- bru:transaction off), and what it leaves alone.
#include <gtest/gtest.h>

#include "schema/error.h"
#include "schema/script/script.h"

namespace bru::test {
namespace {

// The error text for a one-section script holding `body`, or "" when it is accepted.
std::string refusal(std::string_view dialect, const std::string& body,
                    bool transactional_ddl = true) {
  const auto script = update::parse_script("-- bru:version 1.2\n" + body, "s.sql", dialect, {});
  try {
    update::refuse_transaction_control(script, transactional_ddl);
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

// Statement by statement each statement commits on its own and is recorded as done: what would
// open a transaction (or turn autocommit off) is refused, COMMIT and ROLLBACK have nothing to end.
std::string per_statement(int line, const std::string& statement, const std::string& label) {
  return "error: s.sql:" + std::to_string(line) + ": " + statement + " in " + label +
         ": bru runs this section statement by statement and records each as done when it "
         "returns, which an open transaction would make untrue\n"
         "hint: remove it: here each statement commits on its own; statements that must succeed "
         "or fail together belong in a section that runs in one transaction (PostgreSQL, SQLite, "
         "SQL Server, without -- bru:transaction off)\n";
}

TEST(ScriptTransactionControl, MariadbRefusesWhatOpensATransactionNotCommit) {
  const std::string label = "version 1.2";
  EXPECT_EQ(refusal("mariadb", "CREATE TABLE a (id int);\nSTART TRANSACTION;\n", false),
            per_statement(3, "START TRANSACTION", label));
  EXPECT_EQ(refusal("mariadb", "begin;\n", false), per_statement(2, "BEGIN", label));
  EXPECT_EQ(refusal("mariadb", "BEGIN WORK;\n", false), per_statement(2, "BEGIN WORK", label));
  EXPECT_EQ(refusal("mariadb", "SET autocommit=0;\n", false),
            per_statement(2, "SET AUTOCOMMIT", label));
  EXPECT_EQ(refusal("mariadb", "SET @@session.autocommit = 0;\n", false),
            per_statement(2, "SET AUTOCOMMIT", label));
  EXPECT_EQ(refusal("mariadb", "SET SESSION autocommit = OFF;\n", false),
            per_statement(2, "SET AUTOCOMMIT", label));
  EXPECT_EQ(refusal("mariadb", "XA START 'x';\n", false), per_statement(2, "XA START", label));
  EXPECT_EQ(refusal("mariadb",
                    "INSERT INTO a VALUES (1);\nCOMMIT;\nROLLBACK;\nSET sql_mode = '';\n"
                    "BEGIN NOT ATOMIC\n  SELECT 1;\nEND;\n",
                    false),
            "");
}

TEST(ScriptTransactionControl, OracleRefusesSetTransactionAndSqlPlusAutocommit) {
  EXPECT_EQ(refusal("oracle", "SET TRANSACTION READ ONLY;\n", false),
            per_statement(2, "SET TRANSACTION", "version 1.2"));
  EXPECT_EQ(refusal("oracle", "SET AUTOCOMMIT OFF;\n", false),
            per_statement(2, "SET AUTOCOMMIT", "version 1.2"));
  EXPECT_EQ(
      refusal("oracle", "INSERT INTO a VALUES (1);\nCOMMIT;\nBEGIN\n  NULL;\nEND;\n/\n", false),
      "");
}

// -- bru:transaction off on an engine with transactional DDL: the statement-by-statement rules.
TEST(ScriptTransactionControl, TransactionOffSectionsAreCheckedStatementByStatement) {
  EXPECT_EQ(refusal("postgres",
                    "-- bru:transaction off\nCREATE INDEX CONCURRENTLY i ON a (id);\nVACUUM a;\n"
                    "COMMIT;\n"),
            "");
  EXPECT_EQ(refusal("postgres", "-- bru:transaction off\nVACUUM;\nBEGIN;\n"),
            per_statement(4, "BEGIN", "version 1.2"));
  EXPECT_EQ(refusal("sqlite", "-- bru:transaction off\nVACUUM;\n"), "");
  EXPECT_EQ(refusal("mssql",
                    "-- bru:transaction off\nALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT "
                    "ON\nGO\nCOMMIT\nGO\n"),
            "");
  EXPECT_EQ(refusal("mssql", "-- bru:transaction off\nBEGIN TRAN\nGO\n"),
            per_statement(3, "BEGIN TRAN", "version 1.2"));
}

TEST(ScriptTransactionControl, UndoAndRepeatableSectionsAreCheckedToo) {
  EXPECT_EQ(
      refusal("postgres", "CREATE TABLE a (id int);\n-- bru:undo 1.2\nDROP TABLE a;\nCOMMIT;\n"),
      "error: s.sql:5: COMMIT in undo of version 1.2: bru runs each section in one transaction, "
      "which this statement would end or open\nhint: remove it: bru commits the section together "
      "with its history row, so a failure later in the section takes the whole section back\n");
  EXPECT_EQ(refusal("mariadb", "-- bru:repeatable views\nSTART TRANSACTION;\n", false),
            per_statement(3, "START TRANSACTION", "repeatable views"));
}

}  // namespace
}  // namespace bru::test
