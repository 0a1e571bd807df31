// bru's own sample data for the tests: the WFM model of tools/sample, as scripts and databases.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace bru::test {

// The seed the tests use (any seed gives a valid sample; this one keeps expected values fixed).
inline constexpr std::uint64_t kSampleSeed = 1;

// The WFM sample's script in a dialect (sql_writer.h), generated in memory.
std::string sample_script(std::string_view dialect, int scale = 1,
                          std::uint64_t seed = kSampleSeed);

// The sample's CREATE TABLE and CREATE INDEX statements in a dialect, in order, without ';'.
std::vector<std::string> sample_ddl(std::string_view dialect);

// The rows of the WFM sample at this scale, all tables (model.h's total_rows).
std::uint64_t sample_rows(int scale = 1);
// The rows of one of its tables.
std::uint64_t sample_rows(std::string_view table, int scale = 1);

// Creates an SQLite file holding the WFM sample, with the sqlite3 C API (SqliteFile): a path
// independent of bru's ODBC layer. Throws std::runtime_error with SQLite's message.
void load_sample_sqlite(const std::filesystem::path& path, int scale = 1);

}  // namespace bru::test
