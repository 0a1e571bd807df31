// Checksums over the table of contents (format 2, FORMAT.md "Table of contents checksums"):
// a row checksum on every row of bru_meta, bru_objects and bru_columns, and one digest over all of
// them plus the chunk index. Internal to formats/: the writer and the reader both use these
// functions, so the canonical encoding exists once.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "formats/archive_crypto.h"
#include "formats/sqlite_db.h"

namespace bru::archive::toc {

// XXH3-64 (seed 0) of the canonical encoding of columns [0, column_count) of the current row:
// per value one tag byte (0 NULL, 1 integer, 2 real, 3 text, 4 blob) then, unless NULL, 8 bytes
// little-endian (the integer, the real's IEEE 754 bits) or the 8-byte little-endian length and
// the bytes. The SQLite storage class is part of the value: 1 and '1' differ.
std::uint64_t row_checksum(const sqlite::Statement& row, int column_count);

// Seals a finished table of contents: writes bru_meta toc_mac (with keys: an encrypted archive)
// and toc_digest (toc_digest() below), then the row_checksum of every bru_meta, bru_objects and
// bru_columns row. The writer calls it in its last transaction, after every other row is written.
// Throws SqliteFailure.
void seal(sqlite::Database& db, const crypto::Keys* keys);

// The table of contents as one byte stream, fed to `sink` piece by piece: in this order, every
// bru_meta row but toc_digest and toc_mac (by key), every bru_objects row (by object_id), every
// bru_columns row (by object_id, ordinal) and every chunk index row (bru_chunks without the
// payload, by object_id, seq), each section preceded by its table name and a NUL byte, each row
// in the row checksum's encoding. Throws SqliteFailure.
void toc_stream(sqlite::Database& db, const crypto::ByteSink& sink);

// The digest of the table of contents: XXH3-64 of toc_stream(). Throws SqliteFailure.
std::uint64_t toc_digest(sqlite::Database& db);

// The MAC of an encrypted archive's table of contents: keys.toc_mac() of toc_stream(), as hex.
// Throws SqliteFailure.
std::string toc_mac(sqlite::Database& db, const crypto::Keys& keys);

}  // namespace bru::archive::toc
