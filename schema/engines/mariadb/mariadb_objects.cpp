// MariaDB sequences, views, routines, triggers and events as table-of-contents entries
// (mariadb_objects.h).
#include "schema/engines/mariadb/mariadb_objects.h"

#include <fmt/format.h>

#include <set>
#include <vector>

#include "schema/engines/archive_sql.h"
#include "schema/engines/common.h"
#include "schema/engines/lexer.h"
#include "schema/error.h"
#include "schema/text.h"

namespace bru::schema::dialects {
namespace {

using split_detail::Lexer;
using split_detail::Token;
using split_detail::TokenKind;

std::string backquoted(const std::string& name) { return enclose_identifier(name, '`', '`'); }

// `'text'` for a MariaDB session with backslash escapes: `'` and `\` doubled.
std::string mariadb_literal(std::string_view text) {
  std::string literal = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') literal.push_back(c);
    literal.push_back(c);
  }
  return literal + "'";
}

// SHOW CREATE <what> `name`, the statement in column `column` without its DEFINER. A stored
// program (its sql_mode in column 1; an event's time_zone in column 2) is wrapped as
//   SET STATEMENT sql_mode = '…'[, time_zone = '…'] FOR EXECUTE IMMEDIATE '<create>'
// so that the server parses it under its own sql_mode (ANSI_QUOTES changes what "…" is; SET
// STATEMENT alone applies only after the statement is parsed) and stores it with its own
// sql_mode and time zone, whatever the restoring session's are.
std::string show_create(SqlRunner& runner, std::string_view what, const std::string& name,
                        std::size_t column) {
  const auto rows = runner.query(fmt::format("SHOW CREATE {} {}", what, backquoted(name)));
  if (rows.empty() || rows[0].size() <= column || !rows[0][column]) {
    throw Error(ErrorKind::kDatabase,
                fmt::format("MariaDB returned no definition for {} \"{}\"", to_lower(what), name))
        .with_hint(fmt::format(
            "the backup user may see the {} but not its definition: grant it SHOW VIEW (views), "
            "SELECT on mysql.proc or ownership (routines), TRIGGER (triggers) or EVENT (events) "
            "on the database, and back up again",
            to_lower(what)));
  }
  const auto& row = rows[0];
  std::string create = without_definer(*row[column]);
  if (what == "VIEW" || what == "SEQUENCE") return create;
  std::string settings = "sql_mode = " + string_literal(text_at(row, 1));
  if (what == "EVENT") settings += ", time_zone = " + string_literal(text_at(row, 2));
  return fmt::format("SET STATEMENT {} FOR EXECUTE IMMEDIATE {}", settings,
                     mariadb_literal(create));
}

SchemaObject make_object(std::string kind, const std::string& name, std::string section,
                         std::string sql) {
  SchemaObject object;
  object.kind = std::move(kind);
  object.name = name;
  object.section = std::move(section);
  object.statements.push_back(std::move(sql));
  return object;
}

// The names a view's SELECT reads from, as SHOW CREATE VIEW writes them (every name in
// backquotes): each quoted name that is not a column (after a '.') or an alias (after AS);
// `db`.`t` names t when db is the view's own database. A column named like a table counts too:
// at worst an order constraint that changes nothing.
std::set<std::string> names_used(const std::string& sql, const std::string& database) {
  struct Name {
    TokenKind kind;
    std::string text;
  };
  std::vector<Name> pieces;
  Lexer lexer(split_detail::mariadb_lex_rules(), sql, "view", 1);
  while (!lexer.at_end()) {
    const Token token = lexer.next();
    if (token.kind == TokenKind::kSpace || token.kind == TokenKind::kNewline ||
        token.kind == TokenKind::kComment) {
      continue;
    }
    std::string text = sql.substr(token.begin, token.end - token.begin);
    if (token.kind == TokenKind::kQuotedName && text.size() >= 2) {
      std::string unquoted;
      for (std::size_t pos = 1; pos + 1 < text.size(); ++pos) {
        unquoted.push_back(text[pos]);
        if (text[pos] == '`' && pos + 2 < text.size() && text[pos + 1] == '`') ++pos;
      }
      text = std::move(unquoted);
    }
    pieces.push_back({token.kind, std::move(text)});
  }
  auto is_name = [&](std::size_t idx) { return pieces[idx].kind == TokenKind::kQuotedName; };
  auto is_dot = [&](std::size_t idx) {
    return pieces[idx].kind == TokenKind::kPunct && pieces[idx].text == ".";
  };
  std::set<std::string> used;
  for (std::size_t idx = 0; idx < pieces.size(); ++idx) {
    if (!is_name(idx)) continue;
    if (idx > 0 && is_dot(idx - 1)) {
      if (idx > 1 && is_name(idx - 2) && pieces[idx - 2].text == database) {
        used.insert(pieces[idx].text);
      }
      continue;
    }
    if (idx > 0 && pieces[idx - 1].kind == TokenKind::kWord &&
        equals_ignoring_case(pieces[idx - 1].text, "AS")) {
      continue;
    }
    used.insert(pieces[idx].text);
  }
  return used;
}

struct View {
  std::string name;
  std::string sql;
  std::set<std::string> uses;
};

// The views each after the views it reads from (name order otherwise; a cycle, which the server
// does not allow, keeps name order), each depending on the tables and views it reads from, so a
// restore of some tables (-TABLES/-EXCLUDE) leaves out the views it cannot create. Views that
// read from a table the catalog left out, or from a view left out, are dropped with a warning.
std::vector<SchemaObject> ordered_views(std::vector<View> views,
                                        const std::set<std::string>& kept_tables,
                                        const std::set<std::string>& tables_left_out,
                                        std::vector<CatalogWarning>& warnings) {
  std::set<std::string> view_names;
  for (const auto& view : views) view_names.insert(view.name);
  std::set<std::string> left_out;
  bool changed = true;
  while (changed) {
    changed = false;
    for (const auto& view : views) {
      if (left_out.count(view.name) != 0) continue;
      for (const auto& used : view.uses) {
        if (tables_left_out.count(used) == 0 && left_out.count(used) == 0) continue;
        left_out.insert(view.name);
        warnings.push_back(
            {"object-left-out",
             fmt::format("view \"{}\" is not backed up: it reads from {} \"{}\", which is not",
                         view.name, tables_left_out.count(used) != 0 ? "table" : "view", used)});
        changed = true;
        break;
      }
    }
  }
  std::vector<SchemaObject> ordered;
  std::set<std::string> placed;
  while (placed.size() + left_out.size() < views.size()) {
    bool progress = false;
    for (const auto& view : views) {
      if (placed.count(view.name) != 0 || left_out.count(view.name) != 0) continue;
      bool ready = true;
      for (const auto& used : view.uses) {
        ready = ready && (used == view.name || view_names.count(used) == 0 ||
                          placed.count(used) != 0);
      }
      if (!ready) continue;
      auto object = make_object("view", view.name, "pre-data", view.sql);
      for (const auto& used : view.uses) {
        if (used != view.name && view_names.count(used) != 0) {
          object.depends.push_back("view " + used);
        } else if (kept_tables.count(used) != 0) {
          object.depends.push_back("table " + used);
        }
      }
      ordered.push_back(std::move(object));
      placed.insert(view.name);
      progress = true;
    }
    if (progress) continue;
    for (const auto& view : views) {  // a cycle: the first view not placed goes next
      if (placed.count(view.name) == 0 && left_out.count(view.name) == 0) {
        ordered.push_back(make_object("view", view.name, "pre-data", view.sql));
        placed.insert(view.name);
        break;
      }
    }
  }
  return ordered;
}

// The server lists only the triggers, events and routines the user may see: without TRIGGER,
// EVENT, or (for routines of other definers) SELECT on mysql.proc, they are missing from
// information_schema without an error. Each missing privilege is named in a warning, so that
// nothing is left out silently. Privileges come from the user's global and database grants and
// those of its enabled roles.
void warn_hidden_objects(SqlRunner& runner, Catalog& catalog) {
  const auto granted = runner.query(
      "SELECT DISTINCT PRIVILEGE_TYPE FROM (SELECT GRANTEE, PRIVILEGE_TYPE FROM "
      "information_schema.USER_PRIVILEGES UNION ALL SELECT GRANTEE, PRIVILEGE_TYPE FROM "
      "information_schema.SCHEMA_PRIVILEGES WHERE TABLE_SCHEMA = DATABASE()) p WHERE GRANTEE = "
      "CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', "
      "SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''') OR GRANTEE IN (SELECT CONCAT('''', "
      "ROLE_NAME, '''') FROM information_schema.ENABLED_ROLES)");
  std::set<std::string> privileges;
  for (const auto& row : granted) privileges.insert(text_at(row, 0));
  auto lacks = [&](const std::string& privilege, std::string_view what) {
    if (privileges.count(privilege) != 0) return;
    catalog.warnings.push_back(
        {"objects-not-visible",
         fmt::format("the backup user lacks the {} privilege on database \"{}\": {} it cannot "
                     "see are not backed up",
                     privilege, catalog.database, what)});
  };
  lacks("TRIGGER", "triggers");
  lacks("EVENT", "events");
  try {
    runner.query("SELECT 1 FROM mysql.proc LIMIT 0");
  } catch (const Error&) {
    catalog.warnings.push_back(
        {"objects-not-visible",
         fmt::format("the backup user may not read mysql.proc: procedures and functions of "
                     "database \"{}\" that another user defined are not backed up",
                     catalog.database)});
  }
}

// Each entry must pass the check a restore makes before it runs one (archive_sql.h). A form the
// server wrote that the check cannot read as one statement of its kind (a routine whose body is a
// bare IF or LOOP, an Oracle-mode PL/SQL body) would fail only at restore: it is left out here
// instead, named in an "object-not-carried" warning.
void leave_out_unrestorable(Catalog& catalog) {
  std::vector<SchemaObject> kept;
  for (auto& object : catalog.objects) {
    if (object.kind != "table") {
      try {
        check_object("mariadb", object);
      } catch (const Error&) {
        catalog.warnings.push_back(
            {"object-not-carried",
             fmt::format("{} \"{}\" is not backed up: bru cannot check its definition as one "
                         "statement (a body that is not one statement or BEGIN ... END)",
                         object.kind, object.name)});
        continue;
      }
    }
    kept.push_back(std::move(object));
  }
  catalog.objects = std::move(kept);
}

}  // namespace

std::string without_definer(const std::string& create_sql) {
  // CREATE [OR REPLACE] [ALGORITHM=word] DEFINER=`user`@`host` …
  std::size_t pos = 0;
  auto skip = [&](std::string_view word) {
    if (create_sql.compare(pos, word.size(), word) != 0) return false;
    pos += word.size();
    return true;
  };
  if (!skip("CREATE ")) return create_sql;
  skip("OR REPLACE ");
  if (skip("ALGORITHM=")) {
    while (pos < create_sql.size() && create_sql[pos] != ' ') ++pos;
    ++pos;
  }
  const std::size_t begin = pos;
  if (!skip("DEFINER=")) return create_sql;
  // `user` or `user`@`host` ("user"@"host" under ANSI_QUOTES), each quote inside doubled.
  auto quoted = [&] {
    if (pos >= create_sql.size() ||
        (create_sql[pos] != '`' && create_sql[pos] != '"' && create_sql[pos] != '\'')) {
      return false;
    }
    const char quote = create_sql[pos++];
    while (pos < create_sql.size()) {
      if (create_sql[pos] == quote) {
        if (pos + 1 < create_sql.size() && create_sql[pos + 1] == quote) {
          pos += 2;
          continue;
        }
        ++pos;
        return true;
      }
      ++pos;
    }
    return false;
  };
  if (!quoted()) return create_sql;
  if (pos < create_sql.size() && create_sql[pos] == '@') {
    ++pos;
    if (!quoted()) return create_sql;
  }
  if (pos >= create_sql.size() || create_sql[pos] != ' ') return create_sql;
  return create_sql.substr(0, begin) + create_sql.substr(pos + 1);
}

void read_mariadb_objects(SqlRunner& runner, Catalog& catalog) {
  warn_hidden_objects(runner, catalog);
  std::set<std::string> kept_tables;
  for (const auto& table : catalog.tables) kept_tables.insert(table.name);
  std::set<std::string> tables_left_out;
  for (const auto& row : runner.query(
           "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
           "AND TABLE_TYPE = 'BASE TABLE'")) {
    if (kept_tables.count(text_at(row, 0)) == 0) tables_left_out.insert(text_at(row, 0));
  }

  std::vector<SchemaObject>& objects = catalog.objects;
  for (const auto& row : runner.query(
           "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE "
           "ROUTINE_SCHEMA = DATABASE() ORDER BY ROUTINE_TYPE DESC, ROUTINE_NAME")) {
    const std::string& type = text_at(row, 0);
    const std::string& name = text_at(row, 1);
    if (type != "PROCEDURE" && type != "FUNCTION") {
      catalog.warnings.push_back(
          {"object-not-carried",
           fmt::format("{} \"{}\" is not backed up: bru does not carry MariaDB packages",
                       to_lower(type), name)});
      continue;
    }
    objects.push_back(make_object(to_lower(type), name, "pre-data",
                                  show_create(runner, type, name, 2)));
  }
  // Sequences before the tables (a column's DEFAULT NEXTVAL names one); each one's position after
  // the rows, as SETVAL to its next value not cached yet (what the server itself would hand out
  // after a restart).
  for (const auto& row : runner.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                                      "TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'SEQUENCE' "
                                      "ORDER BY TABLE_NAME")) {
    const std::string& name = text_at(row, 0);
    objects.push_back(make_object("sequence", name, "pre-data",
                                  show_create(runner, "SEQUENCE", name, 1)));
    const auto next = runner.query("SELECT next_not_cached_value FROM " + backquoted(name));
    if (next.empty() || text_at(next[0], 0).empty()) {
      throw Error(ErrorKind::kDatabase,
                  fmt::format("MariaDB returned no position for sequence \"{}\"", name))
          .with_hint("check that the backup user may SELECT from the sequence, and back up again");
    }
    auto value = make_object("sequence value", name, "data",
                             fmt::format("SELECT SETVAL({}, {}, 0)", backquoted(name),
                                         text_at(next[0], 0)));
    value.depends.push_back("sequence " + name);
    objects.push_back(std::move(value));
  }
  for (const auto& row : runner.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                                      "TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'SYSTEM "
                                      "VERSIONED' ORDER BY TABLE_NAME")) {
    catalog.warnings.push_back(
        {"object-not-carried",
         fmt::format("table \"{}\" is not backed up: bru does not carry MariaDB's "
                     "system-versioned tables yet",
                     text_at(row, 0))});
  }
  for (const auto& table : catalog.tables) {
    SchemaObject place;
    place.kind = "table";
    place.name = table.name;
    place.section = "pre-data";
    objects.push_back(std::move(place));
  }

  std::vector<View> views;
  for (const auto& row : runner.query("SELECT TABLE_NAME FROM information_schema.VIEWS WHERE "
                                      "TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")) {
    View view{text_at(row, 0), show_create(runner, "VIEW", text_at(row, 0), 1), {}};
    view.uses = names_used(view.sql, catalog.database);
    views.push_back(std::move(view));
  }
  for (auto& view :
       ordered_views(std::move(views), kept_tables, tables_left_out, catalog.warnings)) {
    objects.push_back(std::move(view));
  }

  // Triggers of one table and timing in their action order: each is created last of its kind,
  // so creating them in that order keeps it.
  for (const auto& row : runner.query(
           "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS WHERE "
           "TRIGGER_SCHEMA = DATABASE() ORDER BY EVENT_OBJECT_TABLE, EVENT_MANIPULATION, "
           "ACTION_TIMING, ACTION_ORDER")) {
    const std::string& name = text_at(row, 0);
    const std::string& table = text_at(row, 1);
    if (kept_tables.count(table) == 0) {
      catalog.warnings.push_back(
          {"object-left-out",
           fmt::format("trigger \"{}\" is not backed up: it belongs to table \"{}\", which is not",
                       name, table)});
      continue;
    }
    auto object =
        make_object("trigger", name, "post-data", show_create(runner, "TRIGGER", name, 2));
    object.depends.push_back("table " + table);
    objects.push_back(std::move(object));
  }
  for (const auto& row : runner.query("SELECT EVENT_NAME FROM information_schema.EVENTS WHERE "
                                      "EVENT_SCHEMA = DATABASE() ORDER BY EVENT_NAME")) {
    objects.push_back(make_object("event", text_at(row, 0), "post-data",
                                  show_create(runner, "EVENT", text_at(row, 0), 3)));
  }
  leave_out_unrestorable(catalog);
}

}  // namespace bru::schema::dialects
