// bru -MIGRATE moves binary columns byte for byte (issue 9: a map for any two schemas): every
// byte value, a quote and a backslash, an empty value, NULL and a 100 kB value, from each engine
// into each engine; and a part keyed by a binary column is refused before anything is written.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/sql_session.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

const char* kMap = R"({"bru_map": 1, "name": "binary test", "mappings": [
  {"name": "document", "rule": "copy", "terms": [], "from": "doc", "key": ["doc_id"],
   "to": "document", "columns": {"document_id": "doc_id", "title": "name", "content": "body"}}]})";

std::string blob_type(const std::string& engine) {
  if (engine == "postgres") return "bytea";
  if (engine == "mariadb") return "LONGBLOB";
  return "BLOB";
}

std::string blob_literal(const std::string& engine, const std::string& hex) {
  if (engine == "postgres") return "'\\x" + hex + "'::bytea";
  return "X'" + hex + "'";
}

// NULL for NULL on every engine (SQLite's hex(NULL) is '').
std::string hex_of(const std::string& engine, const std::string& column) {
  const std::string hex =
      engine == "postgres" ? "encode(" + column + ", 'hex')" : "LOWER(HEX(" + column + "))";
  return "CASE WHEN " + column + " IS NULL THEN NULL ELSE " + hex + " END";
}

std::string every_byte() {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (int byte = 0; byte < 256; ++byte) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 15];
  }
  return hex;
}

void fill_source(const std::string& engine, const std::string& conn) {
  SqlSession source(conn);
  source.exec("CREATE TABLE doc (doc_id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20), body " +
              blob_type(engine) + ")");
  std::string big;
  for (int piece = 0; piece < 400; ++piece) big += every_byte();  // 102,400 bytes
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"every byte", blob_literal(engine, every_byte())},
      {"quote, backslash", blob_literal(engine, "27275c5c00")},
      {"empty", blob_literal(engine, "")},
      {"null", "NULL"},
      {"100 kB", blob_literal(engine, big)}};
  for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    source.exec("INSERT INTO doc (doc_id, name, body) VALUES (" + std::to_string(row_idx + 1) +
                ", '" + rows[row_idx].first + "', " + rows[row_idx].second + ")");
  }
}

std::vector<std::vector<std::string>> contents(const std::string& engine, const std::string& conn,
                                               const std::string& table, const std::string& key,
                                               const std::string& column) {
  return SqlSession(conn).rows("SELECT " + key + ", " + hex_of(engine, column) + ", " + column +
                               " IS NULL FROM " + table + " ORDER BY " + key);
}

// Row by row; a differing value is shown by its length and first 40 hex digits.
void expect_same_contents(const std::vector<std::vector<std::string>>& got,
                          const std::vector<std::vector<std::string>>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t row_idx = 0; row_idx < want.size(); ++row_idx) {
    EXPECT_EQ(got[row_idx][0], want[row_idx][0]);
    EXPECT_EQ(got[row_idx][2], want[row_idx][2]) << "NULL or not, row " << want[row_idx][0];
    EXPECT_TRUE(got[row_idx][1] == want[row_idx][1])
        << "row " << want[row_idx][0] << ": " << got[row_idx][1].size() << " hex digits "
        << got[row_idx][1].substr(0, 40) << "..., want " << want[row_idx][1].size() << " "
        << want[row_idx][1].substr(0, 40) << "...";
  }
}

class MigrateBinary : public testing::TestWithParam<std::string> {};

TEST_P(MigrateBinary, EveryByteArrivesInEachEngine) {
  const std::string source_engine = GetParam();
  ScratchDir dir;
  write_text(dir / "map.json", kMap);
  const auto from = fresh_database(source_engine, "mbs_", dir, "source.sqlite");
  fill_source(source_engine, from);
  const auto expected = contents(source_engine, from, "doc", "doc_id", "body");
  ASSERT_EQ(expected.size(), 5u);
  EXPECT_EQ(expected[0][1], every_byte());
  EXPECT_EQ(expected[2][2], "0");  // empty, not NULL
  EXPECT_EQ(expected[3][2], "1");

  for (const std::string target_engine : {"sqlite", "postgres", "mariadb"}) {
    SCOPED_TRACE(source_engine + " -> " + target_engine);
    const auto to = fresh_database(target_engine, "mbt_" + target_engine.substr(0, 2) + "_", dir,
                                   "target.sqlite");
    SqlSession(to).exec("CREATE TABLE document (document_id INTEGER NOT NULL PRIMARY KEY, title "
                        "VARCHAR(20), content " + blob_type(target_engine) + ")");
    const auto run = run_bru({"-MIGRATE", "-FROM", from, "-DB", to, "-MAP",
                              (dir / "map.json").string(), "-QUIET", "-SLICE", "10"});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    expect_same_contents(contents(target_engine, to, "document", "document_id", "content"), expected);
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, MigrateBinary, testing::Values("sqlite", "postgres", "mariadb"));

TEST(MigrateBinaryKey, APartKeyedByABinaryColumnIsRefusedBeforeAnyRow) {
  ScratchDir dir;
  std::string map = kMap;
  map.replace(map.find(R"("key": ["doc_id"])"), 17, R"("key": ["body"])");
  write_text(dir / "map.json", map);
  const std::string from = "sqlite;" + (dir / "source.sqlite").string();
  const std::string to = "sqlite;" + (dir / "target.sqlite").string();
  fill_source("sqlite", from);
  SqlSession(to).exec("CREATE TABLE document (document_id INTEGER PRIMARY KEY, title TEXT, content BLOB)");
  const auto run = run_bru({"-MIGRATE", "-FROM", from, "-DB", to, "-MAP",
                            (dir / "map.json").string(), "-QUIET"});
  EXPECT_EQ(run.exit_code, 11);
  EXPECT_EQ(run.err,
            "error: mapping \"document\": the key column doc.body is binary\n"
            "hint: slices are read in key order and resumed after the last key as text: key the "
            "part by a unique column of numbers, dates or text\n");
  EXPECT_EQ(SqlSession(to).text("SELECT COUNT(*) FROM document"), "0");
}

}  // namespace
}  // namespace bru::test
