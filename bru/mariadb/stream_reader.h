// Reads a MariaDB table through a libmariadb session as one streamed result (mysql_use_result):
// the server sends the rows as bru takes them, so bru holds a batch and the row it is at, never
// the result. Connector/ODBC 3.1.15 holds a whole result set (mariadb_profile.cpp), which is why
// the ODBC path reads in pages along a key (Dialect::page_key); a table without such a key was
// read whole there, its size in bru's memory. A backup reads through this a table it cannot page
// or that has no column whose values may be longer than a piece (Dialect::sliceable_columns):
// every table, except a keyed one with long columns, whose long values the ODBC path reads in
// slices. A value is read whole here: the largest row, not the table, bounds bru's memory.
//
// The values are the ones the ODBC path reads (select_sql()'s canonical forms), from the text
// protocol: integers and doubles from their text, except that a FLOAT, which MariaDB prints with
// 6 significant digits, is asked for as a DOUBLE, which it prints exactly: the float's value, as
// the ODBC path holds it (tests/cli/mariadb_stream_test.cpp compares the two paths).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "bru/mariadb/session.h"
#include "formats/batch.h"
#include "schema/catalog.h"
#include "schema/dialect.h"

namespace bru::mariadb {

// What a session that streams runs once connected: the server gives up on a client that takes no
// rows for net_write_timeout (60 s by default), and a backup's session waits while the archive
// writer is behind.
std::string reading_session_sql();

// Whether `table` is read through this reader rather than the ODBC one (see above).
bool streams(const schema::Dialect& dialect, const schema::Table& table);

// The SELECT this reader runs (exposed for tests).
std::string stream_select_sql(const schema::Dialect& dialect, const schema::Table& table);

// Runs it on `session` and calls on_batch with batches of about batch_bytes of values; returns
// the rows read. Throws Error(kDatabase) from the server, kConnect when the connection is lost,
// kInterrupted on SIGINT/SIGTERM (the interrupt watcher ends the connection), kInternal for a
// value that does not read as its column's kind.
std::int64_t read_table(Session& session, const schema::Dialect& dialect,
                        const schema::Table& table,
                        const std::function<void(archive::Batch&&)>& on_batch,
                        std::size_t batch_bytes);

}  // namespace bru::mariadb
