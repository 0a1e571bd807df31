// -RESTORE -CLEAN on PostgreSQL: the archive's objects are dropped one by one, never with CASCADE,
// and before that a pg_depend query names every object of the target outside the archive that
// depends on one of them, so that the restore refuses instead of dropping the DBA's own objects.
#include <fmt/format.h>

#include "schema/engines/postgres/postgres.h"

namespace bru::schema::dialects {

std::string PostgresDialect::clean_object_sql(const SchemaObject& object) const {
  // The archive's names are quote_ident()-qualified as read (functions with their identity
  // arguments), which DROP takes as they are.
  static constexpr std::pair<const char*, const char*> kDrops[] = {
      {"schema", "SCHEMA"},
      {"collation", "COLLATION"},
      {"type", "TYPE"},
      {"domain", "DOMAIN"},
      {"sequence", "SEQUENCE"},
      {"function", "FUNCTION"},
      {"procedure", "PROCEDURE"},
      {"aggregate", "AGGREGATE"},
      {"view", "VIEW"},
      {"materialized view", "MATERIALIZED VIEW"},
      {"table", "TABLE"},
  };
  for (const auto& [kind, keyword] : kDrops) {
    if (object.kind == kind) return fmt::format("DROP {} IF EXISTS {}", keyword, object.name);
  }
  return {};
}

std::string PostgresDialect::drop_foreign_key_sql(const Table& table, const ForeignKey& key) const {
  return fmt::format("ALTER TABLE IF EXISTS {} DROP CONSTRAINT IF EXISTS {}", qualified_name(table),
                     quote_identifier(key.name));
}

// Then, second, the parts of the archive's tables that DROP TABLE takes along ('a' auto: indexes,
// triggers, rules, policies, constraints, owned sequences, partitions) and that the archive does
// not recreate: the DBA's own. The copies PostgreSQL makes on partitions of a partitioned
// table's indexes, constraints and triggers come back with their parent and are not named.
// The archive's objects found in the target, then everything dropped with them without CASCADE
// (pg_depend 'a' auto and 'i' internal: a view's rewrite rule, a table's row type, defaults,
// constraints, indexes, owned sequences, partitions), then every 'n' (normal) dependency on
// those from an object outside. A dependent that is itself part of something (a view's rewrite
// rule) is named by what it is part of.
std::string PostgresDialect::clean_dependents_sql() const {
  return R"(WITH RECURSIVE archive(classid, objid) AS (
  SELECT 'pg_class'::regclass::oid, to_regclass(name)::oid
    FROM unnest(string_to_array(?, E'\n')) AS name WHERE to_regclass(name) IS NOT NULL
  UNION SELECT 'pg_type'::regclass::oid, to_regtype(name)::oid
    FROM unnest(string_to_array(?, E'\n')) AS name WHERE to_regtype(name) IS NOT NULL
  UNION SELECT 'pg_proc'::regclass::oid, p.oid FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' ||
          pg_get_function_identity_arguments(p.oid) || ')' =
          ANY (string_to_array(?, E'\n'))
  UNION SELECT 'pg_namespace'::regclass::oid, n.oid FROM pg_namespace n
    WHERE quote_ident(n.nspname) = ANY (string_to_array(?, E'\n'))
  UNION SELECT 'pg_collation'::regclass::oid, c.oid FROM pg_collation c
    JOIN pg_namespace n ON n.oid = c.collnamespace
    WHERE quote_ident(n.nspname) || '.' || quote_ident(c.collname) =
          ANY (string_to_array(?, E'\n'))
), plain(kind, rel, part) AS (
  SELECT split_part(e, chr(1), 1), to_regclass(split_part(e, chr(1), 2))::oid,
         split_part(e, chr(1), 3)
    FROM unnest(string_to_array(?, E'\n')) AS e
), dropped(classid, objid) AS (
  SELECT classid, objid FROM archive
  UNION SELECT d.classid, d.objid FROM pg_depend d
    JOIN dropped p ON d.refclassid = p.classid AND d.refobjid = p.objid
    WHERE d.deptype IN ('a', 'i')
)
SELECT DISTINCT whole.type || ' ' || whole.identity, needed.type || ' ' || needed.identity
FROM pg_depend d
JOIN dropped t ON d.refclassid = t.classid AND d.refobjid = t.objid
LEFT JOIN LATERAL (SELECT i.refclassid, i.refobjid FROM pg_depend i
                   WHERE i.classid = d.classid AND i.objid = d.objid AND i.deptype = 'i'
                   LIMIT 1) part_of ON true
CROSS JOIN LATERAL pg_identify_object(coalesce(part_of.refclassid, d.classid),
                                      coalesce(part_of.refobjid, d.objid), 0) AS whole
CROSS JOIN LATERAL pg_identify_object(d.refclassid, d.refobjid, 0) AS needed
WHERE d.deptype = 'n'
  AND NOT EXISTS (SELECT 1 FROM dropped x WHERE x.classid = d.classid AND x.objid = d.objid)
  AND NOT EXISTS (SELECT 1 FROM dropped x WHERE x.classid = part_of.refclassid
                                            AND x.objid = part_of.refobjid)
UNION
SELECT whole.type || ' ' || whole.identity, needed.type || ' ' || needed.identity
FROM pg_depend d
JOIN archive t ON d.refclassid = t.classid AND d.refobjid = t.objid
CROSS JOIN LATERAL (
  SELECT CASE WHEN c.relkind IN ('i', 'I') AND NOT c.relispartition THEN 'index'
              WHEN c.relkind = 'S' THEN 'sequence'
              WHEN c.relkind IN ('r', 'p') THEN 'table' END AS kind,
         quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS named, c.relname AS name,
         '' AS contype
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE d.classid = 'pg_class'::regclass AND c.oid = d.objid
  UNION ALL
  SELECT x.kind, quote_ident(x.name) || ' on ' || quote_ident(n.nspname) || '.' ||
         quote_ident(c.relname), x.name, x.contype
    FROM (SELECT 'trigger' AS kind, tgname AS name, tgrelid AS rel, '' AS contype FROM pg_trigger
            WHERE d.classid = 'pg_trigger'::regclass AND oid = d.objid AND NOT tgisinternal
              AND tgparentid = 0
          UNION ALL SELECT 'rule', rulename, ev_class, '' FROM pg_rewrite
            WHERE d.classid = 'pg_rewrite'::regclass AND oid = d.objid
          UNION ALL SELECT 'policy', polname, polrelid, '' FROM pg_policy
            WHERE d.classid = 'pg_policy'::regclass AND oid = d.objid
          UNION ALL SELECT 'constraint', conname, conrelid, contype::text FROM pg_constraint
            WHERE d.classid = 'pg_constraint'::regclass AND oid = d.objid AND conparentid = 0) x
    JOIN pg_class c ON c.oid = x.rel JOIN pg_namespace n ON n.oid = c.relnamespace
) part
CROSS JOIN LATERAL pg_identify_object(d.classid, d.objid, 0) AS whole
CROSS JOIN LATERAL pg_identify_object(d.refclassid, d.refobjid, 0) AS needed
WHERE d.deptype = 'a' AND part.kind IS NOT NULL
  AND NOT (part.kind || ' ' || part.named = ANY (string_to_array(?, E'\n')))
  AND NOT EXISTS (
    SELECT 1 FROM plain p WHERE p.rel = d.refobjid AND (
      (p.kind = part.kind AND part.kind IN ('constraint', 'index') AND p.part = part.name)
      OR (p.kind = 'unnamed keys' AND part.contype IN ('p', 'u', 'f'))
      OR (p.kind = 'owned sequence' AND part.kind = 'sequence' AND p.part =
          (SELECT attname FROM pg_attribute WHERE attrelid = d.refobjid AND attnum = d.refobjsubid))))
  AND NOT EXISTS (SELECT 1 FROM plain p WHERE p.kind = 'table' AND part.kind = 'table'
                                          AND p.rel = d.objid)
ORDER BY 1, 2)";
}

}  // namespace bru::schema::dialects
