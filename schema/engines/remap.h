// -REMAP-SCHEMA over one engine's DDL (Dialect::remap_schema_sql): every name in one schema named
// in another, read with the engine's own lexer (the splitter's and the archive checks'), so
// quotes, comments and quoted bodies are read the way the server reads them. A name is renamed
// where it qualifies another (old.x) or follows SCHEMA; a string literal where it starts with a
// qualified name of the old schema ('old.t', a regclass or OBJECT_ID argument); a PostgreSQL
// dollar-quoted body as SQL of its own.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/engines/lexer.h"

namespace bru::schema::dialects {

struct SchemaRemap {
  split_detail::LexRules rules;
  // Whether a word or quoted-name token spells the old schema, as the engine compares names.
  std::function<bool(std::string_view text, split_detail::TokenKind kind)> names_from;
  std::string to;  // the new schema, quoted as the engine needs
  // What a string literal starts with (after its quote) when it names something in the old
  // schema: "old.", "\"Old\"." and so on.
  std::vector<std::string> string_prefixes;
};

// sql with the old schema renamed. Throws Error(kScript) for text the lexer cannot read.
std::string remap_schema(const SchemaRemap& remap, std::string_view sql);

}  // namespace bru::schema::dialects
