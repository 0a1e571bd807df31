// One libmariadb (Connector/C) session to MariaDB: the bulk path of a restore, LOAD DATA LOCAL
// INFILE fed from bru's memory (load_data_loader.h), beside the ODBC connection that runs the
// restore's DDL; and the streamed reads of backups and read-backs (stream_reader.h).
// Connector/ODBC can feed LOAD DATA LOCAL only from a file; libmariadb takes a read callback
// (mysql_set_local_infile_handler), so no temporary file holds the rows.
//
// MariaDB's DDL commits as it runs, so a failed restore is undone by dropping what it created
// (bru/commands/restore_undo.h), not by a rollback: each table's rows go in as one transaction of
// this session, committed once the load checked clean, before the ODBC connection adds indexes
// or reads the table back. A killed bru drops the socket; the server rolls that transaction back
// and bru's guardian drops the tables.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bru/interrupt.h"
#include "bru/odbc/connection_string.h"

struct st_mysql;

namespace bru::mariadb {

// Where and as whom libmariadb connects: the parts of the ODBC string bru built (or the user's
// odbc; string: Server/Host, Port, Socket, Database/DB, UID/User, PWD/Password). Holds the
// password: never log it.
struct ConnectParams {
  std::string host;
  unsigned int port = 0;
  std::string socket;
  std::string database;
  std::string user;
  std::string password;
  unsigned int timeout_seconds = 0;  // -TIMEOUT; 0: libmariadb's default
};

// nullopt when the string names a DSN (odbc.ini holds its details: the ODBC path is used then).
std::optional<ConnectParams> connect_params_of(const odbc::ConnectTarget& target,
                                               int login_timeout_seconds);

// The statements that end sessions of this server by their CONNECTION_ID() (a parallel restore's
// undo ends its own sessions so, restore_parallel.h): KILL CONNECTION of one (an id that has gone
// already fails with 1094, "Unknown thread id"), the count of those of `ids` still in the
// processlist, and the id of the asking session.
std::string kill_connection_sql(std::uint64_t id);
std::string count_connections_sql(const std::vector<std::uint64_t>& ids);
std::string connection_id_sql();
// "1" when the server allows LOAD DATA LOCAL INFILE.
std::string local_infile_sql();

class Session {
 public:
  // Connects with the utf8mb4 character set of the ODBC session, and MYSQL_OPT_LOCAL_INFILE on
  // where `local_infile` (a LOAD DATA session). Throws Error(kConnect) naming the session's
  // `purpose` ("LOAD DATA session") with libmariadb's message (which never holds the password).
  Session(const ConnectParams& params, const std::string& display, std::string_view purpose,
          bool local_infile);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Runs one statement; a result set is read and dropped. Throws Error(kDatabase) with the
  // server's message, SQLSTATE and error number.
  void execute(std::string_view sql);
  // The first row of a query, NULL as ""; empty when there is none.
  std::vector<std::string> query_row(std::string_view sql);
  // The first column of the first row of a query; "" when there is none or it is NULL.
  std::string query_value(std::string_view sql);

  // The server's id of this session (CONNECTION_ID(), the processlist's ID, what KILL takes).
  std::uint64_t connection_id() const noexcept;
  // Ends the connection at once (mariadb_cancel: the socket is shut down), so that a statement
  // running on another thread fails with a lost connection; the session is unusable afterwards.
  // The interrupt watcher calls it after SIGINT/SIGTERM (a statement of libmariadb's does not
  // look at signals); Session::fail then reports the interrupt.
  // The server sees the end when it next reads or writes the socket: to stop a statement it runs
  // (an ALTER TABLE), KILL the session's connection_id(). Thread-safe.
  void cancel() noexcept;

  st_mysql* native() const noexcept { return mysql_; }
  const std::string& display() const noexcept { return display_; }

  // An Error of the session's last failure: "<what>: <server message>" with its SQLSTATE and
  // error number; kConnect when the connection is gone.
  [[noreturn]] void fail(std::string_view what) const;

 private:
  st_mysql* mysql_ = nullptr;
  std::string display_;
  std::unique_ptr<CancelHook> interrupt_;  // set once connected; reset first on destruction
};

}  // namespace bru::mariadb
