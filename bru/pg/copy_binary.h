// COPY's binary format (PostgreSQL manual, "COPY", "Binary Format") for the column types whose
// binary form is simple and fixed since PostgreSQL 7.4: what a restore sends instead of text
// when every column of a table is one of them. The server then skips what costs most in a text
// COPY: splitting lines, unescaping, and parsing numbers, dates and timestamps (measured on a
// 400,000-row table of numbers, decimals, dates, timestamps and uuids: 1.46 s of server time in
// text, 0.65 s in binary), and a bytea travels as its bytes instead of twice as many hex digits.
//
// A field is chosen from the type the target's column really has (pg_attribute, a domain by its
// base type), never from the archive's: a type not listed here (interval, money, an enum, an
// array, a user type) keeps the whole table in text. Each encoder takes the archive's canonical
// value (schema/types.h) and returns false for a value it does not read exactly (another
// engine's spelling of a timestamp, an integer beyond the column's width, a date that is not in
// the calendar): the loader then goes on in text from that row, and the server judges the value
// by its own input rules, as before.
#pragma once

#include <cstdint>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bru/pg/session.h"
#include "schema/catalog.h"
#include "schema/dialect.h"
#include "schema/types.h"

namespace bru::pg::binary {

enum class Field : std::uint8_t {
  kBool,
  kInt2,
  kInt4,
  kInt8,
  kFloat4,
  kFloat8,
  kRaw,    // text, varchar, bpchar, json, bytea: the value's bytes
  kJsonb,  // version byte 1, then the text
  kNumeric,
  kUuid,
  kDate,
  kTime,
  kTimestamp,    // microseconds since 2000-01-01 00:00:00
  kTimestampTz,  // the same in UTC
};

// The field for a column whose target type has this OID (a domain's base type) and whose archive
// values have this kind; nullopt when the pair has no binary field (the table goes in text).
std::optional<Field> field_for(std::uint32_t type_oid, schema::TypeKind kind);

// The field a reader asks the server for (COPY ... TO STDOUT in binary) to make the canonical
// value of a column itself: the same pairs, but each kind exactly its own type's (a real stays
// text: psqlODBC reads it as its shortest text, and so does bru's COPY reader).
std::optional<Field> read_field_for(std::uint32_t type_oid, schema::TypeKind kind);

// The type OIDs of a table's columns as the server has them (a domain's base type), comma-separated
// in the table's column order: one value. column_type_oids() runs it; empty when the server's
// table does not have exactly the table's columns.
std::string column_types_sql(const schema::Dialect& dialect, const schema::Table& table);
std::vector<std::uint32_t> column_type_oids(Session& session, const schema::Dialect& dialect,
                                           const schema::Table& table);

// Whether values of the field may be sent in pieces after their length (long values).
bool takes_pieces(Field field);

// The stream's header and trailer, and one tuple's field count.
void append_header(std::string& out);
void append_trailer(std::string& out);
void append_field_count(std::string& out, std::size_t fields);
void append_null(std::string& out);
// A long value's length word (and jsonb's version byte): its pieces follow as they are.
void append_long_start(std::string& out, Field field, std::uint64_t length);

// Each appends the length word and the value's binary form, or appends nothing and returns false.
bool append_int(std::string& out, Field field, std::int64_t value);
bool append_double(std::string& out, Field field, double value);
bool append_bytes(std::string& out, Field field, std::string_view value);

// The other way: the canonical text of a value the server sent in the field's binary form
// (without its length word), exactly as the server's own text output reads in bru's sessions
// (UTC, ISO dates). For kNumeric, kUuid, kDate, kTime, kTimestamp, kTimestampTz, kJsonb, kRaw;
// false for bytes that are not that form.
bool append_text_of(std::string& out, Field field, std::string_view binary);

}  // namespace bru::pg::binary
