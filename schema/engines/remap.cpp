#include "schema/engines/remap.h"

#include <optional>

#include "schema/error.h"
#include "schema/text.h"

namespace bru::schema::dialects {
namespace {

using split_detail::Lexer;
using split_detail::Token;
using split_detail::TokenKind;

// The text of the nearest token before (step -1) or after (+1) that is not blank or comment.
std::string_view significant(std::string_view sql, const std::vector<Token>& tokens,
                             std::size_t token_idx, int step) {
  for (auto idx = static_cast<long>(token_idx) + step;
       idx >= 0 && idx < static_cast<long>(tokens.size()); idx += step) {
    const Token& token = tokens[static_cast<std::size_t>(idx)];
    if (token.kind == TokenKind::kSpace || token.kind == TokenKind::kNewline ||
        token.kind == TokenKind::kComment) {
      continue;
    }
    return sql.substr(token.begin, token.end - token.begin);
  }
  return {};
}

// A dollar-quoted body (a PostgreSQL function's) remapped as SQL; a plain literal that starts
// with a name in the old schema with it renamed; nullopt otherwise.
std::optional<std::string> remap_string(const SchemaRemap& remap, std::string_view text) {
  if (text.size() >= 2 && text[0] == '$') {
    const auto tag_end = text.find('$', 1);
    const auto tag = text.substr(0, tag_end + 1);
    const auto body = text.substr(tag.size(), text.size() - 2 * tag.size());
    std::string remapped;
    try {
      remapped = remap_schema(remap, body);
    } catch (const Error&) {
      return std::nullopt;  // a body in another language (plpython, ...): kept as it is
    }
    return std::string(tag) + remapped + std::string(tag);
  }
  if (text.size() < 2 || text[0] != '\'') return std::nullopt;
  for (const std::string& prefix : remap.string_prefixes) {
    if (text.substr(1, prefix.size()) != prefix) continue;
    std::string renamed;
    for (char c : remap.to) {
      renamed += c;
      if (c == '\'') renamed += '\'';
    }
    return "'" + renamed + "." + std::string(text.substr(1 + prefix.size()));
  }
  return std::nullopt;
}

}  // namespace

std::string remap_schema(const SchemaRemap& remap, std::string_view sql) {
  Lexer lexer(remap.rules, sql, "archive", 1);
  std::vector<Token> tokens;
  while (!lexer.at_end()) tokens.push_back(lexer.next());
  std::string out;
  std::size_t copied = 0;
  auto replace = [&](const Token& token, const std::string& text) {
    out.append(sql.substr(copied, token.begin - copied));
    out += text;
    copied = token.end;
  };
  for (std::size_t token_idx = 0; token_idx < tokens.size(); ++token_idx) {
    const Token& token = tokens[token_idx];
    const auto text = sql.substr(token.begin, token.end - token.begin);
    if (token.kind == TokenKind::kWord || token.kind == TokenKind::kQuotedName) {
      if (!remap.names_from(text, token.kind)) continue;
      const auto before = significant(sql, tokens, token_idx, -1);
      const auto after = significant(sql, tokens, token_idx, +1);
      const bool qualifies = after == ".";
      const bool after_schema = equals_ignoring_case(before, "SCHEMA");
      if ((qualifies || after_schema) && before != ".") replace(token, remap.to);
    } else if (token.kind == TokenKind::kString) {
      if (auto remapped = remap_string(remap, text)) replace(token, *remapped);
    }
  }
  out.append(sql.substr(copied));
  return out;
}

}  // namespace bru::schema::dialects
