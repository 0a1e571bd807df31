// Checks of the SQL text a same-engine restore takes verbatim from an archive: the source engine's
// CREATE INDEX and CREATE TABLE statements, CHECK/EXCLUDE definitions, column defaults and native
// types, foreign key actions. An archive is a file from outside; before this check a crafted one
// ran any SQL it liked (issue 11: an "index" of DROP TABLE, a CHECK followed by CREATE ROLE).
//
// Each piece must be exactly the kind of thing its entry says it is, read with the engine's own
// lexer rules (schema/engines/lexer.h, the splitter's), so strings, quoted names and comments hide
// nothing: a whole statement is one statement of its kind on its own table; a fragment (default,
// type, constraint body) has no statement separator, no comment, no comma or parenthesis that
// would end the clause it is pasted into. This does not judge what an expression calls: a
// function the target already has runs with the restoring user's rights (README, "What a restore
// can do to a target").
//
// Every check throws bru::Error(kArchiveCorrupt): "archive entry <entry> is not <kind>: <sql>".
#pragma once

#include <string_view>

#include "schema/catalog.h"

namespace bru::schema::dialects {

// One CREATE [UNIQUE] INDEX on `table` (schema-qualified or not, quoted or not).
void check_create_index(std::string_view dialect, const Table& table, const Index& index);
// One CREATE TABLE of `table`: its column list, then only words and commas (WITHOUT ROWID,
// STRICT); no CREATE TABLE ... AS, no TEMP table, no other schema than "main".
void check_create_table(std::string_view dialect, const Table& table, std::string_view sql);
// One CHECK or EXCLUDE constraint body, as pasted after ALTER TABLE ... ADD CONSTRAINT <name>.
void check_constraint(std::string_view dialect, const Table& table,
                      const NativeConstraint& constraint);
// A column default as pasted after DEFAULT, and a native type name as pasted after the column.
void check_default(std::string_view dialect, const Table& table, const Column& column);
void check_native_type(std::string_view dialect, const Table& table, const Column& column);
// Every statement of a schema object entry (format 4): one statement each, of the kind the entry
// names: a "view" entry is one CREATE VIEW, a "trigger" entry CREATE TRIGGER, an "acl" entry
// GRANT or REVOKE, and so on (the heads are listed in archive_sql.cpp).
void check_object(std::string_view dialect, const SchemaObject& object);
// One FOREIGN KEY constraint body, as pasted after ALTER TABLE ... ADD CONSTRAINT <name>.
void check_foreign_key(std::string_view dialect, const Table& table, const ForeignKey& fk);
// ON DELETE / ON UPDATE: empty or one of NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT.
void check_referential_actions(const Table& table, const ForeignKey& fk);

}  // namespace bru::schema::dialects
