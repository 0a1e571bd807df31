// The migration map format (bru/migrate/map.h, sql/wfm/MAP-FORMAT.md): the WFM 6.5 -> 8.5 map
// carries every 6.5 term of the terminology table, and each kind of bad map is refused with the
// message that names the problem.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "bru/migrate/map.h"
#include "schema/error.h"
#include "support/test_support.h"

namespace bru::test {
namespace {

std::vector<std::string> required_terms() {
  std::ifstream in(source_path("tests/unit/testdata/wfm_terms_6.5.txt"));
  std::vector<std::string> terms;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') terms.push_back(line);
  }
  return terms;
}

TEST(MigrateMap, TheWfmMapCarriesEveryTermOfTheTerminologyTable) {
  const auto map = migrate::load_map(source_path("sql/wfm/remap-6.5-to-8.5.json"));
  std::set<std::string> named;
  for (const auto& mapping : map.mappings) named.insert(mapping.terms.begin(), mapping.terms.end());
  for (const auto& label : map.labels) named.insert(label.term);
  const auto terms = required_terms();
  ASSERT_EQ(terms.size(), 34u);
  for (const auto& term : terms) EXPECT_EQ(named.count(term), 1u) << "not in the map: " << term;
  for (const auto& term : named) {
    EXPECT_NE(std::find(terms.begin(), terms.end(), term), terms.end())
        << "the map names a term the list does not have: " << term;
  }
}

TEST(MigrateMap, TheWfmMapHasEveryKindOfRuleAndTheTwoPerformanceMappings) {
  const auto map = migrate::load_map(source_path("sql/wfm/remap-6.5-to-8.5.json"));
  std::map<std::string, int> rules;
  std::vector<std::string> performance;
  for (const auto& mapping : map.mappings) {
    ++rules[mapping.rule];
    if (mapping.performance) performance.push_back(mapping.name);
  }
  EXPECT_EQ(rules["merge"], 1);
  EXPECT_EQ(rules["union"], 2);
  EXPECT_EQ(rules["split"], 1);
  EXPECT_EQ(performance, (std::vector<std::string>{"performance_data", "agent_adherence"}));
  EXPECT_EQ(map.minimum_version, "6.5.201.00");
  EXPECT_EQ(migrate::target_script_for(map, "postgres").filename(), "wfm7_PG.sql");
  EXPECT_EQ(migrate::target_script_for(map, "sqlite").filename(), "wfm7_SQLITE.sql");
  const auto& split = map.mappings[13];
  ASSERT_EQ(split.name, "user_permission");
  ASSERT_NE(split.parts[0].split_column(), nullptr);
  EXPECT_EQ(split.parts[0].split_column()->split.at("calendar edit"),
            (std::vector<std::string>{"1", "2", "3", "4", "5", "6"}));
}

std::string refusal(const std::string& text) {
  try {
    migrate::parse_map(text, "m.json");
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kScript);
    EXPECT_EQ(error.hints(), (std::vector<std::string>{"sql/wfm/MAP-FORMAT.md describes every field of a map"}));
    return error.message();
  }
  return "accepted";
}

const std::string kCopy =
    R"({"name": "a", "rule": "copy", "from": "s", "key": ["id"], "to": "t", "columns": {"id": "id"}})";

TEST(MigrateMap, EachKindOfBadMapIsRefusedByName) {
  EXPECT_EQ(refusal("{"),
            "migration map \"m.json\" is not JSON: [json.exception.parse_error.101] parse error at "
            "line 1, column 2: syntax error while parsing object key - unexpected end of input; "
            "expected string literal");
  EXPECT_EQ(refusal(R"({"mappings": []})"),
            "migration map \"m.json\": top: \"bru_map\": 1 is missing (this bru reads map format 1)");
  EXPECT_EQ(refusal(R"({"bru_map": 2})"),
            "migration map \"m.json\": top: \"bru_map\": 1 is missing (this bru reads map format 1)");
  EXPECT_EQ(refusal(R"({"bru_map": 1, "mappings": []})"),
            "migration map \"m.json\": top: \"mappings\" is missing or empty");
  EXPECT_EQ(refusal(R"({"bru_map": 1, "mappings": [)" + kCopy + "," + kCopy + "]}"),
            "migration map \"m.json\": mapping \"a\": the name is used twice");
  EXPECT_EQ(refusal(R"({"bru_map": 1, "mappings": [{"name": "a", "rule": "move", "to": "t"}]})"),
            "migration map \"m.json\": mapping \"a\": unknown rule \"move\" (copy, merge, union, split)");
  EXPECT_EQ(refusal(R"({"bru_map": 1, "mappings": [{"name": "a", "rule": "copy", "from": "s", "to": "t", "columns": {"id": "id"}}]})"),
            "migration map \"m.json\": mapping \"a\": \"key\" is missing");
  EXPECT_EQ(refusal(R"({"bru_map": 1, "mappings": [{"name": "a", "rule": "union", "to": "t", "parts": []}]})"),
            "migration map \"m.json\": mapping \"a\": a union needs \"parts\": two or more source tables");
  EXPECT_EQ(refusal(R"({"bru_map": 1, "mappings": [{"name": "a", "rule": "merge", "from": "s", "key": ["id"], "to": "t", "columns": {"id": "id"}}]})"),
            "migration map \"m.json\": mapping \"a\": a merge (and only a merge) has a \"join\"");
  EXPECT_EQ(refusal(R"({"bru_map": 1, "mappings": [{"name": "a", "rule": "split", "from": "s", "key": ["id"], "to": "t", "columns": {"id": "id"}}]})"),
            "migration map \"m.json\": mapping \"a\": a split (and only a split) has a column with \"split\"");
  EXPECT_EQ(refusal(R"({"bru_map": 1, "mappings": [{"name": "a", "rule": "copy", "from": "s", "key": ["id"], "to": "t", "columns": {"id": {"from": "id"}}}]})"),
            "migration map \"m.json\": mapping \"a\", column \"id\": an object column needs "
            "\"values\", \"add\", \"split\" or \"value\"");
  EXPECT_EQ(refusal(R"({"bru_map": 1, "mappings": [{"name": "a", "rule": "copy", "performance": true, "from": "s", "key": ["id"], "to": "t", "columns": {"id": "id"}}]})"),
            "migration map \"m.json\": mapping \"a\": \"target_key\" is missing");
}

TEST(MigrateMap, AMissingMapFileIsNotFoundWithAHint) {
  try {
    migrate::load_map("/nonexistent/map.json");
    FAIL() << "loaded";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
    EXPECT_EQ(error.message(), "cannot read migration map \"/nonexistent/map.json\"");
    EXPECT_EQ(error.hints(), (std::vector<std::string>{
                                 "give the map with -MAP <file>, e.g. -MAP sql/wfm/remap-6.5-to-8.5.json"}));
  }
}

}  // namespace
}  // namespace bru::test
