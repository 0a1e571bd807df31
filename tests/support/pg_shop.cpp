#include "support/pg_shop.h"

#include <sstream>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace bru::test {
namespace {

constexpr const char* kPsql = "/usr/bin/psql";
constexpr const char* kPgDump = "/usr/bin/pg_dump";
constexpr const char* kUserSchemas =
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'";

// The qualified names of the relations in user schemas that `condition` (on pg_class c) picks,
// in order.
std::vector<std::string> user_relations(SqlSession& db, const std::string& condition) {
  std::vector<std::string> names;
  for (const auto& row : db.rows("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) "
                                 "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                 "WHERE " + condition + " AND " + kUserSchemas + " ORDER BY 1")) {
    names.push_back(row[0]);
  }
  return names;
}

}  // namespace

// The database name of a bru connection string "postgres;host:port;database;user;password".
std::string database_of(const std::string& conn) {
  std::vector<std::string> parts;
  std::stringstream in(conn);
  for (std::string part; std::getline(in, part, ';');) parts.push_back(part);
  return parts.size() > 2 ? parts[2] : "";
}

std::string pg_display(const std::string& conn) {
  return "postgres://bru@127.0.0.1:" + env("BRU_TEST_PG_PORT").value_or("") + "/" +
         database_of(conn);
}

std::string parallel_undo_hint(const std::string& conn) {
  return "hint: every table and object this restore created in " + pg_display(conn) +
         " was dropped again: its catalog is as before the restore\n";
}

// The server's own client tools, logged in as the test user over TCP.
std::vector<std::string> pg_env() {
  return {"PGPASSWORD=" + env("BRU_TEST_PG_PASSWORD").value_or(""), "PGHOST=127.0.0.1",
          "PGPORT=" + env("BRU_TEST_PG_PORT").value_or(""), "PGUSER=bru"};
}

void load_shop(const std::string& conn) {
  const auto loaded = run_program(
      kPsql, {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null", "-d", database_of(conn),
              "-f", source_path("tests/cli/testdata/pg_shop.sql").string()},
      pg_env());
  ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
}

namespace {

RunResult run_schema_dump(const std::string& conn, const std::vector<std::string>& tables) {
  std::vector<std::string> args = {"--schema-only"};
  for (const auto& table : tables) {
    args.push_back("-t");
    args.push_back(table);
  }
  args.push_back(database_of(conn));
  return run_program(kPgDump, args, pg_env());
}

// pg_dump's output without its \restrict lines, whose key is new on every run.
std::string without_restrict_lines(const std::string& dumped) {
  std::string kept;
  std::stringstream in(dumped);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("\\restrict", 0) == 0 || line.rfind("\\unrestrict", 0) == 0) continue;
    kept += line + "\n";
  }
  return kept;
}

}  // namespace

std::string schema_dump(const std::string& conn, const std::vector<std::string>& tables) {
  const auto dumped = run_schema_dump(conn, tables);
  EXPECT_EQ(dumped.exit_code, 0) << dumped.err;
  return without_restrict_lines(dumped.out);
}

std::optional<std::string> schema_dump_when_steady(const std::string& conn) {
  const auto dumped = run_schema_dump(conn, {});
  if (dumped.exit_code != 0) return std::nullopt;
  return without_restrict_lines(dumped.out);
}

// Every sequence's position, as "name last_value is_called".
std::vector<std::string> sequence_positions(SqlSession& db) {
  std::vector<std::string> positions;
  for (const auto& sequence : user_relations(db, "c.relkind = 'S'")) {
    positions.push_back(sequence + " " +
                        db.text("SELECT last_value || ' ' || is_called FROM " + sequence));
  }
  return positions;
}

// Every table's and materialized view's rows, as PostgreSQL prints them, in order.
std::vector<std::string> all_rows(SqlSession& db) {
  std::vector<std::string> rows;
  for (const auto& table : user_relations(db, "c.relkind IN ('r', 'm') AND c.relispopulated")) {
    rows.push_back("-- " + table);
    for (const auto& row : db.rows("SELECT t::text FROM ONLY " + table + " t ORDER BY 1")) {
      rows.push_back(row[0]);
    }
  }
  return rows;
}

// How many objects of each kind the database has (the note compares them).
std::map<std::string, std::string> object_counts(SqlSession& db) {
  const std::string schemas = std::string(" AND ") + kUserSchemas;
  const std::map<std::string, std::string> queries = {
      {"schemas", "SELECT count(*) FROM pg_namespace n WHERE n.nspname <> 'public'" + schemas},
      {"extensions", "SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql'"},
      {"enum/range/composite types",
       "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN "
       "pg_class c ON c.oid = t.typrelid WHERE (t.typtype IN ('e', 'r') OR c.relkind = 'c') AND "
       "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = t.oid AND e.deptype = 'e')" +
           schemas},
      {"domains",
       "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE "
       "t.typtype = 'd'" + schemas},
      {"sequences",
       "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
       "c.relkind = 'S'" + schemas},
      {"tables (partitioned, partitions, plain)",
       "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
       "c.relkind IN ('r', 'p')" + schemas},
      {"views",
       "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
       "c.relkind = 'v'" + schemas},
      {"materialized views",
       "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
       "c.relkind = 'm'" + schemas},
      {"indexes",
       "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
       "c.relkind IN ('i', 'I')" + schemas},
      {"constraints",
       "SELECT count(*) FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace "
       "WHERE true" + schemas},
      {"functions/procedures/aggregates",
       "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE NOT "
       "EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = p.oid AND e.deptype IN ('e', 'i'))" +
           schemas},
      {"triggers", "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"},
      {"rules", "SELECT count(*) FROM pg_rules WHERE schemaname NOT IN ('pg_catalog')"},
      {"policies", "SELECT count(*) FROM pg_policy"},
      {"comments", "SELECT count(*) FROM pg_description WHERE objoid >= 16384"},
      {"tables with ACLs",
       "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
       "c.relacl IS NOT NULL" + schemas},
  };
  std::map<std::string, std::string> counts;
  for (const auto& [kind, sql] : queries) counts[kind] = db.text(sql);
  return counts;
}

}  // namespace bru::test
