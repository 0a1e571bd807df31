// The engines bru knows, the words that name them, and which commands speak each, as read from
// the registry (schema/engines/registry.h): what the connection grammar, -DIALECT, the dialect
// factories and their messages list.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/dialect.h"
#include "schema/error.h"

namespace bru::schema {

// Every dialect name, in the order messages list them: postgres, mssql, oracle, sqlite, mariadb.
// All have an update facet (Dialect::update()) and script splitting rules.
const std::vector<std::string_view>& dialect_names();

// The dialects backup and restore speak (Dialect::backs_up()): every engine of the registry.
const std::vector<std::string_view>& backup_dialect_names();
bool backs_up(std::string_view dialect);

// The dialect a word names, case-insensitively: a dialect name or a spelling people type for it
// (postgresql, pg, pgsql, mysql, sqlserver, sqlite3). nullopt for any other word.
std::optional<std::string> dialect_of_word(std::string_view word);

// The dialect a mistyped word most likely means, for "did you mean ...?": the dialect of an
// alias ("mysql" -> "mariadb"), or of the nearest name or alias at most two edits away and fewer
// edits than half the word ("postgre" -> "postgres", "mssqlserver" -> "mssql"). Empty otherwise.
std::string suggest_dialect(std::string_view word);

// The Dialect of the engine of that name (schema/engines/registry.h). Throws bru::Error(kUsage)
// naming the known dialects (all of them) when name is unknown.
std::unique_ptr<Dialect> make_dialect(std::string_view name);

// Error(kUsage) `unknown dialect "<word>"` with a "did you mean" hint when suggest_dialect finds
// one, and a hint listing `known` (the names the caller accepts).
Error unknown_dialect(std::string_view word, const std::vector<std::string_view>& known);

}  // namespace bru::schema
