// The sample tables and rows of the fuzz harnesses and of make_seeds, which writes their seeds
// from the same values.
#pragma once

#include <cstdint>
#include <string>

#include "formats/batch.h"
#include "schema/catalog.h"
#include "schema/types.h"

namespace bru::fuzz {

inline schema::Column sample_column(std::string name, schema::TypeKind kind, bool nullable) {
  schema::Column result;
  result.name = std::move(name);
  result.type.kind = kind;
  result.native_type = std::string(schema::kind_name(kind));
  result.nullable = nullable;
  return result;
}

// public.items(id int64 identity primary key, price float64, label text default 'none').
inline schema::Table items_table() {
  schema::Table items;
  items.schema = "public";
  items.name = "items";
  items.columns = {sample_column("id", schema::TypeKind::kInt64, false),
                   sample_column("price", schema::TypeKind::kFloat64, true),
                   sample_column("label", schema::TypeKind::kText, true)};
  items.columns[0].identity = true;
  items.columns[2].default_sql = "'none'";
  items.primary_key = {"id"};
  items.primary_key_name = "items_pkey";
  return items;
}

// public.empty(note text), which has no rows.
inline schema::Table empty_table() {
  schema::Table empty;
  empty.schema = "public";
  empty.name = "empty";
  empty.columns = {sample_column("note", schema::TypeKind::kText, true)};
  return empty;
}

// Chunk `chunk` of items: 3 rows with ids from chunk * 3, a NULL price and an empty label.
inline archive::Batch items_batch(std::int64_t chunk) {
  archive::Batch batch(
      {schema::Storage::kInt64, schema::Storage::kFloat64, schema::Storage::kBytes});
  for (std::int64_t row = 0; row < 3; ++row) {
    batch.column(0).append_int(chunk * 3 + row);
    if (row == 1) {
      batch.column(1).append_null();
    } else {
      batch.column(1).append_double(1.5 * static_cast<double>(row));
    }
    batch.column(2).append_bytes(row == 2 ? std::string() : "label " + std::to_string(row));
  }
  return batch;
}

}  // namespace bru::fuzz
