// The MariaDB loader: one LOAD DATA LOCAL INFILE per table on a libmariadb session
// (session.h), the rows streamed from memory while they come from the archive.
//
// libmariadb asks for the "file" through a read callback while the statement runs; bru's loader
// is pushed batch by batch (data::TableLoader). So the statement runs on a thread of its own,
// and its read callback takes the rows that write() and write_piece() hand over, 1 MiB at a time
// (two such buffers at most: one being sent, one being filled). bru formats rows while the server
// parses the ones before.
//
// The rows are in LOAD DATA's text form (Dialect::load_data_sql: CHARACTER SET binary, fields
// ended by tab, lines by newline, escapes by backslash): \N is NULL; backslash, tab, newline and
// NUL bytes in a value are escaped (\\ \t \n \0); everything else goes as it is, text as its UTF-8
// bytes (the server checks them as it checks bound text), binary values as their bytes, numbers
// in the text MariaDB reads back as the same value.
//
// LOAD DATA LOCAL turns what would be an error into a warning and goes on (a value too long is
// cut, a duplicate key skips its row: the server cannot stop the client's file half way), even
// under the strict sql_mode of bru's session. So the table's rows go in one transaction, and
// finish() commits it only when the statement left no warning and took every row: otherwise it
// rolls back and fails with the first warning (exit 11 for a value the column would change,
// naming the column and row; exit 4 for a duplicate key and the rest).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "bru/data/long_row_stream.h"
#include "bru/data/table_loader.h"
#include "bru/mariadb/session.h"
#include "schema/catalog.h"
#include "schema/dialect.h"
#include "schema/error.h"

namespace bru::mariadb {

// What passes from the loader to the statement's read callback, under its mutex.
class RowFeed {
 public:
  // The producer: hands `bytes` over (swapped: `bytes` comes back empty) once the callback has
  // taken the ones before. False when the statement ended without taking them (it failed).
  bool put(std::string& bytes);
  // No more rows will come: the callback returns end-of-file after the last bytes.
  void close();
  // The statement must stop: the callback returns an error.
  void abort();
  // The statement ended; put() no longer waits.
  void statement_ended();

  // The read callback: copies up to `size` bytes; 0 at the end, -1 when aborted.
  int read(char* into, unsigned int size);

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string ready_;
  std::size_t taken_ = 0;
  bool closed_ = false;
  bool aborted_ = false;
  bool ended_ = false;
};

class LoadDataLoader final : public data::TableLoader {
 public:
  // Starts the table's transaction and its LOAD DATA statement.
  LoadDataLoader(Session& session, const schema::Dialect& dialect, const schema::Table& table);
  // A load that did not finish stops its statement and rolls back.
  ~LoadDataLoader() override;
  LoadDataLoader(const LoadDataLoader&) = delete;
  LoadDataLoader& operator=(const LoadDataLoader&) = delete;

  void write(const archive::Batch& batch) override;
  // A long value's pieces go into the stream as they come: the server reads the field whole,
  // bru holds one piece.
  void write_piece(std::size_t column_idx, std::string_view piece) override;
  data::LoadReport finish() override;
  std::int64_t rows_written() const noexcept override { return rows_written_; }

 private:
  void run_statement();
  void append_value(const archive::Batch& batch, std::size_t column_idx, std::size_t row);
  // Appends the long row's columns from long_row_.column() on, up to the next long value (whose
  // pieces follow) or the row's end.
  void continue_long_row();
  void hand_over();
  // Ends the statement (closed: it took every row; else it is stopped) and joins its thread.
  void end_statement(bool closed);
  // The statement's failure, or its first warning, as the Error the load ends with.
  [[noreturn]] void fail_load();
  [[noreturn]] void fail_on_warnings();
  void rollback_quietly() noexcept;

  Session& session_;
  const schema::Dialect& dialect_;
  const schema::Table& table_;
  std::string sql_;
  std::string buffer_;
  RowFeed feed_;
  std::thread statement_;
  bool statement_failed_ = false;  // set by the statement's thread before it ends
  bool in_transaction_ = false;
  std::int64_t rows_written_ = 0;
  std::uint64_t max_value_bytes_ = 0;  // the session's max_allowed_packet; 0: not known
  data::LongRowStream long_row_;  // the row whose long values are being sent
};

}  // namespace bru::mariadb
