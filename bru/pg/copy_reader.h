// Reads one table through a libpq session with COPY (SELECT ...) TO STDOUT (FORMAT binary) into
// the same batches the ODBC reader (bru/data/table_reader.h) makes from the same table: the
// dialect's select_sql() gives every value in its canonical form, and the outer SELECT here makes
// each column arrive as int8 (integers, booleans), float8 (double precision) or text/bytea
// (everything else; real as its shortest text, read back as a double as psqlODBC does). A
// restore through COPY verifies its tables with this reader on the session that holds its
// transaction, so the check sees the rows it loaded.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <utility>
#include <optional>
#include <string>
#include <vector>

#include "bru/data/long_values.h"
#include "bru/pg/session.h"
#include "formats/batch.h"
#include "schema/catalog.h"
#include "schema/dialect.h"

namespace bru::pg {

// The COPY ... TO STDOUT statement for a table (exposed for tests); `select` yields its rows
// (dialect.select_sql(table) when not given).
std::string copy_out_sql(const schema::Dialect& dialect, const schema::Table& table);
std::string copy_out_sql(const schema::Dialect& dialect, const schema::Table& table,
                         const std::string& select);

// Runs the COPY and calls on_batch with batches of about batch_bytes of values. Returns the
// rows read. Throws Error(kDatabase) from the server, kInternal for a stream that does not parse
// (a bug: the server speaks the documented format), kInterrupted on SIGINT.
std::int64_t read_table(Session& session, const schema::Dialect& dialect,
                        const schema::Table& table,
                        const std::function<void(archive::Batch&&)>& on_batch,
                        std::size_t batch_bytes = 4u << 20);
// Same, values longer than piece_bytes read in slices (bru/data/long_values.h): a row with one
// comes as a batch of that row alone, then on_piece has its pieces. Also throws kDatabase when the
// slices do not add up to the lengths. A `filter` (one of page_ranges(), "" for all) reads only
// the rows it holds for.
std::int64_t read_table(Session& session, const schema::Dialect& dialect,
                        const schema::Table& table,
                        const std::function<void(archive::Batch&&)>& on_batch,
                        const data::PieceSink& on_piece, std::size_t batch_bytes,
                        std::uint64_t piece_bytes, const std::string& filter = "");

// The tables whose heap has min_pages pages or more now, by (schema, name), with their pages:
// those a parallel read slices (page_ranges). One query for the whole database. None on a server
// before PostgreSQL 14 (no TID range scan: each slice would read the whole table); only plain
// tables and materialized views (not a view, a foreign or partitioned table).
std::map<std::pair<std::string, std::string>, std::int64_t> large_heaps(Session& session,
                                                                       std::int64_t min_pages);
// `slices` conditions on ctid that split a heap of `pages` pages into ranges of pages about
// equal, together every row exactly once (the last is open-ended: a page added since
// large_heaps() is in it). Each is read by a TID range scan, which reads only its pages.
std::vector<std::string> page_ranges(std::int64_t pages, std::size_t slices);

}  // namespace bru::pg
