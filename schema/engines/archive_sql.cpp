#include "schema/engines/archive_sql.h"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "schema/engines/lexer.h"
#include "schema/error.h"
#include "schema/text.h"

namespace bru::schema::dialects {
namespace {

using split_detail::Lexer;
using split_detail::LexRules;
using split_detail::Token;
using split_detail::TokenKind;

constexpr std::size_t kShownBytes = 120;

struct Piece {
  TokenKind kind;
  std::string_view text;
};

// The significant tokens (comments included, blanks not), or nullopt when the text cannot be
// read: a string, quoted name or comment left open, or a NUL byte (drivers stop at one).
std::optional<std::vector<Piece>> pieces_of(std::string_view dialect, std::string_view sql) {
  if (sql.find('\0') != std::string_view::npos) return std::nullopt;
  const LexRules rules = dialect == "sqlite"    ? split_detail::sqlite_lex_rules()
                         : dialect == "mariadb" ? split_detail::mariadb_lex_rules()
                                                : split_detail::postgres_lex_rules();
  Lexer lexer(rules, sql, "archive", 1);
  std::vector<Piece> pieces;
  try {
    while (!lexer.at_end()) {
      const Token token = lexer.next();
      if (token.kind == TokenKind::kSpace || token.kind == TokenKind::kNewline) continue;
      pieces.push_back({token.kind, sql.substr(token.begin, token.end - token.begin)});
    }
  } catch (const Error&) {
    return std::nullopt;
  }
  return pieces;
}

// The SQL as the message shows it: one line, cut after kShownBytes.
std::string shown(std::string_view sql) {
  std::string line;
  for (char c : sql.substr(0, kShownBytes)) line.push_back(c == '\n' || c == '\r' ? ' ' : c);
  if (sql.size() > kShownBytes) line += "...";
  return line;
}

[[noreturn]] void refuse(const std::string& entry, std::string_view kind, std::string_view sql) {
  throw Error(ErrorKind::kArchiveCorrupt,
              fmt::format("archive entry {} is not {}: {}", entry, kind, shown(sql)))
      .with_hint(
          "the archive was edited or crafted; nothing was restored. Restore only archives from "
          "a source you trust (README: what a restore can do to a target)");
}

bool is_keyword(const Piece& piece, std::string_view upper) {
  return piece.kind == TokenKind::kWord && equals_ignoring_case(piece.text, upper);
}
bool is_punct(const Piece& piece, char c) {
  return piece.kind == TokenKind::kPunct && piece.text.size() == 1 && piece.text[0] == c;
}
bool is_identifier(const Piece& piece) {
  return piece.kind == TokenKind::kWord || piece.kind == TokenKind::kQuotedName;
}

// Whether the identifier names `name`: quoted names exactly (quotes removed, doubled closing
// quotes undoubled); plain words folded as the engine folds them (PostgreSQL to lower case,
// SQLite without regard to case, MariaDB's table names as written).
bool names(std::string_view dialect, const Piece& piece, std::string_view name) {
  if (piece.kind == TokenKind::kWord) {
    if (dialect == "mariadb") return piece.text == name;
    return dialect == "sqlite" ? equals_ignoring_case(piece.text, name)
                               : to_lower(piece.text) == name;
  }
  if (piece.kind != TokenKind::kQuotedName || piece.text.size() < 2) return false;
  const char close = piece.text.back();
  std::string unquoted;
  const std::string_view body = piece.text.substr(1, piece.text.size() - 2);
  for (std::size_t pos = 0; pos < body.size(); ++pos) {
    unquoted.push_back(body[pos]);
    if (body[pos] == close && close != ']' && pos + 1 < body.size() && body[pos + 1] == close) {
      ++pos;
    }
  }
  return dialect == "sqlite" ? equals_ignoring_case(unquoted, name) : unquoted == name;
}

// Pieces [from, to) hold no statement separator, and their parentheses balance without closing
// one opened before `from`. A fragment (pasted into a clause bru writes) also has no comment,
// which could hide the rest of bru's line, and no comma outside parentheses, which would start
// another column or another ALTER TABLE action.
bool well_formed(const std::vector<Piece>& pieces, std::size_t from, std::size_t to,
                 bool fragment) {
  int depth = 0;
  for (std::size_t idx = from; idx < to; ++idx) {
    const Piece& piece = pieces[idx];
    if (piece.kind == TokenKind::kExecComment) return false;
    if (fragment && piece.kind == TokenKind::kComment) return false;
    if (is_punct(piece, ';')) return false;
    if (is_punct(piece, '(')) ++depth;
    if (is_punct(piece, ')') && --depth < 0) return false;
    if (fragment && depth == 0 && is_punct(piece, ',')) return false;
  }
  return depth == 0;
}

// The significant pieces without comments, for matching a statement's head.
std::vector<Piece> without_comments(const std::vector<Piece>& pieces) {
  std::vector<Piece> kept;
  for (const Piece& piece : pieces) {
    if (piece.kind != TokenKind::kComment) kept.push_back(piece);
  }
  return kept;
}

// Matches `[schema .] name` at idx against the table; advances idx past it.
bool names_table(std::string_view dialect, const std::vector<Piece>& pieces, std::size_t& idx,
                 const Table& table) {
  if (idx >= pieces.size() || !is_identifier(pieces[idx])) return false;
  if (idx + 2 < pieces.size() && is_punct(pieces[idx + 1], '.')) {
    const bool schema_ok = dialect == "sqlite" ? names(dialect, pieces[idx], "main")
                                               : names(dialect, pieces[idx], table.schema);
    if (!schema_ok || !names(dialect, pieces[idx + 2], table.name)) return false;
    idx += 3;
    return true;
  }
  // Unqualified: resolved through search_path on PostgreSQL, so only for tables without a
  // schema or in public (MariaDB: the connection's database).
  if (dialect == "postgres" && !table.schema.empty() && table.schema != "public") return false;
  if (!names(dialect, pieces[idx], table.name)) return false;
  ++idx;
  return true;
}

// Whether the piece at idx is the keyword `upper`; advances idx past it when it is.
bool take_keyword(const std::vector<Piece>& pieces, std::size_t& idx, std::string_view upper) {
  if (idx >= pieces.size() || !is_keyword(pieces[idx], upper)) return false;
  ++idx;
  return true;
}

bool is_create_index(std::string_view dialect, const std::vector<Piece>& all, const Table& table) {
  if (!well_formed(all, 0, all.size(), false)) return false;
  const std::vector<Piece> pieces = without_comments(all);
  std::size_t idx = 0;
  auto keyword = [&](std::string_view word) { return take_keyword(pieces, idx, word); };
  if (!keyword("CREATE")) return false;
  keyword("UNIQUE");
  if (!keyword("INDEX")) return false;
  if (keyword("IF") && !(keyword("NOT") && keyword("EXISTS"))) return false;
  if (idx < pieces.size() && !is_keyword(pieces[idx], "ON")) {
    // The index name, optionally schema-qualified (SQLite puts the schema here).
    if (!is_identifier(pieces[idx])) return false;
    ++idx;
    if (idx + 1 < pieces.size() && is_punct(pieces[idx], '.') && is_identifier(pieces[idx + 1])) {
      idx += 2;
    }
  }
  if (!keyword("ON")) return false;
  if (dialect != "sqlite") keyword("ONLY");
  if (!names_table(dialect, pieces, idx, table)) return false;
  return idx < pieces.size();  // the key list, method, predicate: checked by well_formed
}

bool is_create_table(std::string_view dialect, const std::vector<Piece>& all, const Table& table) {
  if (!well_formed(all, 0, all.size(), false)) return false;
  const std::vector<Piece> pieces = without_comments(all);
  std::size_t idx = 0;
  auto keyword = [&](std::string_view word) { return take_keyword(pieces, idx, word); };
  if (!keyword("CREATE") || !keyword("TABLE")) return false;
  if (keyword("IF") && !(keyword("NOT") && keyword("EXISTS"))) return false;
  if (!names_table(dialect, pieces, idx, table)) return false;
  if (idx >= pieces.size() || !is_punct(pieces[idx], '(')) return false;
  int depth = 0;
  for (; idx < pieces.size(); ++idx) {
    if (is_punct(pieces[idx], '(')) ++depth;
    if (is_punct(pieces[idx], ')') && --depth == 0) break;
  }
  // Table options: words and commas; MariaDB's also `name=value` with numbers and strings
  // (ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COMMENT='...').
  // MariaDB's CREATE TABLE ... [IGNORE | REPLACE] [AS] SELECT/VALUES/TABLE fills the table from
  // a query: never an option.
  for (++idx; idx < pieces.size(); ++idx) {
    if (dialect == "mariadb") {
      for (std::string_view word : {"SELECT", "AS", "IGNORE", "REPLACE", "VALUES", "TABLE", "WITH"}) {
        if (is_keyword(pieces[idx], word)) return false;
      }
    }
    if (pieces[idx].kind == TokenKind::kWord || is_punct(pieces[idx], ',')) continue;
    if (dialect == "mariadb" &&
        (is_punct(pieces[idx], '=') || pieces[idx].kind == TokenKind::kString)) {
      continue;
    }
    return false;
  }
  return true;
}

bool is_fragment(const std::vector<Piece>& pieces) {
  return !pieces.empty() && well_formed(pieces, 0, pieces.size(), true);
}

std::string of_table(const Table& table) {
  return fmt::format("of table \"{}\"", table.display_name());
}

}  // namespace

void check_create_index(std::string_view dialect, const Table& table, const Index& index) {
  const auto pieces = pieces_of(dialect, index.definition_sql);
  if (!pieces || !is_create_index(dialect, *pieces, table)) {
    refuse(fmt::format("index \"{}\" {}", index.name, of_table(table)),
           "a single CREATE INDEX on that table", index.definition_sql);
  }
}

void check_create_table(std::string_view dialect, const Table& table, std::string_view sql) {
  const auto pieces = pieces_of(dialect, sql);
  if (!pieces || !is_create_table(dialect, *pieces, table)) {
    refuse(fmt::format("table \"{}\"", table.display_name()), "a single CREATE TABLE of that table",
           sql);
  }
}

void check_constraint(std::string_view dialect, const Table& table,
                      const NativeConstraint& constraint) {
  const auto pieces = pieces_of(dialect, constraint.definition_sql);
  const bool ok = pieces && is_fragment(*pieces) &&
                  (is_keyword(pieces->front(), "CHECK") || is_keyword(pieces->front(), "EXCLUDE"));
  if (!ok) {
    refuse(fmt::format("constraint \"{}\" {}", constraint.name, of_table(table)),
           "a single CHECK or EXCLUDE constraint", constraint.definition_sql);
  }
}

void check_default(std::string_view dialect, const Table& table, const Column& column) {
  if (!column.default_sql) return;
  const auto pieces = pieces_of(dialect, *column.default_sql);
  if (!pieces || !is_fragment(*pieces)) {
    refuse(fmt::format("default of column \"{}\" {}", column.name, of_table(table)),
           "a single expression", *column.default_sql);
  }
}

void check_native_type(std::string_view dialect, const Table& table, const Column& column) {
  if (column.native_type.empty()) return;  // nothing is pasted (SQLite: a column without a type)
  const auto pieces = pieces_of(dialect, column.native_type);
  if (!pieces || !is_fragment(*pieces)) {
    refuse(fmt::format("type of column \"{}\" {}", column.name, of_table(table)),
           "a single type name", column.native_type);
  }
}

void check_referential_actions(const Table& table, const ForeignKey& fk) {
  for (const auto& [clause, action] :
       {std::pair{"ON DELETE", fk.on_delete}, std::pair{"ON UPDATE", fk.on_update}}) {
    if (action.empty()) continue;
    bool known = false;
    for (std::string_view allowed :
         {"NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"}) {
      known = known || action == allowed;
    }
    if (!known) {
      refuse(fmt::format("foreign key \"{}\" {}", fk.name, of_table(table)),
             fmt::format("a referential action ({})", clause), action);
    }
  }
}

}  // namespace bru::schema::dialects
