// The PostgreSQL rental shop of tests/cli/testdata/pg_shop.sql (every object kind pg_dump
// carries, several schemas, data in every table) and the comparisons pg_dump's own tests make
// between a source and a restored database: `pg_dump --schema-only`, every sequence's position,
// every table's rows.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/sql_session.h"

namespace bru::test {

// The database name of a bru connection string "postgres;host:port;database;user;password".
std::string database_of(const std::string& conn);

// How bru's messages name the test server's database of conn:
// "postgres://bru@127.0.0.1:<port>/<database>".
std::string pg_display(const std::string& conn);

// The hint a failed parallel restore (-THREADS n > 1, the default) into the database of conn ends
// with: its undo done, the catalog compared.
std::string parallel_undo_hint(const std::string& conn);

// The environment for the server's own client tools (psql, pg_dump), logged in as the test
// user over TCP.
std::vector<std::string> pg_env();

// Loads the shop into the (empty) database of conn with psql; a gtest failure when it does not.
void load_shop(const std::string& conn);

// pg_dump --schema-only (of the tables given, -t each; default the whole database), without what
// names the run rather than the schema (the \restrict key newer pg_dump versions make up per run).
std::string schema_dump(const std::string& conn, const std::vector<std::string>& tables = {});
// The same, for polling while another session may still drop objects: nullopt when pg_dump
// fails (a table it listed was dropped before it could lock it), never a test failure.
std::optional<std::string> schema_dump_when_steady(const std::string& conn);

// Every sequence's position, as "name last_value is_called".
std::vector<std::string> sequence_positions(SqlSession& db);

// Every table's and populated materialized view's rows, as PostgreSQL prints them, in order.
std::vector<std::string> all_rows(SqlSession& db);

// How many objects of each kind the database has.
std::map<std::string, std::string> object_counts(SqlSession& db);

}  // namespace bru::test
