// A SQLite schema with every case the SQLite dialect reads (rowid alias and AUTOINCREMENT keys,
// composite and WITHOUT ROWID keys, UNIQUE, foreign keys with actions and in any case, a
// self-reference, indexes plain and not portable, a generated column, a view, a virtual table),
// and the model it reads as. Shared by the unit tests (sqlite3 C API) and the odbc tests (the
// SQLite3 ODBC driver). Header-only.
#pragma once

namespace bru::test {

inline constexpr const char* kSqliteSchema = R"sql(
CREATE TABLE artist (id INTEGER PRIMARY KEY AUTOINCREMENT,
                     name NVARCHAR(120) NOT NULL DEFAULT 'unknown');
CREATE TABLE album (album_id INTEGER NOT NULL, title VARCHAR(160),
                    artist_id INTEGER NOT NULL REFERENCES Artist ON DELETE CASCADE,
                    CONSTRAINT pk_album PRIMARY KEY (album_id), UNIQUE (title, artist_id));
CREATE TABLE "Odd ""Name""" ("select" TEXT, "MixedCase" INT,
                             PRIMARY KEY ("select", "MixedCase")) WITHOUT ROWID;
CREATE TABLE employee (id INTEGER PRIMARY KEY, boss INTEGER REFERENCES employee(ID)
                       ON UPDATE SET NULL, hired DATETIME DEFAULT CURRENT_TIMESTAMP,
                       doubled AS (id * 2));
CREATE TABLE track (id BIGINT PRIMARY KEY, album_id INTEGER, media INT,
                    FOREIGN KEY (album_id, media) REFERENCES album (album_id, artist_id));
CREATE INDEX album_title ON album(title);
CREATE UNIQUE INDEX album_lower ON album(lower(title));
CREATE INDEX emp_partial ON employee(boss) WHERE boss IS NOT NULL;
CREATE INDEX emp_desc ON employee(hired DESC);
CREATE INDEX emp_nocase ON employee(hired COLLATE NOCASE);
CREATE VIEW some_view AS SELECT 1;
CREATE VIRTUAL TABLE ft USING fts5(body);
)sql";

// test::describe() of the catalog read from kSqliteSchema, in catalog order.
inline constexpr const char* kSqliteSchemaDescription =
    "table Odd \"Name\"\n"
    "  column select text [TEXT] not null\n"
    "  column MixedCase int32 [INT] not null\n"
    "  primary key (select, MixedCase)\n"
    "table artist\n"
    "  column id int64 [INTEGER] identity autoincrement\n"
    "  column name varchar(120) [NVARCHAR(120)] not null default 'unknown'\n"
    "  primary key (id)\n"
    "table album\n"
    "  column album_id int64 [INTEGER] not null identity rowid\n"
    "  column title varchar(160) [VARCHAR(160)]\n"
    "  column artist_id int64 [INTEGER] not null\n"
    "  primary key (album_id)\n"
    "  unique (title, artist_id)\n"
    "  index album_lower unique not portable ()\n"
    "  index album_title (title)\n"
    "  foreign key (artist_id) -> artist (id) on delete CASCADE on update NO ACTION\n"
    "table employee\n"
    "  column id int64 [INTEGER] identity rowid\n"
    "  column boss int64 [INTEGER]\n"
    "  column hired timestamp(6) [DATETIME] default CURRENT_TIMESTAMP\n"
    "  primary key (id)\n"
    "  index emp_desc not portable (hired)\n"
    "  index emp_nocase not portable (hired)\n"
    "  index emp_partial not portable (boss)\n"
    "  foreign key (boss) -> employee (id) on delete NO ACTION on update SET NULL\n"
    "table track\n"
    "  column id int64 [BIGINT]\n"
    "  column album_id int64 [INTEGER]\n"
    "  column media int32 [INT]\n"
    "  primary key (id)\n"
    "  foreign key (album_id, media) -> album (album_id, artist_id) on delete NO ACTION "
    "on update NO ACTION\n";

}  // namespace bru::test
