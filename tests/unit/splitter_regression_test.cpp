// Bugs other migration tools shipped in their splitters, as regression tests for bru's. Each test
// is named after the report, says in one line what went wrong, and feeds an input written for
// bru that has the same shape as the one in the report.
#include <gtest/gtest.h>

#include "splitter_test_helpers.h"

namespace bru::test {
namespace {

using Texts = std::vector<std::string>;

std::string to_crlf(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

// Flyway #3110: the GO ending the column name LOGO (`c.LOGO`) was taken for a batch separator and
// the procedure was cut in two.
TEST(SplitterRegression, Flyway3110_GoAtTheEndOfAName) {
  const std::string one_line =
      "CREATE OR ALTER PROCEDURE ListBrands AS SELECT b.ID, b.LOGO FROM Brand b";
  EXPECT_EQ(texts("mssql", one_line + "\nGO\n"), (Texts{one_line}));
  const std::string at_line_end = "CREATE OR ALTER VIEW Logos AS\nSELECT b.LOGO\nFROM Brand b";
  EXPECT_EQ(texts("mssql", at_line_end + "\nGO\n"), (Texts{at_line_end}));
}

// Flyway #2493: the division in `RETURN a/b;` (and, after a fix, `a / b`) inside a PL/SQL function
// was taken for the `/` terminator.
TEST(SplitterRegression, Flyway2493_DivisionInsidePlsql) {
  for (const char* expression : {"p/q", "p / q", "(p/q)"}) {
    SCOPED_TRACE(expression);
    const std::string function =
        std::string("CREATE OR REPLACE FUNCTION ratio(p NUMBER, q NUMBER) RETURN NUMBER IS\n"
                    " BEGIN\n    RETURN ") +
        expression + ";\n END;";
    EXPECT_EQ(texts("oracle", function + "\n /\nSELECT ratio(4, 2) FROM dual;\n"),
              (Texts{function, "SELECT ratio(4, 2) FROM dual"}));
  }
}

// Flyway #921: a closing quote glued to the next keyword (`'A'THEN`) left the tokenizer inside the
// string, so two procedures (and the rest of a 30,000-line file) became one statement.
TEST(SplitterRegression, Flyway921_QuoteGluedToTheNextKeyword) {
  const std::string first =
      "CREATE OR REPLACE PROCEDURE set_flag (v IN OUT VARCHAR2, w IN OUT VARCHAR2)\nAS\nBEGIN\n"
      "\tIF v = 'ON'THEN\n\t\tw := 'YES';\n\tEND IF;\nEND;";
  const std::string second =
      "CREATE OR REPLACE PROCEDURE clear_flag (v IN OUT VARCHAR2)\nAS\nBEGIN\n"
      "\tIF v='OFF'THEN v:='NO';END IF;\nEND;";
  EXPECT_EQ(texts("oracle", first + "\n/\n\n" + second + "\n/\n"), (Texts{first, second}));
}

// Flyway #2530: a `/` line with a trailing blank, followed by blank lines, in a CRLF file, was
// sent to the server as part of the anonymous block (PLS-00103 on the `/`).
TEST(SplitterRegression, Flyway2530_SlashWithTrailingBlankInACrlfFile) {
  const std::string block = "DECLARE\n  n INTEGER;\n BEGIN\n    SELECT 1 INTO n FROM DUAL;\n END;";
  const auto statements =
      schema::split_statements("oracle", to_crlf(block + "\n / \n\n\n"), "V1__block.sql");
  ASSERT_EQ(statements.size(), 1U);
  EXPECT_EQ(statements[0].text, block);
  EXPECT_EQ(statements[0].line, 1);
}

// Flyway #1238: an E'…' string in one statement made the parser misread a later
// $$-quoted function body holding another E'…' string ("unterminated dollar-quoted string").
TEST(SplitterRegression, Flyway1238_EscapeStringsAroundADollarQuotedBody) {
  const std::string table =
      "CREATE TABLE tag (\n  id SERIAL PRIMARY KEY,\n  label TEXT CHECK (label ~ E'^\\\\w+$')\n)";
  const std::string function =
      "CREATE OR REPLACE FUNCTION greeting()\n  RETURNS TEXT AS $$\nBEGIN\n"
      "  RETURN E'it\\'s; fine';\nEND;\n$$ LANGUAGE 'plpgsql'";
  EXPECT_EQ(texts("postgres", table + ";\n\n" + function + ";\n"), (Texts{table, function}));
}

// Liquibase #6150: a `/` at the end of a line (`i := j /` continued on the next line) was taken
// for the end delimiter; only a `/` alone on its line ends a PL/SQL unit.
TEST(SplitterRegression, Liquibase6150_SlashEndingALineIsDivision) {
  const std::string procedure =
      "CREATE OR REPLACE PROCEDURE halve IS\n  i NUMBER := 0;\n  j NUMBER := 10;\nBEGIN\n"
      "  i := j /\n   2;\nEND;";
  EXPECT_EQ(texts("oracle", procedure + "\n/\n"), (Texts{procedure}));
}

// Liquibase #1553: the `;` inside a stored procedure's BEGIN … END body split the procedure.
TEST(SplitterRegression, Liquibase1553_SemicolonsInsideBeginEnd) {
  const std::string procedure =
      "CREATE PROCEDURE country_heads(IN con CHAR(20))\nBEGIN\n"
      "  SELECT Name, HeadOfState FROM Country\n  WHERE Continent = con;\nEND";
  EXPECT_EQ(texts("mariadb", procedure), (Texts{procedure}));
  EXPECT_EQ(texts("mariadb", procedure + ";\nCALL country_heads('Europe');"),
            (Texts{procedure, "CALL country_heads('Europe')"}));
  const std::string trigger =
      "CREATE TRIGGER audit AFTER UPDATE ON country\nBEGIN\n"
      "  INSERT INTO log VALUES (new.code);\n  UPDATE stats SET n = n + 1;\nEND";
  EXPECT_EQ(texts("sqlite", trigger + ";\nSELECT 1;"), (Texts{trigger, "SELECT 1"}));
}

// Further reports of the same families, found while looking up the ones above.

// Flyway #2414: GO at the end of a variable name (@DoNotGO) split a procedure.
TEST(SplitterRegression, Flyway2414_GoAtTheEndOfAVariable) {
  const std::string procedure =
      "CREATE OR ALTER PROCEDURE [dbo].[Test]\nAS\nBEGIN\n\tDECLARE @DoNotGO INT;\n\tRETURN 0;\nEND;";
  EXPECT_EQ(texts("mssql", procedure), (Texts{procedure}));
}

// Flyway #1838 and #3292: a GO (or `;` then GO) before any statement gave an empty batch that
// failed on the server or crashed the parser.
TEST(SplitterRegression, Flyway1838And3292_EmptyLeadingBatches) {
  EXPECT_EQ(texts("mssql", "/*\n some comment\n*/\nGO\nSET NOCOUNT ON\nSET ARITHABORT ON\n"),
            (Texts{"SET NOCOUNT ON\nSET ARITHABORT ON"}));
  EXPECT_EQ(texts("mssql", ";\nGO\n;\nGO\nSELECT 1;\n"), (Texts{"SELECT 1;"}));
}

// Flyway #1842 and #2701: a lone `/` after a terminated statement failed, and a plain statement
// ended by `/` instead of `;` was sent with the `/`.
TEST(SplitterRegression, Flyway1842And2701_SlashAfterOrInsteadOfSemicolon) {
  EXPECT_EQ(texts("oracle", "CREATE TABLE t (id NUMBER);\n\n/\nUPDATE company SET name = 'COOL' "
                            "WHERE record# = 1234567\n/"),
            (Texts{"CREATE TABLE t (id NUMBER)",
                   "UPDATE company SET name = 'COOL' WHERE record# = 1234567"}));
}

// Flyway #264: a column named Function made the parser look for the end of a function.
TEST(SplitterRegression, Flyway264_ColumnNamedFunction) {
  EXPECT_EQ(texts("oracle", "CREATE TABLE Action\n(\n  Id NUMBER(11,0) NOT NULL,\n  Function "
                            "VARCHAR2(64)\n);\nSELECT 1 FROM dual;"),
            (Texts{"CREATE TABLE Action\n(\n  Id NUMBER(11,0) NOT NULL,\n  Function VARCHAR2(64)\n)",
                   "SELECT 1 FROM dual"}));
}

// Flyway #305: a $BODY$-quoted function created inside a $$-quoted one was split at its `;`s.
TEST(SplitterRegression, Flyway305_DollarQuoteInsideAnother) {
  const std::string outer =
      "CREATE OR REPLACE FUNCTION outer_fn() RETURNS void AS $$\nBEGIN\n"
      "  CREATE OR REPLACE FUNCTION inner_fn() RETURNS void AS $BODY$\n  BEGIN\n"
      "    RAISE INFO 'inner';\n  END\n  $BODY$ LANGUAGE plpgsql;\nEND;\n$$ LANGUAGE plpgsql";
  EXPECT_EQ(texts("postgres", outer + ";\nSELECT outer_fn();"), (Texts{outer, "SELECT outer_fn()"}));
}

}  // namespace
}  // namespace bru::test
