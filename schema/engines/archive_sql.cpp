#include "schema/engines/archive_sql.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "schema/engines/lexer.h"
#include "schema/engines/mssql/mssql.h"
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
std::optional<std::vector<Piece>> pieces_with(const LexRules& rules, std::string_view sql) {
  if (sql.find('\0') != std::string_view::npos) return std::nullopt;
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

std::optional<std::vector<Piece>> pieces_of(std::string_view dialect, std::string_view sql) {
  return pieces_with(dialect == "sqlite"    ? split_detail::sqlite_lex_rules()
                     : dialect == "mariadb" ? split_detail::mariadb_lex_rules()
                     : dialect == "oracle"  ? split_detail::oracle_lex_rules()
                     : dialect == "mssql"   ? split_detail::mssql_lex_rules()
                                            : split_detail::postgres_lex_rules(),
                     sql);
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
// Oracle to upper case, SQLite without regard to case, MariaDB's table names as written).
bool names(std::string_view dialect, const Piece& piece, std::string_view name) {
  if (piece.kind == TokenKind::kWord) {
    if (dialect == "mariadb") return piece.text == name;
    if (dialect == "oracle") return to_upper(piece.text) == name;
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
  if (!keyword("CREATE")) return false;
  const bool postgres = dialect == "postgres";
  if (postgres) keyword("UNLOGGED");
  if (!keyword("TABLE")) return false;
  if (keyword("IF") && !(keyword("NOT") && keyword("EXISTS"))) return false;
  if (!names_table(dialect, pieces, idx, table)) return false;
  if (postgres && keyword("PARTITION")) {
    // CREATE TABLE t PARTITION OF parent FOR VALUES ... | DEFAULT [PARTITION BY ...] [WITH ...]
    if (!keyword("OF") || idx >= pieces.size() || !is_identifier(pieces[idx])) return false;
    ++idx;
    if (idx + 1 < pieces.size() && is_punct(pieces[idx], '.') && is_identifier(pieces[idx + 1])) {
      idx += 2;
    }
    if (!(keyword("FOR") && keyword("VALUES")) && !keyword("DEFAULT")) return false;
    --idx;  // the clauses after the bound are checked below with those after a column list
  } else {
    if (idx >= pieces.size() || !is_punct(pieces[idx], '(')) return false;
    int depth = 0;
    for (; idx < pieces.size(); ++idx) {
      if (is_punct(pieces[idx], '(')) ++depth;
      if (is_punct(pieces[idx], ')') && --depth == 0) break;
    }
  }
  // Table options. SQLite: only words and commas (WITHOUT ROWID, STRICT). PostgreSQL: also the
  // parenthesised lists of FOR VALUES, PARTITION BY and WITH (storage parameters). MariaDB: also
  // `name=value` with numbers and strings (ENGINE=InnoDB AUTO_INCREMENT=5 COMMENT='...'). Never
  // AS, and on MariaDB never [IGNORE | REPLACE] SELECT/VALUES/TABLE: those fill the table from a
  // query.
  const bool mariadb = dialect == "mariadb";
  int depth = 0;
  for (++idx; idx < pieces.size(); ++idx) {
    const Piece& piece = pieces[idx];
    if (postgres && is_punct(piece, '(')) ++depth;
    if (postgres && is_punct(piece, ')')) --depth;
    if (depth > 0 || (postgres && is_punct(piece, ')'))) continue;
    if (is_keyword(piece, "AS")) return false;
    if (mariadb) {
      for (std::string_view word : {"SELECT", "IGNORE", "REPLACE", "VALUES", "TABLE", "WITH"}) {
        if (is_keyword(piece, word)) return false;
      }
      if (is_punct(piece, '=') || piece.kind == TokenKind::kString) continue;
    }
    if (piece.kind != TokenKind::kWord && !is_punct(piece, ',')) return false;
  }
  return true;
}

bool is_fragment(const std::vector<Piece>& pieces) {
  return !pieces.empty() && well_formed(pieces, 0, pieces.size(), true);
}

// "A, B or C".
std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t idx = 0; idx < words.size(); ++idx) {
    if (idx > 0) out += idx + 1 == words.size() ? " or " : ", ";
    out += words[idx];
  }
  return out;
}

std::string of_table(const Table& table) {
  return fmt::format("of table \"{}\"", table.display_name());
}

using Heads = std::vector<std::vector<std::string_view>>;

// MariaDB's forms, as SHOW CREATE writes them once the DEFINER clause is out
// (schema/engines/mariadb/mariadb_objects.h); the object's name follows the head.
const Heads& mariadb_heads_of(std::string_view kind) {
  static const std::vector<std::pair<std::string_view, Heads>> heads = {
      {"view",
       {{"CREATE", "ALGORITHM", "=", "*", "SQL", "SECURITY", "*", "VIEW"},
        {"CREATE", "ALGORITHM", "=", "*", "VIEW"},
        {"CREATE", "SQL", "SECURITY", "*", "VIEW"},
        {"CREATE", "VIEW"}}},
      {"procedure", {{"CREATE", "PROCEDURE"}}},
      {"function", {{"CREATE", "FUNCTION"}, {"CREATE", "AGGREGATE", "FUNCTION"}}},
      {"trigger", {{"CREATE", "TRIGGER"}}},
      {"event", {{"CREATE", "EVENT"}}},
      {"sequence", {{"CREATE", "SEQUENCE"}}},
      {"sequence value", {{"SELECT", "SETVAL", "("}}},
  };
  static const Heads none;
  for (const auto& [name, list] : heads) {
    if (name == kind) return list;
  }
  return none;
}

// Oracle's forms (schema/engines/oracle/oracle_objects.h); the object's name follows the head.
const Heads& oracle_heads_of(std::string_view kind) {
  static const std::vector<std::pair<std::string_view, Heads>> heads = {
      {"sequence", {{"CREATE", "SEQUENCE"}}},
      {"view", {{"CREATE", "OR", "REPLACE", "FORCE", "VIEW"}}},
      {"procedure", {{"CREATE", "OR", "REPLACE", "PROCEDURE"}}},
      {"function", {{"CREATE", "OR", "REPLACE", "FUNCTION"}}},
      {"trigger", {{"CREATE", "OR", "REPLACE", "TRIGGER"}}},
      {"package", {{"CREATE", "OR", "REPLACE", "PACKAGE"}}},
      {"package body", {{"CREATE", "OR", "REPLACE", "PACKAGE", "BODY"}}},
      {"type", {{"CREATE", "OR", "REPLACE", "TYPE"}}},
      {"type body", {{"CREATE", "OR", "REPLACE", "TYPE", "BODY"}}},
  };
  static const Heads none;
  for (const auto& [name, list] : heads) {
    if (name == kind) return list;
  }
  return none;
}

// Whether the pieces begin with the head: "*" any word, a one-character punctuation head that
// character, anything else that keyword.
bool starts_with_head(const std::vector<Piece>& pieces, const std::vector<std::string_view>& head) {
  if (pieces.size() < head.size()) return false;
  for (std::size_t idx = 0; idx < head.size(); ++idx) {
    const Piece& piece = pieces[idx];
    if (head[idx] == "*") {
      if (piece.kind != TokenKind::kWord) return false;
    } else if (head[idx].size() == 1 && !std::isalpha(static_cast<unsigned char>(head[idx][0]))) {
      if (!is_punct(piece, head[idx][0])) return false;
    } else if (!is_keyword(piece, head[idx])) {
      return false;
    }
  }
  return true;
}

// One Oracle statement of the entry's kind on the object it names, unqualified (a restore creates
// it in the connecting user's schema). A PL/SQL unit holds `;`s: Oracle compiles the whole text
// as that one unit and runs no second statement from it (a unit with text after its END is
// created invalid). A view or sequence is one SQL statement without `;`.
bool is_oracle_object(const SchemaObject& object, const std::string& sql, const Heads& heads) {
  const auto all = pieces_of("oracle", sql);
  if (!all || all->empty()) return false;
  const bool unit = object.kind != "view" && object.kind != "sequence";
  if (!unit && !well_formed(*all, 0, all->size(), false)) return false;
  const auto pieces = without_comments(*all);
  return std::any_of(heads.begin(), heads.end(), [&](const auto& head) {
    const std::size_t at = head.size();
    // CREATE OR REPLACE PACKAGE BODY is no PACKAGE named BODY.
    const bool body_head = at < pieces.size() && is_keyword(pieces[at], "BODY") &&
                           object.kind.find("body") == std::string::npos;
    return starts_with_head(pieces, head) && !body_head && at < pieces.size() &&
           is_identifier(pieces[at]) && names("oracle", pieces[at], object.name) &&
           (at + 1 == pieces.size() || !is_punct(pieces[at + 1], '.'));
  });
}

// SQL Server's forms: a module as sys.sql_modules keeps its text, the identity position bru
// writes, and the schema -REMAP-SCHEMA adds (schema/engines/mssql/mssql_catalog.cpp).
const Heads& mssql_heads_of(std::string_view kind) {
  static const std::vector<std::pair<std::string_view, Heads>> heads = {
      {"view", {{"CREATE", "VIEW"}, {"CREATE", "OR", "ALTER", "VIEW"}}},
      {"procedure",
       {{"CREATE", "PROCEDURE"}, {"CREATE", "PROC"}, {"CREATE", "OR", "ALTER", "PROCEDURE"},
        {"CREATE", "OR", "ALTER", "PROC"}}},
      {"function", {{"CREATE", "FUNCTION"}, {"CREATE", "OR", "ALTER", "FUNCTION"}}},
      {"trigger", {{"CREATE", "TRIGGER"}, {"CREATE", "OR", "ALTER", "TRIGGER"}}},
      {"sequence value", {{"DBCC", "CHECKIDENT", "("}}},
      {"schema", {{"IF", "SCHEMA_ID", "("}}},
  };
  static const Heads none;
  for (const auto& [name, list] : heads) {
    if (name == kind) return list;
  }
  return none;
}

// One SQL Server statement of the entry's kind. A module (view, procedure, function, trigger) is
// the whole batch it stands in: SQL Server takes no other statement beside a CREATE VIEW,
// FUNCTION or TRIGGER, and a procedure's body runs to the batch's end, so its `;`s start
// nothing; but a GO line would end the batch for sqlcmd (a -SQL script), so none may stand in
// it. A schema entry is exactly create_schema_sql() of its name.
bool is_mssql_object(const SchemaObject& object, const std::string& sql, const Heads& heads) {
  if (object.kind == "schema") {
    return MssqlDialect().create_schema_sql(object.name) == std::vector<std::string>{sql};
  }
  const auto all = pieces_of("mssql", sql);
  if (!all || all->empty()) return false;
  const bool module = object.kind != "sequence value";
  if (!module && !well_formed(*all, 0, all->size(), false)) return false;
  for (std::string_view rest = sql; !rest.empty();) {
    const auto end = rest.find('\n');
    if (equals_ignoring_case(split_detail::trim(rest.substr(0, end)), "GO")) return false;
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
  }
  const auto pieces = without_comments(*all);
  return std::any_of(heads.begin(), heads.end(),
                     [&](const auto& head) { return starts_with_head(pieces, head); });
}

// The statement heads each schema object kind may have, as keyword sequences; "*" matches any one
// word (ALGORITHM=MERGE, SQL SECURITY INVOKER).
const Heads& heads_of(std::string_view dialect, std::string_view kind) {
  if (dialect == "mariadb") return mariadb_heads_of(kind);
  if (dialect == "oracle") return oracle_heads_of(kind);
  if (dialect == "mssql") return mssql_heads_of(kind);
  static const std::vector<std::pair<std::string_view, Heads>>
      heads = {
          {"schema", {{"CREATE", "SCHEMA"}}},
          {"extension", {{"CREATE", "EXTENSION", "IF", "NOT", "EXISTS"}}},
          {"collation", {{"CREATE", "COLLATION"}}},
          {"type", {{"CREATE", "TYPE"}}},
          {"column options", {{"ALTER", "TABLE", "ONLY"}}},
          {"domain", {{"CREATE", "DOMAIN"}}},
          {"sequence", {{"CREATE", "SEQUENCE"}}},
          {"sequence owner", {{"ALTER", "SEQUENCE"}}},
          {"sequence value", {{"SELECT", "pg_catalog", ".", "setval", "("}}},
          {"function", {{"CREATE", "OR", "REPLACE", "FUNCTION"}}},
          {"procedure", {{"CREATE", "OR", "REPLACE", "PROCEDURE"}}},
          {"aggregate", {{"CREATE", "AGGREGATE"}}},
          {"view", {{"CREATE", "VIEW"}}},
          {"materialized view", {{"CREATE", "MATERIALIZED", "VIEW"}}},
          {"materialized view data", {{"REFRESH", "MATERIALIZED", "VIEW"}}},
          {"index", {{"CREATE", "INDEX"}, {"CREATE", "UNIQUE", "INDEX"}}},
          {"statistics", {{"CREATE", "STATISTICS"}, {"ALTER", "STATISTICS"}}},
          {"trigger",
           {{"CREATE", "TRIGGER"}, {"CREATE", "CONSTRAINT", "TRIGGER"}, {"ALTER", "TABLE"}}},
          {"rule", {{"CREATE", "RULE"}, {"CREATE", "OR", "REPLACE", "RULE"}}},
          {"policy", {{"CREATE", "POLICY"}}},
          {"row security", {{"ALTER", "TABLE"}}},
          {"comment", {{"COMMENT", "ON"}}},
          {"owner", {{"ALTER"}}},
          {"acl", {{"GRANT"}, {"REVOKE"}}},
      };
  static const Heads none;
  for (const auto& [name, list] : heads) {
    if (name == kind) return list;
  }
  return none;
}


// A MariaDB stored program (procedure, function, trigger, event), or a PostgreSQL function or
// procedure, is one statement whose body may be a compound statement (PostgreSQL: BEGIN ATOMIC …
// END): its `;`s stand inside BEGIN … END (CASE … END [CASE] inside a body counts as a block too; END IF, END LOOP, END WHILE, END REPEAT and END FOR close what opened
// inside one). Otherwise as well_formed: no `;` outside, parentheses balanced, no executable
// comment.
bool well_formed_program(const std::vector<Piece>& all) {
  const std::vector<Piece> pieces = without_comments(all);
  int depth = 0;
  int parens = 0;
  for (std::size_t idx = 0; idx < pieces.size(); ++idx) {
    const Piece& piece = pieces[idx];
    if (piece.kind == TokenKind::kExecComment) return false;
    if (is_punct(piece, '(')) ++parens;
    if (is_punct(piece, ')') && --parens < 0) return false;
    if (is_punct(piece, ';') && (depth == 0 || parens != 0)) return false;
    if (is_keyword(piece, "BEGIN") || is_keyword(piece, "CASE")) ++depth;
    if (is_keyword(piece, "END")) {
      const bool closes_other =
          idx + 1 < pieces.size() &&
          (is_keyword(pieces[idx + 1], "IF") || is_keyword(pieces[idx + 1], "LOOP") ||
           is_keyword(pieces[idx + 1], "WHILE") || is_keyword(pieces[idx + 1], "REPEAT") ||
           is_keyword(pieces[idx + 1], "FOR"));
      if (closes_other) {
        if (depth == 0) return false;
        ++idx;
        continue;
      }
      if (idx + 1 < pieces.size() && is_keyword(pieces[idx + 1], "CASE")) ++idx;
      if (--depth < 0) return false;
    }
  }
  return depth == 0 && parens == 0;
}

// The name after a MariaDB head ([IF NOT EXISTS] name): the object the entry names, in the
// connection's database.
bool names_mariadb_object(const std::vector<Piece>& pieces, std::size_t at,
                          const SchemaObject& object) {
  if (take_keyword(pieces, at, "IF") && !(take_keyword(pieces, at, "NOT") &&
                                          take_keyword(pieces, at, "EXISTS"))) {
    return false;
  }
  return at < pieces.size() && is_identifier(pieces[at]) &&
         names("mariadb", pieces[at], object.name) &&
         (at + 1 == pieces.size() || !is_punct(pieces[at + 1], '.'));
}

// The text of a string literal as bru writes one for MariaDB (mariadb_objects.cpp): `'` doubled or
// after a backslash, a backslash doubled. Anything else a backslash could mean (\n, \0, \%, ...)
// is refused, so the text checked is the text the server reads.
std::optional<std::string> literal_text(std::string_view literal) {
  if (literal.size() < 2 || literal.front() != '\'' || literal.back() != '\'') return std::nullopt;
  const std::string_view body = literal.substr(1, literal.size() - 2);
  std::string text;
  for (std::size_t pos = 0; pos < body.size(); ++pos) {
    const char c = body[pos];
    if (c == '\\' || c == '\'') {
      if (pos + 1 >= body.size()) return std::nullopt;
      const char next = body[++pos];
      if (c == '\'' ? next != '\'' : next != '\\' && next != '\'') return std::nullopt;
      text.push_back(next);
    } else {
      text.push_back(c);
    }
  }
  return text;
}

// The statement a MariaDB entry makes the server parse, and the rules it parses it by: the entry
// itself, or for a stored program as bru writes it,
//   SET STATEMENT sql_mode = '<mode>' [, time_zone = '<zone>'] FOR EXECUTE IMMEDIATE '<create>'
// the CREATE in the literal, read under <mode> (ANSI_QUOTES: "…" is a name;
// NO_BACKSLASH_ESCAPES: a backslash is a character), as the server reads it. Nothing else may
// stand in the entry; nullopt when something does.
std::optional<std::pair<std::string, LexRules>> mariadb_statement(const std::string& sql) {
  LexRules rules = split_detail::mariadb_lex_rules();
  const auto all = pieces_of("mariadb", sql);
  if (!all || all->empty()) return std::nullopt;
  const auto pieces = without_comments(*all);
  std::size_t at = 0;
  if (!take_keyword(pieces, at, "SET")) return std::pair{sql, rules};  // checked by the caller
  if (!well_formed(*all, 0, all->size(), false) || !take_keyword(pieces, at, "STATEMENT")) {
    return std::nullopt;
  }
  std::string mode;
  do {
    if (at + 2 >= pieces.size() || !is_punct(pieces[at + 1], '=') ||
        pieces[at + 2].kind != TokenKind::kString) {
      return std::nullopt;
    }
    const bool is_mode = is_keyword(pieces[at], "sql_mode");
    if (!is_mode && !is_keyword(pieces[at], "time_zone")) return std::nullopt;
    if (is_mode) mode = to_upper(pieces[at + 2].text);
    at += 3;
  } while (at < pieces.size() && is_punct(pieces[at], ',') && ++at);
  if (!take_keyword(pieces, at, "FOR") || !take_keyword(pieces, at, "EXECUTE") ||
      !take_keyword(pieces, at, "IMMEDIATE") || at + 1 != pieces.size() ||
      pieces[at].kind != TokenKind::kString) {
    return std::nullopt;
  }
  auto text = literal_text(pieces[at].text);
  if (!text) return std::nullopt;
  rules.double_quote_is_string = mode.find("ANSI_QUOTES") == std::string::npos;
  rules.backslash_escapes = mode.find("NO_BACKSLASH_ESCAPES") == std::string::npos;
  return std::pair{std::move(*text), rules};
}

// One MariaDB statement of the entry's kind on the object it names.
bool is_mariadb_object(const SchemaObject& object, const std::string& sql, const Heads& heads) {
  const auto statement = mariadb_statement(sql);
  if (!statement) return false;
  const auto all = pieces_with(statement->second, statement->first);
  if (!all || all->empty()) return false;
  const bool program = object.kind == "procedure" || object.kind == "function" ||
                       object.kind == "trigger" || object.kind == "event";
  if (!(program ? well_formed_program(*all) : well_formed(*all, 0, all->size(), false))) {
    return false;
  }
  const auto pieces = without_comments(*all);
  if (object.kind == "sequence value") {
    // Exactly SELECT SETVAL(name, [-]digits, 0).
    std::size_t at = 3;
    auto digits = [&](std::size_t idx) {
      return idx < pieces.size() && pieces[idx].kind == TokenKind::kWord &&
             std::all_of(pieces[idx].text.begin(), pieces[idx].text.end(),
                         [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    };
    if (!starts_with_head(pieces, heads.front()) || !names_mariadb_object(pieces, at, object)) {
      return false;
    }
    at += 1;
    if (at >= pieces.size() || !is_punct(pieces[at++], ',')) return false;
    if (at < pieces.size() && is_punct(pieces[at], '-')) ++at;
    if (!digits(at++)) return false;
    return at + 3 == pieces.size() && is_punct(pieces[at], ',') && pieces[at + 1].text == "0" &&
           is_punct(pieces[at + 2], ')');
  }
  return std::any_of(heads.begin(), heads.end(), [&](const auto& head) {
    return starts_with_head(pieces, head) && names_mariadb_object(pieces, head.size(), object);
  });
}

}  // namespace

void check_object(std::string_view dialect, const SchemaObject& object) {
  const auto& heads = heads_of(dialect, object.kind);
  const bool mariadb = dialect == "mariadb";
  const std::string entry = fmt::format("{} \"{}\"", object.kind, object.name);
  if (object.kind == "table" && object.statements.empty()) return;  // a table's place
  if (heads.empty()) {
    refuse(entry, "an object kind bru knows", object.kind);
  }
  for (const auto& sql : object.statements) {
    bool ok = false;
    if (mariadb) {
      ok = is_mariadb_object(object, sql, heads);
    } else if (dialect == "oracle") {
      ok = is_oracle_object(object, sql, heads);
    } else if (dialect == "mssql") {
      ok = is_mssql_object(object, sql, heads);
    } else if (const auto all = pieces_of(dialect, sql)) {
      // A function or procedure with a SQL-standard body (BEGIN ATOMIC … END) holds `;`s inside.
      const bool program = dialect == "postgres" &&
                           (object.kind == "function" || object.kind == "procedure");
      ok = !all->empty() &&
           (program ? well_formed_program(*all) : well_formed(*all, 0, all->size(), false));
      if (ok) {
        const auto pieces = without_comments(*all);
        ok = std::any_of(heads.begin(), heads.end(),
                         [&](const auto& head) { return starts_with_head(pieces, head); });
      }
    }
    if (!ok) {
      std::vector<std::string> names;
      for (const auto& head : heads) {
        std::string text;
        for (auto word : head) text += (text.empty() || word == "." || word == "(" ||
                                         text.back() == '.' ? "" : " ") +
                                        std::string(word == "*" ? "<word>" : word);
        names.push_back(text);
      }
      refuse(entry,
             "a single " + join_words(names) +
                 (mariadb || dialect == "oracle"
                      ? " of " + object.kind + " \"" + object.name + "\""
                      : std::string()),
             sql);
    }
  }
}

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

void check_foreign_key(std::string_view dialect, const Table& table, const ForeignKey& fk) {
  const auto pieces = pieces_of(dialect, fk.definition_sql);
  const bool ok = pieces && is_fragment(*pieces) && pieces->size() > 1 &&
                  is_keyword((*pieces)[0], "FOREIGN") && is_keyword((*pieces)[1], "KEY");
  if (!ok) {
    refuse(fmt::format("foreign key \"{}\" {}", fk.name, of_table(table)),
           "a single FOREIGN KEY constraint", fk.definition_sql);
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
