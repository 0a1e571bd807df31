// SQL functions bru registers in every SQLite database opened in its process (sqlite3_auto_extension),
// so that SQLite databases reached through sqliteodbc, which links the same libsqlite3, read and
// write long values in pieces with SQLite's incremental blob I/O instead of loading them whole
// (issue 11 item 7; bru/data/long_values.h). On a rowid table only (SQLite's blob I/O needs one).
//
//   bru_read_piece(table, column, rowid, offset, length): `length` bytes of the stored TEXT or
//     BLOB from byte `offset` (from 0; fewer at the value's end), as a BLOB.
//   bru_write_piece(table, column, rowid, offset, bytes): writes the bytes into the stored value
//     (a zeroblob(), bru_zeros() or bru_zero_text() of the whole value's length) at `offset`;
//     returns NULL. Fails, as sqlite3_blob_open() does, for a column that is indexed or part of
//     a key.
//   bru_value_bytes(table, column, rowid): the stored TEXT or BLOB's length in bytes, read from
//     the row's header without loading the value (length() loads a TEXT to count its
//     characters); fails for a value of another type.
//   bru_zeros(length), bru_zero_text(length): a BLOB, a TEXT, of `length` zero bytes that cost
//     no memory until SQLite copies them into a row (they are a read-only mapping of the zero
//     page), for bru_write_piece() to write into: zeroblob() costs its length wherever it is not
//     at the row's end, and there is no zeroblob() for TEXT. bru_zero_text() fails in a
//     database whose text is not UTF-8 (the pieces are UTF-8).
//
// Both look the table up in the "main" database.
#pragma once

namespace bru::data {

// Registers the functions for every SQLite database opened from now on; idempotent.
void register_sqlite_piece_functions();

}  // namespace bru::data
