// The CREATE TABLE of bru_schema_history (schema/update_dialect.h), shared by the engines' update
// facets: each gives its own types.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace bru::schema::dialects {

// The columns, with each engine's types filled in: integer, big integer, text of n characters,
// timestamp with its default of "now", and the table's trailing options.
std::string history_ddl(std::string_view integer, std::string_view big_integer,
                        const std::function<std::string(int)>& text, std::string_view timestamp,
                        std::string_view options);

}  // namespace bru::schema::dialects
