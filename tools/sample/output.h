// Where bru-sample puts its work: a script file (written whole or not at all) or a database
// (filled through bru's ODBC layer).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "bru/odbc/connection_string.h"
#include "tools/sample/model.h"

namespace bru::sample {

// Writes the script (write_script) to `<path>.partial`, syncs it and renames it to path, so a
// reader never sees half a script; the partial file is removed on any failure. Throws
// Error(kConflict) when path exists and force is false, Error(kIo) naming the file and the
// system's reason when it cannot be written, and as write_script().
void write_script_file(const Model& model, const SampleOptions& options, std::string_view dialect,
                       const std::filesystem::path& path, bool force);

struct LoadSummary {
  std::string dialect;  // of the database loaded
  std::string display;  // the database, printable (never the password)
  std::uint64_t rows = 0;
};

// Creates the model's tables in the database named by conn_text (bru's connection grammar) and
// fills them, all in one transaction (on MariaDB, whose DDL commits, the rows are one
// transaction after the tables). Throws Error(kUsage) for a bad string or a dialect the writers
// do not know, Error(kConnect) when it cannot connect, and Error(kDatabase) naming the table
// when a statement fails: then nothing stays behind (MariaDB: the empty tables stay).
LoadSummary load_database(const Model& model, const SampleOptions& options,
                          std::string_view conn_text, const odbc::ConnectOptions& connect);

}  // namespace bru::sample
