// The WFM sample: business units, their sites, activities and agents, the agents' schedules and
// 15-minute performance data per activity.
//
// The core tables follow the naming contract shared with the WFM 8.5 schema scripts (sql/wfm):
//   business_unit, site, activity, agent, schedule, performance_data, with the contract's column
//   names and types; schedule.created_at is this model's own nullable addition (a timestamp with
//   fractional seconds).
// Per scale unit: 3 business units, 4 sites and 8 activities per unit, 25 agents per site, two
// schedule blocks a day for 5 days per agent, and 96 intervals a day for 5 days per activity:
// 14,859 rows, about 1 MB of SQL. Keys are dense (1..n), so a child's parent is found by
// arithmetic: site s belongs to unit (s-1)/4+1, agent a to site (a-1)/25+1.
#include <fmt/format.h>

#include <array>

#include "tools/sample/calendar.h"
#include "tools/sample/model.h"
#include "tools/sample/random.h"

namespace bru::sample {
namespace {

constexpr int kUnitsPerScale = 3;
constexpr int kSitesPerUnit = 4;
constexpr int kActivitiesPerUnit = 8;
constexpr int kAgentsPerSite = 25;
constexpr int kDays = 5;
constexpr int kBlocksPerDay = 2;
constexpr int kIntervalsPerDay = 96;  // 15-minute intervals
// The week the schedules and the performance data cover: Monday 4 March 2024.
constexpr std::int64_t kFirstDay = days_from_civil(2024, 3, 4);

enum TableIdx : std::size_t {
  kBusinessUnit,
  kSite,
  kActivity,
  kAgent,
  kSchedule,
  kPerformanceData,
};

struct Place {
  const char* name;
  const char* time_zone;
};

// Names in many scripts on purpose: accents, ß, ñ, ø, Greek, Cyrillic, CJK, an apostrophe and
// an ampersand (SQL*Plus substitution), so every engine's string handling is exercised.
const std::vector<Place> kUnits = {
    {"Contoso Care", "Europe/Paris"},          {"Nordlys Kundeservice", "Europe/Oslo"},
    {"Café Olé Support", "Europe/Madrid"},     {"Straße & Co Service", "Europe/Berlin"},
    {"Ελληνική Εξυπηρέτηση", "Europe/Athens"}, {"Сервис Восток", "Europe/Moscow"},
    {"東京サポートセンター", "Asia/Tokyo"},    {"O'Neill Helpdesk", "Europe/Dublin"},
};

const std::vector<Place> kCities = {
    {"Lyon", "Europe/Paris"},
    {"München", "Europe/Berlin"},
    {"Málaga", "Europe/Madrid"},
    {"Tromsø", "Europe/Oslo"},
    {"Αθήνα", "Europe/Athens"},
    {"Санкт-Петербург", "Europe/Moscow"},
    {"大阪", "Asia/Tokyo"},
    {"Kraków", "Europe/Warsaw"},
    {"São Paulo", "America/Sao_Paulo"},
    {"Montréal", "America/Toronto"},
    {"Zürich", "Europe/Zurich"},
    {"Łódź", "Europe/Warsaw"},
    {"Reykjavík", "Atlantic/Reykjavik"},
    {"A Coruña", "Europe/Madrid"},
};

const std::vector<std::string> kSiteSuffixes = {"Centre", "Nord", "Süd", "Hub", "Campus", "Été"};

struct ActivityKind {
  const char* name;
  const char* work_type;
};

// One business unit's activities. ';' and '--' inside strings trap naive script splitters; the
// emoji is 4 bytes of UTF-8 (outside the BMP: UTF-16 needs a surrogate pair).
const std::array<ActivityKind, kActivitiesPerUnit> kActivities = {{
    {"Inbound calls", "immediate"},
    {"Chat 💬", "immediate"},
    {"E-mail; back office", "deferred"},
    {"Réclamations", "deferred"},
    {"Billing & Payments", "immediate"},
    {"Outbound -- retention", "deferred"},
    {"Schulung / Training", "fixed_staff"},
    {"Überstunden-Pool", "fixed_staff"},
}};

const std::vector<std::string> kFirstNames = {
    "Amélie",  "José", "Jürgen", "Søren", "Begoña", "Zoë",    "Νίκος", "Ελένη",
    "Дмитрий", "Анна", "陽菜",   "翔太",  "Mary",   "Ahmed",  "Priya", "Łukasz",
    "Chloé",   "Ñuño", "Bjørn",  "Grace", "Tomás",  "Ingrid", "Kai",   "Leïla"};
const std::vector<std::string> kLastNames = {
    "Müller", "García",       "Dubois",       "Strauß",      "Nørgaard", "Peña", "O'Brien",
    "Smith",  "Παπαδόπουλος", "Иванова",      "Кузнецов",    "佐藤",     "高橋", "Kowalski",
    "Silva",  "Lefèvre",      "Van der Berg", "Ólafsdóttir", "Núñez",    "Chen"};

// Calls offered per 15 minutes, by hour of day, before the random factor: a contact centre's day.
constexpr std::array<int, 24> kHourlyLoad = {0,  0,  0,  0,  0,  1,  3, 8, 14, 18, 20, 19,
                                             16, 17, 19, 18, 15, 12, 9, 6, 4,  2,  1,  0};

ColumnSpec integer(std::string name) { return {std::move(name), ColumnKind::kInteger}; }
ColumnSpec text(std::string name, int length, bool nullable = false) {
  return {std::move(name), ColumnKind::kText, length, 0, 0, nullable};
}
ColumnSpec of_kind(std::string name, ColumnKind kind, bool nullable = false) {
  return {std::move(name), kind, 0, 0, 0, nullable};
}
ColumnSpec decimal(std::string name, int precision, int scale, bool nullable) {
  return {std::move(name), ColumnKind::kDecimal, 0, precision, scale, nullable};
}

std::vector<TableSpec> wfm_tables() {
  std::vector<TableSpec> tables(6);
  tables[kBusinessUnit] = {"business_unit",
                           {integer("business_unit_id"), text("name", 100), text("time_zone", 64)},
                           "pk_business_unit",
                           {"business_unit_id"},
                           {{"uq_business_unit_name", {"name"}}},
                           {},
                           {}};
  tables[kSite] = {
      "site",
      {integer("site_id"), integer("business_unit_id"), text("name", 100), text("time_zone", 64)},
      "pk_site",
      {"site_id"},
      {},
      {{"fk_site_business_unit", {"business_unit_id"}, "business_unit", {"business_unit_id"}}},
      {{"ix_site_business_unit", {"business_unit_id"}}}};
  tables[kActivity] = {
      "activity",
      {integer("activity_id"), integer("business_unit_id"), text("name", 100),
       text("work_type", 16), of_kind("multi_site", ColumnKind::kBoolean)},
      "pk_activity",
      {"activity_id"},
      {},
      {{"fk_activity_business_unit", {"business_unit_id"}, "business_unit", {"business_unit_id"}}},
      {{"ix_activity_business_unit", {"business_unit_id"}}}};
  tables[kAgent] = {
      "agent",
      {integer("agent_id"), integer("site_id"), text("employee_number", 20), text("first_name", 60),
       text("last_name", 60), text("email", 120, true), of_kind("hire_date", ColumnKind::kDate),
       decimal("hourly_rate", 9, 2, true), of_kind("active", ColumnKind::kBoolean)},
      "pk_agent",
      {"agent_id"},
      {{"uq_agent_employee_number", {"employee_number"}}},
      {{"fk_agent_site", {"site_id"}, "site", {"site_id"}}},
      {{"ix_agent_site", {"site_id"}}}};
  // 64 bits: schedules are the table that grows, and SQLite's AUTOINCREMENT key is 64 bits
  // anyway (an int32 identity would come back from SQLite widened).
  ColumnSpec schedule_id = of_kind("schedule_id", ColumnKind::kBigInteger);
  schedule_id.identity = true;
  tables[kSchedule] = {
      "schedule",
      {schedule_id, integer("agent_id"), integer("activity_id"),
       of_kind("start_at", ColumnKind::kTimestamp), of_kind("end_at", ColumnKind::kTimestamp),
       of_kind("created_at", ColumnKind::kTimestamp, true)},
      "pk_schedule",
      {"schedule_id"},
      {},
      {{"fk_schedule_agent", {"agent_id"}, "agent", {"agent_id"}},
       {"fk_schedule_activity", {"activity_id"}, "activity", {"activity_id"}}},
      {{"ix_schedule_agent", {"agent_id", "start_at"}}, {"ix_schedule_activity", {"activity_id"}}}};
  tables[kPerformanceData] = {
      "performance_data",
      {integer("activity_id"), of_kind("interval_start", ColumnKind::kTimestamp),
       integer("offered"), integer("handled"), integer("handle_seconds"),
       decimal("service_level", 5, 2, true)},
      "pk_performance_data",
      {"activity_id", "interval_start"},
      {},
      {{"fk_performance_data_activity", {"activity_id"}, "activity", {"activity_id"}}},
      {}};
  return tables;
}

// "12.34" from 1234 hundredths.
std::string hundredths(std::int64_t value) {
  return fmt::format("{}.{:02}", value / 100, value % 100);
}

class WfmModel : public Model {
 public:
  std::string_view name() const override { return "wfm"; }
  const std::vector<TableSpec>& tables() const override { return tables_; }

  std::uint64_t row_count(std::size_t table_idx, int scale) const override {
    const std::uint64_t units = static_cast<std::uint64_t>(kUnitsPerScale) * scale;
    const std::uint64_t agents = units * kSitesPerUnit * kAgentsPerSite;
    const std::uint64_t activities = units * kActivitiesPerUnit;
    switch (table_idx) {
      case kBusinessUnit:
        return units;
      case kSite:
        return units * kSitesPerUnit;
      case kActivity:
        return activities;
      case kAgent:
        return agents;
      case kSchedule:
        return agents * kDays * kBlocksPerDay;
      case kPerformanceData:
        return activities * kDays * kIntervalsPerDay;
      default:
        return 0;
    }
  }

  void generate(std::size_t table_idx, const SampleOptions& options,
                const RowSink& emit) const override {
    Random random(options.seed, table_idx + 1);
    Row row(tables_[table_idx].columns.size());
    const std::int64_t count = static_cast<std::int64_t>(row_count(table_idx, options.scale));
    switch (table_idx) {
      case kBusinessUnit:
        for (std::int64_t id = 1; id <= count; ++id) business_unit(id, row), emit(row);
        break;
      case kSite:
        for (std::int64_t id = 1; id <= count; ++id) site(id, random, row), emit(row);
        break;
      case kActivity:
        for (std::int64_t id = 1; id <= count; ++id) activity(id, random, row), emit(row);
        break;
      case kAgent:
        for (std::int64_t id = 1; id <= count; ++id) agent(id, random, row), emit(row);
        break;
      case kSchedule:
        schedules(count / (kDays * kBlocksPerDay), random, row, emit);
        break;
      case kPerformanceData:
        performance(count / (kDays * kIntervalsPerDay), random, row, emit);
        break;
      default:
        break;
    }
  }

 private:
  static void set(Value& value, std::int64_t integer) {
    value.null = false;
    value.integer = integer;
  }
  static void set(Value& value, std::string text) {
    value.null = false;
    value.text = std::move(text);
  }
  static void set_null(Value& value) { value.null = true; }

  // The n-th name of a list, numbered once the list is used up, so names stay unique at any
  // scale: "Contoso Care", ..., "Contoso Care 2".
  template <typename Item, typename NameOf>
  static std::string numbered(const std::vector<Item>& items, std::int64_t id, NameOf name_of) {
    const auto round = (id - 1) / static_cast<std::int64_t>(items.size());
    std::string name = name_of(items[(id - 1) % items.size()]);
    return round == 0 ? name : fmt::format("{} {}", name, round + 1);
  }

  static void business_unit(std::int64_t id, Row& row) {
    const Place& unit = kUnits[(id - 1) % kUnits.size()];
    set(row[0], id);
    set(row[1], numbered(kUnits, id, [](const Place& place) { return std::string(place.name); }));
    set(row[2], std::string(unit.time_zone));
  }

  static void site(std::int64_t id, Random& random, Row& row) {
    const Place& city = random.pick(kCities);
    set(row[0], id);
    set(row[1], (id - 1) / kSitesPerUnit + 1);
    set(row[2], fmt::format("{} {}", city.name, random.pick(kSiteSuffixes)));
    set(row[3], std::string(city.time_zone));
  }

  static void activity(std::int64_t id, Random& random, Row& row) {
    const ActivityKind& kind = kActivities[(id - 1) % kActivitiesPerUnit];
    set(row[0], id);
    set(row[1], (id - 1) / kActivitiesPerUnit + 1);
    set(row[2], std::string(kind.name));
    set(row[3], std::string(kind.work_type));
    set(row[4], random.percent(30) ? 1 : 0);
  }

  static void agent(std::int64_t id, Random& random, Row& row) {
    set(row[0], id);
    set(row[1], (id - 1) / kAgentsPerSite + 1);
    const std::string employee_number = fmt::format("E{:07}", id);
    set(row[2], employee_number);
    set(row[3], random.pick(kFirstNames));
    set(row[4], random.pick(kLastNames));
    // Both a missing e-mail (NULL) and a blank one (''), which Oracle cannot tell apart.
    const auto email_roll = random.below(100);
    if (email_roll < 10) {
      set_null(row[5]);
    } else if (email_roll < 15) {
      set(row[5], std::string());
    } else {
      set(row[5], fmt::format("e{:07}@wfm.example", id));
    }
    set(row[6], format_date(days_from_civil(2010, 1, 4) + random.between(0, 5150)));
    if (random.percent(8)) {
      set_null(row[7]);
    } else {
      set(row[7], hundredths(random.between(1500, 4500)));
    }
    set(row[8], random.percent(92) ? 1 : 0);
  }

  // Two blocks a day: four hours on one activity of the agent's unit, a half-hour break, four
  // hours on another; the shift starts between 07:00 and 10:00 on a quarter hour.
  static void schedules(std::int64_t agents, Random& random, Row& row, const RowSink& emit) {
    for (std::int64_t agent_id = 1; agent_id <= agents; ++agent_id) {
      const std::int64_t unit = (agent_id - 1) / (kAgentsPerSite * kSitesPerUnit) + 1;
      const std::int64_t first_activity = (unit - 1) * kActivitiesPerUnit + 1;
      for (int day = 0; day < kDays; ++day) {
        const std::int64_t shift_start = 7 * 3600 + 900 * random.between(0, 12);
        for (int block = 0; block < kBlocksPerDay; ++block) {
          const std::int64_t start = shift_start + block * (4 * 3600 + 1800);
          // Mostly the first six (contact) activities; sometimes training or overtime.
          const std::int64_t activity_offset =
              random.percent(10) ? random.between(6, 7) : random.between(0, 5);
          set_null(row[0]);
          set(row[1], agent_id);
          set(row[2], first_activity + activity_offset);
          set(row[3], format_timestamp(kFirstDay + day, start, 0, 0));
          set(row[4], format_timestamp(kFirstDay + day, start + 4 * 3600, 0, 0));
          created_at(kFirstDay + day, random, row[5]);
          emit(row);
        }
      }
    }
  }

  // When the planner published the block: some days before, to the millisecond or microsecond,
  // or unknown (NULL) for blocks imported from an older system.
  static void created_at(std::int64_t day, Random& random, Value& value) {
    const auto roll = random.below(100);
    if (roll < 15) {
      set_null(value);
      return;
    }
    const std::int64_t seconds = random.between(0, 86399);
    const std::int64_t when = day - random.between(1, 14);
    if (roll < 55) {
      set(value, format_timestamp(when, seconds, random.between(0, 999), 3));
    } else if (roll < 80) {
      set(value, format_timestamp(when, seconds, random.between(0, 999999), 6));
    } else {
      set(value, format_timestamp(when, seconds, 0, 0));
    }
  }

  static void performance(std::int64_t activities, Random& random, Row& row, const RowSink& emit) {
    for (std::int64_t activity_id = 1; activity_id <= activities; ++activity_id) {
      const std::string_view work_type =
          kActivities[(activity_id - 1) % kActivitiesPerUnit].work_type;
      const int volume = work_type == "immediate" ? 4 : work_type == "deferred" ? 2 : 1;
      for (int day = 0; day < kDays; ++day) {
        for (int interval = 0; interval < kIntervalsPerDay; ++interval) {
          const int load = kHourlyLoad[interval / 4] * volume;
          const std::int64_t offered = load == 0 ? random.between(0, 1) * random.between(0, 1)
                                                 : random.between(load, 2 * load);
          const std::int64_t handled = offered - random.between(0, offered / 10);
          set(row[0], activity_id);
          set(row[1], format_timestamp(kFirstDay + day, interval * 900, 0, 0));
          set(row[2], offered);
          set(row[3], handled);
          set(row[4], handled * random.between(150, 420));
          if (offered == 0) {
            set_null(row[5]);
          } else {
            set(row[5], hundredths(random.between(6500, 10000)));
          }
          emit(row);
        }
      }
    }
  }

  std::vector<TableSpec> tables_ = wfm_tables();
};

}  // namespace

std::unique_ptr<Model> make_wfm_model() { return std::make_unique<WfmModel>(); }

}  // namespace bru::sample
