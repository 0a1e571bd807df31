// bru-sample: writes bru's sample database as an SQL script, or loads it into a database.
// The command line only; the work is in model.h, sql_writer.h and output.h.
#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <charconv>
#include <cstdio>
#include <iostream>

#include "bru/odbc/connection_string.h"
#include "schema/error.h"
#include "tools/sample/model.h"
#include "tools/sample/output.h"
#include "tools/sample/sql_writer.h"

namespace po = boost::program_options;

namespace bru::sample {
namespace {

constexpr int kMaxScale = 100000;

constexpr const char* kUsage =
    "usage: bru-sample [--model wfm|wfm65] [--schema-only] [--scale N] [--seed N]\n"
    "                  (--dialect sqlite|postgres|mariadb|mssql|oracle [--out FILE [--force]]\n"
    "                   | --db <conn>)\n";

Error usage_error(std::string message, std::string hint) {
  return Error(ErrorKind::kUsage, std::move(message), {std::move(hint)});
}

// A whole number in [low, high], or a usage error naming the option.
std::uint64_t parse_number(const std::string& option, const std::string& text, std::uint64_t low,
                           std::uint64_t high) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    throw usage_error(fmt::format("--{} must be a whole number from {} to {}, not \"{}\"", option,
                                  low, high, text),
                      option == "scale"
                          ? "scale 1 is about 15,000 rows (1 MB); rows grow linearly"
                          : "any seed gives a valid sample; the same seed, the same one");
  }
  return value;
}

int run(int argc, char** argv) {
  po::options_description options("options");
  options.add_options()("help,h", "this help")(
      "model", po::value<std::string>()->default_value("wfm"), "the sample model: wfm (8.5) or wfm65 (the 6.5 legacy database)")(
      "scale", po::value<std::string>()->default_value("1"),
      "size: 1 is about 15,000 rows (1 MB of SQL); rows grow linearly (1000: about 15 million)")(
      "seed", po::value<std::string>()->default_value("1"),
      "the random seed: the same seed and scale give the same bytes")(
      "dialect", po::value<std::string>(),
      "write a script for sqlite, postgres, mariadb, mssql or oracle")(
      "out", po::value<std::string>(), "the script's file (default: standard output)")(
      "force", "replace an existing --out file")(
      "schema-only", "write only the tables and their reference rows (sql/wfm/legacy/)")(
      "db", po::value<std::string>(),
      "create and fill the tables in this database, e.g. \"sqlite;wfm.sqlite\" or "
      "\"postgres;127.0.0.1:5432;db;user;password\" (the password may come from BRU_PASSWORD)");
  po::variables_map given;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).run(), given);
  } catch (const po::error& parse_error) {
    throw usage_error(parse_error.what(), "bru-sample --help lists the options");
  }
  if (given.count("help") != 0) {
    std::cout << kUsage << '\n' << options;
    return 0;
  }

  const auto model = make_model(given["model"].as<std::string>());
  SampleOptions sample;
  sample.scale =
      static_cast<int>(parse_number("scale", given["scale"].as<std::string>(), 1, kMaxScale));
  sample.seed = parse_number("seed", given["seed"].as<std::string>(), 0, UINT64_MAX);
  sample.schema_only = given.count("schema-only") != 0;

  if (given.count("db") != 0) {
    if (given.count("dialect") != 0 || given.count("out") != 0) {
      throw usage_error("--db loads a database: it takes no --dialect or --out",
                        "leave out --db to write a script, or --dialect and --out to load");
    }
    const auto summary =
        load_database(*model, sample, given["db"].as<std::string>(), odbc::ConnectOptions{});
    std::cout << fmt::format(
        "bru-sample: loaded {} (scale {}, seed {}) into {}: {} tables, {} rows\n", model->name(),
        sample.scale, sample.seed, summary.display, model->tables().size(), summary.rows);
    return 0;
  }
  if (given.count("dialect") == 0) {
    throw usage_error("give --dialect to write a script, or --db to load a database",
                      "e.g. bru-sample --dialect sqlite --out wfm.sql, or bru-sample --db "
                      "\"sqlite;wfm.sqlite\"");
  }
  const auto dialect = given["dialect"].as<std::string>();
  if (given.count("out") == 0) {
    require_sample_dialect(dialect);
    std::ios::sync_with_stdio(false);
    write_script(*model, sample, dialect, std::cout);
    return 0;
  }
  const std::string out = given["out"].as<std::string>();
  write_script_file(*model, sample, dialect, out, given.count("force") != 0);
  std::cerr << fmt::format(
      "bru-sample: wrote {} (scale {}, seed {}, {}) to {}: {} tables, {}\n", model->name(),
      sample.scale, sample.seed, dialect, out, model->tables().size(),
      sample.schema_only ? std::string("schema only")
                         : fmt::format("{} rows", total_rows(*model, sample.scale)));
  return 0;
}

}  // namespace
}  // namespace bru::sample

int main(int argc, char** argv) {
  try {
    return bru::sample::run(argc, argv);
  } catch (const bru::Error& error) {
    std::cout.flush();
    std::fputs(error.render().c_str(), stderr);
    return error.exit_code();
  } catch (const std::exception& unexpected) {
    std::fputs(bru::Error(bru::ErrorKind::kInternal, unexpected.what()).render().c_str(), stderr);
    return static_cast<int>(bru::ErrorKind::kInternal);
  }
}
