#include "schema/dialect_names.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "schema/engines/registry.h"
#include "schema/text.h"

namespace bru::schema {
namespace {

// Spellings people type for an engine, besides the dialect's own name: (alias, dialect), from
// each engine's Dialect::aliases().
const std::vector<std::pair<std::string_view, std::string_view>>& aliases() {
  static const auto kAliases = [] {
    std::vector<std::pair<std::string_view, std::string_view>> pairs;
    for (const auto& engine : engines()) {
      for (const auto alias : engine.make()->aliases()) pairs.emplace_back(alias, engine.name);
    }
    return pairs;
  }();
  return kAliases;
}

}  // namespace

const std::vector<std::string_view>& dialect_names() {
  static const auto kNames = [] {
    std::vector<std::string_view> names;
    for (const auto& engine : engines()) names.push_back(engine.name);
    return names;
  }();
  return kNames;
}

const std::vector<std::string_view>& backup_dialect_names() {
  static const auto kNames = [] {
    std::vector<std::string_view> names;
    for (const auto& engine : engines()) {
      if (engine.make()->backs_up()) names.push_back(engine.name);
    }
    return names;
  }();
  return kNames;
}

bool backs_up(std::string_view dialect) {
  const auto& names = backup_dialect_names();
  return std::find(names.begin(), names.end(), dialect) != names.end();
}

std::optional<std::string> dialect_of_word(std::string_view word) {
  const std::string key = to_lower(word);
  for (const auto name : dialect_names()) {
    if (key == name) return std::string(name);
  }
  for (const auto& [alias, dialect] : aliases()) {
    if (key == alias) return std::string(dialect);
  }
  return std::nullopt;
}

std::string suggest_dialect(std::string_view word) {
  if (auto dialect = dialect_of_word(word)) return *dialect;
  const std::string key = to_lower(word);
  // A suggestion only for a near miss: at most two edits, and fewer than half the word.
  std::size_t best_distance = std::min<std::size_t>(3, (key.size() + 1) / 2);
  std::string best;
  auto consider = [&](std::string_view spelling, std::string_view dialect) {
    const auto distance = edit_distance(key, spelling);
    if (distance < best_distance) {
      best = dialect;
      best_distance = distance;
    }
  };
  for (const auto name : dialect_names()) consider(name, name);
  for (const auto& [alias, dialect] : aliases()) consider(alias, dialect);
  return best;
}

Error unknown_dialect(std::string_view word, const std::vector<std::string_view>& known) {
  Error error(ErrorKind::kUsage, fmt::format("unknown dialect \"{}\"", word));
  const auto suggestion = suggest_dialect(word);
  if (!suggestion.empty() && std::find(known.begin(), known.end(), suggestion) != known.end()) {
    error.with_hint(fmt::format("did you mean {}?", suggestion));
  }
  error.with_hint(fmt::format("known dialects: {}", fmt::join(known, ", ")));
  return error;
}

std::unique_ptr<Dialect> make_dialect(std::string_view name) {
  if (const Engine* engine = find_engine(name)) return engine->make();
  throw unknown_dialect(name, dialect_names());
}

}  // namespace bru::schema
