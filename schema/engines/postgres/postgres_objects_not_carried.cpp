// What pg_dump would carry and bru does not yet, each named in a warning at backup.
#include <fmt/format.h>

#include "schema/engines/common.h"
#include "schema/engines/postgres/postgres_objects_sql.h"

namespace bru::schema::dialects {

std::string not_member(std::string_view catalog, std::string_view alias) {
  return fmt::format(
      "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '{}'::regclass AND e.objid = "
      "{}.oid AND e.deptype = 'e')",
      catalog, alias);
}

std::string not_internal(std::string_view catalog, std::string_view alias) {
  return fmt::format(
      "NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = '{}'::regclass AND i.objid = "
      "{}.oid AND i.deptype = 'i')",
      catalog, alias);
}

CatalogWarning not_carried_warning(const std::string& kind, const std::string& name) {
  return {"object-not-carried",
          fmt::format("{} \"{}\" is not backed up: bru cannot carry {} yet", kind, name,
                      kind.back() == 'y' ? kind.substr(0, kind.size() - 1) + "ies" : kind + "s")};
}

std::vector<CatalogWarning> not_carried_warnings(SqlRunner& runner, const std::string& where,
                                                 const std::vector<std::string>& params) {
  struct Check {
    const char* kind;
    std::string sql;
    bool schema_bound;
  };
  const std::vector<Check> checks = {
      {"publication", "SELECT pubname FROM pg_publication ORDER BY 1", false},
      {"subscription",
       "SELECT subname FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE "
       "datname = current_database()) ORDER BY 1",
       false},
      {"event trigger",
       "SELECT t.evtname FROM pg_event_trigger t WHERE " + not_member("pg_event_trigger", "t") +
           " ORDER BY 1",
       false},
      {"foreign table",
       "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
       "c.relnamespace WHERE c.relkind = 'f' AND " + where + " ORDER BY 1",
       true},
      {"foreign server",
       "SELECT s.srvname FROM pg_foreign_server s WHERE " + not_member("pg_foreign_server", "s") +
           " ORDER BY 1",
       false},
      {"large object",
       "SELECT count(*) || ' large objects' FROM pg_largeobject_metadata HAVING count(*) > 0",
       false},
      {"operator",
       "SELECT n.nspname || '.' || o.oprname FROM pg_operator o JOIN pg_namespace n ON n.oid = "
       "o.oprnamespace WHERE o.oid >= 16384 AND " + where + " AND " +
           not_member("pg_operator", "o") + " ORDER BY 1",
       true},
      {"cast",
       "SELECT format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL) "
       "FROM pg_cast c WHERE c.oid >= 16384 AND " + not_member("pg_cast", "c") + " AND " +
           not_internal("pg_cast", "c") + " ORDER BY 1",
       false},
      {"text search configuration",
       "SELECT n.nspname || '.' || c.cfgname FROM pg_ts_config c JOIN pg_namespace n ON n.oid "
       "= c.cfgnamespace WHERE c.oid >= 16384 AND " + where + " AND " +
           not_member("pg_ts_config", "c") + " ORDER BY 1",
       true},
      {"default privilege",
       "SELECT pg_get_userbyid(d.defaclrole) || ' ' || d.defaclobjtype::text FROM pg_default_acl d "
       "ORDER BY 1",
       false},
      {"column privilege",
       "SELECT DISTINCT n.nspname || '.' || c.relname || '.' || a.attname FROM pg_attribute a "
       "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
       "WHERE a.attacl IS NOT NULL AND " + where + " ORDER BY 1",
       true},
  };
  std::vector<CatalogWarning> warnings;
  for (const auto& check : checks) {
    const auto rows = check.schema_bound ? runner.query(check.sql, params) : runner.query(check.sql);
    for (const auto& row : rows) warnings.push_back(not_carried_warning(check.kind, text_at(row, 0)));
  }
  return warnings;
}

}  // namespace bru::schema::dialects
