// Helpers shared by the archive and batch unit tests: sample tables and batches, comparing
// batches value by value (bit-exact for doubles), and poking at an archive with the SQLite C API
// the way a damaged disk or another program would.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <bit>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "formats/archive.h"
#include "formats/archive_toc.h"
#include "formats/batch.h"
#include "formats/sqlite_db.h"
#include "schema/catalog.h"
#include "schema/error.h"
#include "schema/types.h"

namespace bru::test {

inline schema::Column make_column(std::string name, schema::TypeKind kind, bool nullable = true) {
  schema::Column column;
  column.name = std::move(name);
  column.type.kind = kind;
  column.native_type = std::string(schema::kind_name(kind));
  column.nullable = nullable;
  return column;
}

// public.t(id int64 not null, score float64, name text): one column per storage class.
inline schema::Table sample_table(std::string name = "t") {
  schema::Table table;
  table.schema = "public";
  table.name = std::move(name);
  table.columns.push_back(make_column("id", schema::TypeKind::kInt64, false));
  table.columns.push_back(make_column("score", schema::TypeKind::kFloat64));
  table.columns.push_back(make_column("name", schema::TypeKind::kText));
  table.columns[0].identity = true;
  table.columns[2].default_sql = "'none'";
  table.primary_key = {"id"};
  table.primary_key_name = table.name + "_pkey";
  return table;
}

inline std::vector<schema::Storage> storages_of(const schema::Table& table) {
  std::vector<schema::Storage> storages;
  for (const schema::Column& column : table.columns) {
    storages.push_back(schema::storage_of(column.type.kind));
  }
  return storages;
}

// Rows first_id .. first_id+rows-1 of sample_table(): every 7th score and every 5th name NULL,
// every 11th name empty.
inline archive::Batch sample_batch(std::int64_t first_id, std::size_t rows) {
  archive::Batch batch(storages_of(sample_table()));
  for (std::size_t row = 0; row < rows; ++row) {
    const std::int64_t id = first_id + static_cast<std::int64_t>(row);
    batch.column(0).append_int(id);
    if (id % 7 == 0) {
      batch.column(1).append_null();
    } else {
      batch.column(1).append_double(static_cast<double>(id) / 3.0);
    }
    if (id % 5 == 0) {
      batch.column(2).append_null();
    } else if (id % 11 == 0) {
      batch.column(2).append_bytes("");
    } else {
      batch.column(2).append_bytes("name " + std::to_string(id * 7919));
    }
  }
  return batch;
}

// Incompressible bytes, so zstd stores them as they are and a flipped byte stays a flipped byte.
inline std::string random_bytes(std::size_t size, std::uint32_t seed) {
  std::mt19937 random(seed);
  std::string bytes(size, '\0');
  for (char& byte : bytes) byte = static_cast<char>(random() & 0xff);
  return bytes;
}

inline void expect_same_batch(const archive::Batch& expected, const archive::Batch& actual) {
  ASSERT_EQ(expected.column_count(), actual.column_count());
  ASSERT_EQ(expected.row_count(), actual.row_count());
  for (std::size_t column_idx = 0; column_idx < expected.column_count(); ++column_idx) {
    const archive::ColumnVector& want = expected.column(column_idx);
    const archive::ColumnVector& got = actual.column(column_idx);
    ASSERT_EQ(want.storage(), got.storage());
    for (std::size_t row = 0; row < want.size(); ++row) {
      ASSERT_EQ(want.is_null(row), got.is_null(row)) << "column " << column_idx << " row " << row;
      if (want.is_null(row)) continue;
      switch (want.storage()) {
        case schema::Storage::kInt64:
          ASSERT_EQ(want.int_at(row), got.int_at(row)) << "column " << column_idx << " row " << row;
          break;
        case schema::Storage::kFloat64:
          ASSERT_EQ(std::bit_cast<std::uint64_t>(want.double_at(row)),
                    std::bit_cast<std::uint64_t>(got.double_at(row)))
              << "column " << column_idx << " row " << row;
          break;
        case schema::Storage::kBytes:
          ASSERT_EQ(want.bytes_at(row), got.bytes_at(row))
              << "column " << column_idx << " row " << row;
          break;
      }
    }
  }
}

// The hint line of every damaged-archive error, as message_and_hints() renders it.
inline const std::string kDamagedHint =
    "hint: the archive is damaged; restore it from another copy, or take a new backup";

// The whole message and the hints of an Error, for one EXPECT_EQ.
inline std::string message_and_hints(const Error& error) {
  std::string text = error.message();
  for (const std::string& hint : error.hints()) text += "\nhint: " + hint;
  return text;
}

// Runs SQL on an archive (or any SQLite file) read-write, as another program would.
inline void sqlite_exec(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

// The first column of the first row of a query, as text ("" for NULL or no row).
inline std::string sqlite_value(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string value;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return value;
}

// The first column of the first row of a query, as bytes.
inline std::string sqlite_blob(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string value;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_blob(stmt, 0) != nullptr) {
      value.assign(static_cast<const char*>(sqlite3_column_blob(stmt, 0)),
                   sqlite3_column_bytes(stmt, 0));
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return value;
}

// Runs one statement with ?1 bound to the blob.
inline void sqlite_exec_with_blob(const std::filesystem::path& file, const std::string& sql,
                                  const std::string& blob) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_bind_blob64(stmt, 1, blob.data(), blob.size(), SQLITE_TRANSIENT);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE) << sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

// Recomputes the table of contents' row checksums and digest after an edit, as someone who knows
// the format would: what is left to catch the edit are the cross-checks and the chunk checks.
inline void reseal(const std::filesystem::path& file) {
  archive::sqlite::Database db(file.string(), SQLITE_OPEN_READWRITE);
  archive::toc::seal(db, nullptr);
}

}  // namespace bru::test
