// MariaDB tables read through libmariadb's streamed result (bru/mariadb/stream_reader.h), which
// -BULK auto uses for a table without a key (the ODBC path read it whole: its size in bru's
// memory) and for one without long columns, against the ODBC path (-BULK odbc): a column of each
// kind, edge values and NULLs, back up to the same rows and content checksums either way (the
// ODBC path warns that it reads the keyless table whole), and the restore, which reads its tables
// back through the stream, gives the source's rows.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/sql_session.h"
#include "support/sqlite_file.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

void make_tables(const std::string& conn) {
  SqlSession db(conn);
  db.exec(
      "CREATE TABLE loose (f FLOAT, d DOUBLE, n DECIMAL(30,10), b BIT(12), dt DATE, "
      "ts DATETIME(6), tm TIME(3), tz TIMESTAMP(2) NULL DEFAULT NULL, y YEAR, e ENUM('a','b'), "
      "s SET('x','y'), j JSON, c CHAR(5), v VARCHAR(40), t TEXT, bl BLOB, bin BINARY(4), "
      "flag TINYINT(1), u BIGINT UNSIGNED, i BIGINT, mt MEDIUMTEXT) DEFAULT CHARSET=utf8mb4");
  db.exec(
      "INSERT INTO loose VALUES "
      "(0.1, 0.1, 12345678901234567890.0123456789, b'101010101010', '2024-02-29', "
      "'2024-02-29 23:59:59.999999', '-838:59:59.000', '2038-01-19 03:14:07.99', 2155, 'b', "
      "'x,y', '{\"k\": [1, \"\\u00e9\"]}', 'ab', 'caf\u00e9 \U0001F600', REPEAT('t', 3000), "
      "X'00FF0A0D5C27', X'01020304', 1, 18446744073709551615, -9223372036854775808, "
      "REPEAT('m\u00e9', 40000)),"
      "(3.40282e38, 1e308, -0.0000000001, b'0', '1000-01-01', '1000-01-01 00:00:00', "
      "'00:00:00.001', '1970-01-01 00:00:01', 1901, 'a', '', '[]', '', '', '', X'', X'00000000', "
      "0, 0, 9223372036854775807, ''),"
      "(-1.17549e-38, 4.9e-324, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
      "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
      "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
      "NULL, NULL, NULL, NULL, NULL, NULL),"
      "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
      "NULL, NULL, NULL, NULL, NULL, NULL)");
  // A table the ODBC path pages along its key, without long columns: streamed too.
  db.exec("CREATE TABLE keyed (id INT PRIMARY KEY, f FLOAT, note VARCHAR(20))");
  db.exec("INSERT INTO keyed VALUES (1, 3.14159265, 'one'), (2, NULL, NULL), (3, -2.5e-7, '')");
}

// Each table of the archive as "text:name:rows:content checksum" (SqliteFile::rows gives the
// type first).
std::vector<std::string> table_checksums(const std::string& archive) {
  SqliteFile file(archive);
  std::vector<std::string> tables;
  for (const auto& row : file.rows("SELECT name || ':' || rows || ':' || checksum FROM "
                                   "bru_objects WHERE kind = 'table' ORDER BY name")) {
    tables.push_back(row.at(0));
  }
  return tables;
}

std::vector<std::vector<std::string>> sorted_rows(SqlSession& db, const std::string& table) {
  auto rows = db.rows("SELECT * FROM `" + table + "`");
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(MariadbStream, TablesReadAsTheOdbcPathReadsThemAndRestoreToTheSourcesRows) {
  ScratchDir dir;
  const auto source = fresh_database("mariadb", "stream_src_", dir, "");
  ASSERT_FALSE(source.empty());
  ASSERT_NO_FATAL_FAILURE(make_tables(source));

  std::vector<std::vector<std::string>> checksums;
  for (const std::string bulk : {"auto", "odbc"}) {
    const auto archive = (dir / (bulk + ".DB")).string();
    const auto backup =
        run_bru({"-BACKUP", "-BULK", bulk, "-DB", source, "-FILE", archive, "-QUIET"});
    ASSERT_EQ(backup.exit_code, 0) << bulk << ": " << backup.err;
    // Only the ODBC path reads the keyless table in one result set, and says so.
    EXPECT_EQ(backup.err.find("table \"loose\" has no primary key or unique NOT NULL key") !=
                  std::string::npos,
              bulk == "odbc")
        << bulk << ": " << backup.err;
    EXPECT_EQ(backup.err.find("\"keyed\" has no"), std::string::npos) << backup.err;
    checksums.push_back(table_checksums(archive));
  }
  ASSERT_EQ(checksums[0].size(), 2u);
  EXPECT_EQ(checksums[0][1].substr(0, 13), "text:loose:5:") << checksums[0][1];
  EXPECT_EQ(checksums[0], checksums[1]);

  const auto target = fresh_database("mariadb", "stream_dst_", dir, "");
  const auto restore =
      run_bru({"-RESTORE", "-DB", target, "-FILE", (dir / "auto.DB").string(), "-QUIET"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  SqlSession from(source);
  SqlSession to(target);
  for (const std::string table : {"loose", "keyed"}) {
    EXPECT_EQ(sorted_rows(to, table), sorted_rows(from, table)) << table;
  }
}

}  // namespace
}  // namespace bru::test
