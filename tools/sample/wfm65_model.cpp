// The WFM 6.5 sample ("--model wfm65"): the legacy database the 6.5 -> 8.5 migration reads, with
// the 6.5 terms (sql/wfm/legacy/README.md lists each table and the 7.x term it became).
//
// Per scale unit: 3 virtual PABXs (business units), each with 4 PABXs (switches: the sites that
// schedule) and 1 location (a site without a switch of its own), 8 activities per virtual PABX
// (the 8th a virtual activity over two sites), 25 employees per PABX with their CTI and
// employee information, schedules for 3 days, planner items, balances per long period, and 96
// intervals a day of statistics for 2 days per activity: about 10,300 rows, growing linearly.
// The daylight-saving offsets (per time zone and year) are the same 32 rows at any scale.
// Keys are dense (1..n) so children find parents by arithmetic, as in wfm_model.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "tools/sample/calendar.h"
#include "tools/sample/model.h"
#include "tools/sample/random.h"

namespace bru::sample {
namespace {

constexpr int kUnitsPerScale = 3;
constexpr int kPabxPerUnit = 4;
constexpr int kActivitiesPerUnit = 8;  // 7 on a PABX, the 8th virtual
constexpr int kSiteActivitiesPerUnit = 7;
constexpr int kEmployeesPerPabx = 25;
constexpr int kScheduleDays = 3;
constexpr int kBlocksPerDay = 2;
constexpr int kStatisticsDays = 2;
constexpr int kIntervalsPerDay = 96;
constexpr int kStatesPerPabx = 3;
constexpr int kAuxCodesPerUnit = 5;
constexpr int kEventsPerPabx = 4;
constexpr int kRulesPerPabx = 2;
constexpr int kSupervisorsPerUnit = 4;
constexpr int kRightsPerSupervisor = 5;
constexpr int kLimitDays = 28;
constexpr int kOpenDays = 5;  // open hours per activity: Monday to Friday
constexpr int kPeriodsPerPabx = 2;
constexpr int kTypesPerPabx = 2;
constexpr int kPlannerItemsPerEmployee = 2;
// The week the 6.5 system was last used in: Monday 4 March 2013.
constexpr std::int64_t kFirstDay = days_from_civil(2013, 3, 4);

// The version a 6.5.201 installation records; the migration refuses anything below 6.5.201.00.
constexpr const char* kLegacyVersion = "6.5.201.04";

enum TableIdx : std::size_t {
  kVersion,
  kVirtualPabx,
  kPabx,
  kLocation,
  kTimeOffset,
  kActivity,
  kVirtualMember,
  kExclusivitySet,
  kExclusivityMember,
  kScheduledState,
  kAuxCode,
  kGenesysEvent,
  kComplianceRule,
  kSupervisor,
  kSupervisorRight,
  kPlannerLimit,
  kTimeInformation,
  kOpenHours,
  kLongPeriod,
  kEmploymentType,
  kEmployee,
  kCtiInformation,
  kEmployeeInformation,
  kPeriodBalance,
  kPlannerItem,
  kSchedule,
  kIntervalStatistics,
  kAgentCompliance,
  kTableCount
};

const std::vector<std::string> kUnitNames = {
    "Contoso Care",         "Nordlys Kundeservice", "Café Olé Support",   "Straße & Co Service",
    "Ελληνική Εξυπηρέτηση", "Сервис Восток",        "東京サポートセンター", "O'Neill Helpdesk"};
const std::vector<std::string> kZones = {"Europe/Paris",  "Europe/Oslo",   "Europe/Madrid",
                                         "Europe/Berlin", "Europe/Athens", "Europe/Moscow",
                                         "Asia/Tokyo",    "Europe/Dublin"};
const std::vector<std::string> kCities = {"Lyon",   "München", "Málaga",  "Tromsø", "Αθήνα",
                                          "Москва", "大阪",    "Kraków",  "Zürich", "Łódź",
                                          "Reykjavík", "A Coruña"};
const std::vector<std::string> kFirstNames = {
    "Amélie",  "José", "Jürgen", "Søren", "Begoña", "Zoë",    "Νίκος", "Ελένη",
    "Дмитрий", "Анна", "陽菜",   "翔太",  "Mary",   "Ahmed",  "Priya", "Łukasz"};
const std::vector<std::string> kLastNames = {"Müller", "García", "Dubois", "Strauß",
                                             "Nørgaard", "Peña", "O'Brien", "Παπαδόπουλος",
                                             "Иванова", "佐藤", "Kowalski", "Lefèvre"};

struct ActivityKind {
  const char* name;
  const char* type;  // the 6.5 activity type codes
};
const std::array<ActivityKind, kActivitiesPerUnit> kActivities = {{
    {"Inbound calls", "phone"},
    {"Chat 💬", "multimedia"},
    {"E-mail; back office", "multimedia"},
    {"Réclamations", "multimedia"},
    {"Billing & Payments", "phone"},
    {"Outbound -- retention", "phone"},
    {"Schulung / Training", "exclusive"},
    {"Hotline (alle Standorte)", "phone"},  // the virtual activity
}};

// The 6.5 rights a supervisor can hold (the one "calendar edit" among them), sorted.
const std::vector<std::string> kRights = {
    "adherence view", "calendar edit",      "compliance view", "configuration edit",
    "forecast edit",  "print",              "schedule edit",   "schedule publish",
    "schedule view"};
const std::array<const char*, kStatesPerPabx> kStateNames = {"Arbeit", "Pause café", "Réunion"};
const std::array<const char*, kEventsPerPabx> kEvents = {"EventAgentReady", "EventAgentNotReady",
                                                         "EventEstablished", "EventAgentLogout"};
const std::array<const char*, kAuxCodesPerUnit> kAuxNames = {"Pause", "Déjeuner", "Formation",
                                                             "Réunion d'équipe", "Nachbearbeitung"};
const std::array<const char*, 5> kPlannerTypes = {"day off", "time off", "exception",
                                                  "availability", "shift"};
const std::array<const char*, 4> kPlannerStates = {"preferred", "granted", "declined",
                                                   "scheduled"};
constexpr std::array<int, 24> kHourlyLoad = {0,  0,  0,  0,  0,  1,  3, 8, 14, 18, 20, 19,
                                             16, 17, 19, 18, 15, 12, 9, 6, 4,  2,  1,  0};

ColumnSpec integer(std::string name, bool nullable = false) {
  return {std::move(name), ColumnKind::kInteger, 0, 0, 0, nullable};
}
ColumnSpec text(std::string name, int length, bool nullable = false) {
  return {std::move(name), ColumnKind::kText, length, 0, 0, nullable};
}
ColumnSpec of_kind(std::string name, ColumnKind kind, bool nullable = false) {
  return {std::move(name), kind, 0, 0, 0, nullable};
}
ColumnSpec decimal(std::string name, int precision, int scale, bool nullable = false) {
  return {std::move(name), ColumnKind::kDecimal, 0, precision, scale, nullable};
}
ForeignKeySpec fk(std::string name, std::string column, std::string table, std::string ref) {
  return {std::move(name), {std::move(column)}, std::move(table), {std::move(ref)}};
}

std::vector<TableSpec> legacy_tables() {
  using K = ColumnKind;
  std::vector<TableSpec> t(kTableCount);
  t[kVersion] = {"wm_db_version",
                 {integer("version_id"), text("db_version", 20),
                  of_kind("installed_on", K::kTimestamp)},
                 "pk_wm_db_version", {"version_id"}, {}, {}, {}};
  t[kVirtualPabx] = {"virtual_pabx",
                     {integer("vpabx_id"), text("vpabx_name", 100), text("time_zone", 64)},
                     "pk_virtual_pabx", {"vpabx_id"}, {{"uq_virtual_pabx_name", {"vpabx_name"}}},
                     {}, {}};
  t[kPabx] = {"pabx",
              {integer("pabx_id"), integer("vpabx_id"), text("pabx_name", 100),
               text("time_zone", 64), text("switch_type", 40)},
              "pk_pabx", {"pabx_id"}, {},
              {fk("fk_pabx_virtual_pabx", "vpabx_id", "virtual_pabx", "vpabx_id")}, {}};
  t[kLocation] = {"location",
                  {integer("location_id"), integer("vpabx_id"), text("location_name", 100),
                   text("time_zone", 64)},
                  "pk_location", {"location_id"}, {},
                  {fk("fk_location_virtual_pabx", "vpabx_id", "virtual_pabx", "vpabx_id")}, {}};
  t[kTimeOffset] = {"pabx_time_offset",
                    {integer("time_offset_id"), text("time_zone", 64), integer("offset_year"),
                     of_kind("dst_start", K::kTimestamp), of_kind("dst_end", K::kTimestamp),
                     integer("offset_minutes")},
                    "pk_pabx_time_offset", {"time_offset_id"},
                    {{"uq_pabx_time_offset", {"time_zone", "offset_year"}}}, {}, {}};
  t[kActivity] = {"activity",
                  {integer("activity_id"), integer("vpabx_id"), integer("pabx_id", true),
                   text("activity_name", 100), text("activity_type", 16),
                   of_kind("is_virtual", K::kBoolean)},
                  "pk_activity", {"activity_id"}, {},
                  {fk("fk_activity_virtual_pabx", "vpabx_id", "virtual_pabx", "vpabx_id"),
                   fk("fk_activity_pabx", "pabx_id", "pabx", "pabx_id")},
                  {}};
  t[kVirtualMember] = {"virtual_activity_member",
                       {integer("virtual_activity_id"), integer("activity_id")},
                       "pk_virtual_activity_member", {"virtual_activity_id", "activity_id"}, {},
                       {fk("fk_vam_virtual", "virtual_activity_id", "activity", "activity_id"),
                        fk("fk_vam_activity", "activity_id", "activity", "activity_id")},
                       {}};
  t[kExclusivitySet] = {"exclusivity_set",
                        {integer("exclusivity_set_id"), integer("pabx_id"), text("set_name", 100),
                         of_kind("start_date", K::kDate, true), of_kind("end_date", K::kDate, true)},
                        "pk_exclusivity_set", {"exclusivity_set_id"}, {},
                        {fk("fk_exclusivity_set_pabx", "pabx_id", "pabx", "pabx_id")}, {}};
  t[kExclusivityMember] = {
      "exclusivity_set_activity",
      {integer("exclusivity_set_id"), integer("activity_id")},
      "pk_exclusivity_set_activity", {"exclusivity_set_id", "activity_id"}, {},
      {fk("fk_esa_set", "exclusivity_set_id", "exclusivity_set", "exclusivity_set_id"),
       fk("fk_esa_activity", "activity_id", "activity", "activity_id")},
      {}};
  t[kScheduledState] = {"scheduled_agent_state",
                        {integer("scheduled_state_id"), integer("pabx_id"), text("state_name", 100)},
                        "pk_scheduled_agent_state", {"scheduled_state_id"}, {},
                        {fk("fk_scheduled_agent_state_pabx", "pabx_id", "pabx", "pabx_id")}, {}};
  t[kAuxCode] = {"aux_code",
                 {integer("aux_code_id"), integer("vpabx_id"), text("aux_code", 20),
                  text("aux_name", 100), of_kind("paid", K::kBoolean)},
                 "pk_aux_code", {"aux_code_id"}, {{"uq_aux_code", {"vpabx_id", "aux_code"}}},
                 {fk("fk_aux_code_virtual_pabx", "vpabx_id", "virtual_pabx", "vpabx_id")}, {}};
  t[kGenesysEvent] = {
      "genesys_event",
      {integer("event_id"), integer("pabx_id"), text("event_name", 100), text("event_code", 40),
       integer("scheduled_state_id", true), integer("aux_code_id", true)},
      "pk_genesys_event", {"event_id"}, {},
      {fk("fk_genesys_event_pabx", "pabx_id", "pabx", "pabx_id"),
       fk("fk_genesys_event_state", "scheduled_state_id", "scheduled_agent_state",
          "scheduled_state_id"),
       fk("fk_genesys_event_aux_code", "aux_code_id", "aux_code", "aux_code_id")},
      {}};
  t[kComplianceRule] = {
      "compliance_rule",
      {integer("rule_id"), integer("pabx_id"), text("rule_name", 100),
       integer("scheduled_state_id"), integer("event_id"), integer("threshold_seconds")},
      "pk_compliance_rule", {"rule_id"}, {},
      {fk("fk_compliance_rule_pabx", "pabx_id", "pabx", "pabx_id"),
       fk("fk_compliance_rule_state", "scheduled_state_id", "scheduled_agent_state",
          "scheduled_state_id"),
       fk("fk_compliance_rule_event", "event_id", "genesys_event", "event_id")},
      {}};
  t[kSupervisor] = {"supervisor",
                    {integer("supervisor_id"), text("login_name", 64), text("full_name", 120),
                     integer("vpabx_id", true), of_kind("all_pabx", K::kBoolean),
                     of_kind("active", K::kBoolean)},
                    "pk_supervisor", {"supervisor_id"}, {{"uq_supervisor_login", {"login_name"}}},
                    {fk("fk_supervisor_virtual_pabx", "vpabx_id", "virtual_pabx", "vpabx_id")},
                    {}};
  t[kSupervisorRight] = {
      "supervisor_right",
      {integer("supervisor_id"), text("right_code", 40)},
      "pk_supervisor_right", {"supervisor_id", "right_code"}, {},
      {fk("fk_supervisor_right_supervisor", "supervisor_id", "supervisor", "supervisor_id")},
      {}};
  t[kPlannerLimit] = {"vacation_planner_limit",
                      {integer("limit_id"), integer("pabx_id"), of_kind("limit_date", K::kDate),
                       integer("max_agents", true), integer("max_minutes", true)},
                      "pk_vacation_planner_limit", {"limit_id"},
                      {{"uq_vacation_planner_limit", {"pabx_id", "limit_date"}}},
                      {fk("fk_vacation_planner_limit_pabx", "pabx_id", "pabx", "pabx_id")}, {}};
  t[kTimeInformation] = {"time_information",
                         {integer("time_info_id"), integer("pabx_id"), integer("day_of_week"),
                          integer("open_minute"), integer("close_minute")},
                         "pk_time_information", {"time_info_id"}, {},
                         {fk("fk_time_information_pabx", "pabx_id", "pabx", "pabx_id")}, {}};
  t[kOpenHours] = {"open_hours",
                   {integer("open_hours_id"), integer("pabx_id"), integer("activity_id"),
                    integer("weekday"), integer("open_from"), integer("open_to")},
                   "pk_open_hours", {"open_hours_id"}, {},
                   {fk("fk_open_hours_pabx", "pabx_id", "pabx", "pabx_id"),
                    fk("fk_open_hours_activity", "activity_id", "activity", "activity_id")},
                   {}};
  t[kLongPeriod] = {"long_period",
                    {integer("long_period_id"), integer("pabx_id"),
                     of_kind("start_date", K::kDate), integer("weeks")},
                    "pk_long_period", {"long_period_id"}, {},
                    {fk("fk_long_period_pabx", "pabx_id", "pabx", "pabx_id")}, {}};
  t[kEmploymentType] = {"employment_type",
                        {integer("employment_type_id"), integer("pabx_id"), text("type_name", 100),
                         decimal("working_hours", 5, 2), decimal("unpaid_time", 5, 2)},
                        "pk_employment_type", {"employment_type_id"},
                        {{"uq_employment_type_name", {"pabx_id", "type_name"}}},
                        {fk("fk_employment_type_pabx", "pabx_id", "pabx", "pabx_id")}, {}};
  t[kEmployee] = {
      "employee",
      {integer("employee_id"), integer("pabx_id"), text("employee_number", 20),
       text("first_name", 60), text("last_name", 60), text("email", 120, true),
       of_kind("hire_date", K::kDate), decimal("hourly_rate", 9, 2, true),
       of_kind("active", K::kBoolean), integer("employment_type_id", true)},
      "pk_employee", {"employee_id"}, {{"uq_employee_number", {"employee_number"}}},
      {fk("fk_employee_pabx", "pabx_id", "pabx", "pabx_id"),
       fk("fk_employee_type", "employment_type_id", "employment_type", "employment_type_id")},
      {}};
  t[kCtiInformation] = {"cti_system_information",
                        {integer("employee_id"), text("cti_login", 40), text("cti_place", 40)},
                        "pk_cti_system_information", {"employee_id"}, {},
                        {fk("fk_cti_employee", "employee_id", "employee", "employee_id")}, {}};
  t[kEmployeeInformation] = {
      "employee_information",
      {integer("employee_id"), of_kind("seniority_date", K::kDate, true),
       text("notes", 400, true)},
      "pk_employee_information", {"employee_id"}, {},
      {fk("fk_employee_information_employee", "employee_id", "employee", "employee_id")}, {}};
  t[kPeriodBalance] = {
      "employee_period_balance",
      {integer("employee_id"), integer("long_period_id"), decimal("working_hours", 7, 2),
       decimal("unpaid_time", 7, 2), decimal("carried_hours", 7, 2)},
      "pk_employee_period_balance", {"employee_id", "long_period_id"}, {},
      {fk("fk_epb_employee", "employee_id", "employee", "employee_id"),
       fk("fk_epb_long_period", "long_period_id", "long_period", "long_period_id")},
      {}};
  t[kPlannerItem] = {
      "planner_item",
      {integer("planner_item_id"), integer("employee_id"), text("item_type", 20),
       integer("aux_code_id", true), of_kind("start_at", K::kTimestamp),
       of_kind("end_at", K::kTimestamp), text("status", 12)},
      "pk_planner_item", {"planner_item_id"}, {},
      {fk("fk_planner_item_employee", "employee_id", "employee", "employee_id"),
       fk("fk_planner_item_aux_code", "aux_code_id", "aux_code", "aux_code_id")},
      {}};
  t[kSchedule] = {"schedule",
                  {integer("schedule_id"), integer("employee_id"), integer("activity_id"),
                   of_kind("start_time", K::kTimestamp), of_kind("end_time", K::kTimestamp)},
                  "pk_schedule", {"schedule_id"}, {},
                  {fk("fk_schedule_employee", "employee_id", "employee", "employee_id"),
                   fk("fk_schedule_activity", "activity_id", "activity", "activity_id")},
                  {}};
  t[kIntervalStatistics] = {
      "interval_statistics",
      {integer("activity_id"), of_kind("interval_start", K::kTimestamp), integer("calls_offered"),
       integer("calls_handled"), integer("handle_time")},
      "pk_interval_statistics", {"activity_id", "interval_start"}, {},
      {fk("fk_interval_statistics_activity", "activity_id", "activity", "activity_id")},
      {}};
  t[kAgentCompliance] = {
      "agent_compliance",
      {integer("employee_id"), of_kind("compliance_date", K::kDate),
       integer("scheduled_seconds"), integer("noncompliance_seconds")},
      "pk_agent_compliance", {"employee_id", "compliance_date"}, {},
      {fk("fk_agent_compliance_employee", "employee_id", "employee", "employee_id")},
      {}};
  return t;
}

std::string hundredths(std::int64_t value) {
  return fmt::format("{}.{:02}", value / 100, value % 100);
}

template <typename List>
std::string numbered(const List& items, std::int64_t id) {
  const auto round = (id - 1) / static_cast<std::int64_t>(items.size());
  std::string name = items[(id - 1) % items.size()];
  return round == 0 ? name : fmt::format("{} {}", name, round + 1);
}

class Wfm65Model : public Model {
 public:
  std::string_view name() const override { return "wfm65"; }
  const std::vector<TableSpec>& tables() const override { return tables_; }

  std::uint64_t row_count(std::size_t table_idx, int scale) const override {
    const std::uint64_t units = static_cast<std::uint64_t>(kUnitsPerScale) * scale;
    const std::uint64_t pabx = units * kPabxPerUnit;
    const std::uint64_t employees = pabx * kEmployeesPerPabx;
    const std::uint64_t activities = units * kActivitiesPerUnit;
    switch (table_idx) {
      case kVersion: return 1;
      case kVirtualPabx: return units;
      case kPabx: return pabx;
      case kLocation: return units;
      case kTimeOffset: return kZones.size() * 4;
      case kActivity: return activities;
      case kVirtualMember: return units * 2;
      case kExclusivitySet: return pabx;
      case kExclusivityMember: return units * kSiteActivitiesPerUnit;
      case kScheduledState: return pabx * kStatesPerPabx;
      case kAuxCode: return units * kAuxCodesPerUnit;
      case kGenesysEvent: return pabx * kEventsPerPabx;
      case kComplianceRule: return pabx * kRulesPerPabx;
      case kSupervisor: return units * kSupervisorsPerUnit;
      case kSupervisorRight: return units * kSupervisorsPerUnit * kRightsPerSupervisor;
      case kPlannerLimit: return pabx * kLimitDays;
      case kTimeInformation: return pabx * 7;
      case kOpenHours: return units * kSiteActivitiesPerUnit * kOpenDays;
      case kLongPeriod: return pabx * kPeriodsPerPabx;
      case kEmploymentType: return pabx * kTypesPerPabx;
      case kEmployee: return employees;
      case kCtiInformation: return employees - employees / 10;
      case kEmployeeInformation: return employees;
      case kPeriodBalance: return employees * kPeriodsPerPabx;
      case kPlannerItem: return employees * kPlannerItemsPerEmployee;
      case kSchedule: return employees * kScheduleDays * kBlocksPerDay;
      case kIntervalStatistics: return activities * kStatisticsDays * kIntervalsPerDay;
      case kAgentCompliance: return employees * kScheduleDays;
      default: return 0;
    }
  }

  bool reference_data(std::size_t table_idx) const override {
    return table_idx == kVersion || table_idx == kTimeOffset;
  }

  void generate(std::size_t table_idx, const SampleOptions& options,
                const RowSink& emit) const override {
    Random random(options.seed, 1000 + table_idx);
    Row row(tables_[table_idx].columns.size());
    const std::int64_t units = std::int64_t{kUnitsPerScale} * options.scale;
    const std::int64_t pabx_count = units * kPabxPerUnit;
    const std::int64_t employees = pabx_count * kEmployeesPerPabx;
    const std::int64_t activities = units * kActivitiesPerUnit;
    auto put = [&](auto&&... values) {
      std::size_t column = 0;
      (assign(row[column++], values), ...);
      emit(row);
    };
    switch (table_idx) {
      case kVersion:
        put(1, std::string(kLegacyVersion), std::string("2012-11-20 09:30:00"));
        break;
      case kVirtualPabx:
        for (std::int64_t u = 1; u <= units; ++u) {
          put(u, numbered(kUnitNames, u), kZones[(u - 1) % kZones.size()]);
        }
        break;
      case kPabx:
        for (std::int64_t p = 1; p <= pabx_count; ++p) {
          const std::int64_t unit = (p - 1) / kPabxPerUnit + 1;
          put(p, unit, fmt::format("{} PABX {}", random.pick(kCities), (p - 1) % kPabxPerUnit + 1),
              kZones[(unit - 1) % kZones.size()],
              std::string(random.percent(50) ? "Alcatel A4400" : "Avaya Definity"));
        }
        break;
      case kLocation:
        for (std::int64_t u = 1; u <= units; ++u) {
          put(u, u, fmt::format("Télétravail {}", random.pick(kCities)),
              kZones[(u - 1) % kZones.size()]);
        }
        break;
      case kTimeOffset: {
        std::int64_t id = 1;
        for (const auto& zone : kZones) {
          for (int year = 2011; year <= 2014; ++year) {
            const bool southern_or_none = zone == "Asia/Tokyo" || zone == "Europe/Moscow";
            put(id++, zone, std::int64_t{year},
                format_timestamp(days_from_civil(year, 3, 25 + (year % 4)), 2 * 3600, 0, 0),
                format_timestamp(days_from_civil(year, 10, 25 + (year % 4)), 3 * 3600, 0, 0),
                std::int64_t{southern_or_none ? 0 : 60});
          }
        }
        break;
      }
      case kActivity:
        for (std::int64_t a = 1; a <= activities; ++a) {
          const std::int64_t unit = (a - 1) / kActivitiesPerUnit + 1;
          const int kind = static_cast<int>((a - 1) % kActivitiesPerUnit);
          const bool is_virtual = kind == kSiteActivitiesPerUnit;
          assign(row[0], a);
          assign(row[1], unit);
          if (is_virtual) {
            row[2].null = true;
          } else {
            assign(row[2], activity_pabx(unit, kind));
          }
          assign(row[3], std::string(kActivities[kind].name));
          assign(row[4], std::string(kActivities[kind].type));
          assign(row[5], std::int64_t{is_virtual ? 1 : 0});
          emit(row);
        }
        break;
      case kVirtualMember:
        for (std::int64_t u = 1; u <= units; ++u) {
          const std::int64_t first = (u - 1) * kActivitiesPerUnit + 1;
          put(first + 7, first);      // inbound calls on PABX 1
          put(first + 7, first + 1);  // chat on PABX 2
        }
        break;
      case kExclusivitySet:
        for (std::int64_t p = 1; p <= pabx_count; ++p) {
          assign(row[0], p);
          assign(row[1], p);
          assign(row[2], fmt::format("Exklusiv {}", p));
          if (random.percent(30)) {
            row[3].null = row[4].null = true;
          } else {
            assign(row[3], format_date(kFirstDay - random.between(30, 300)));
            assign(row[4], format_date(kFirstDay + random.between(30, 300)));
          }
          emit(row);
        }
        break;
      case kExclusivityMember:
        // Every site activity is in the set of its PABX; sets in key order.
        for (std::int64_t p = 1; p <= pabx_count; ++p) {
          const std::int64_t unit = (p - 1) / kPabxPerUnit + 1;
          for (int kind = 0; kind < kSiteActivitiesPerUnit; ++kind) {
            if (activity_pabx(unit, kind) == p) put(p, (unit - 1) * kActivitiesPerUnit + kind + 1);
          }
        }
        break;
      case kScheduledState:
        for (std::int64_t id = 1; id <= pabx_count * kStatesPerPabx; ++id) {
          put(id, (id - 1) / kStatesPerPabx + 1,
              std::string(kStateNames[(id - 1) % kStatesPerPabx]));
        }
        break;
      case kAuxCode:
        for (std::int64_t id = 1; id <= units * kAuxCodesPerUnit; ++id) {
          const int k = static_cast<int>((id - 1) % kAuxCodesPerUnit);
          put(id, (id - 1) / kAuxCodesPerUnit + 1, fmt::format("AUX{}", k + 1),
              std::string(kAuxNames[k]), std::int64_t{k == 2 || k == 3 ? 1 : 0});
        }
        break;
      case kGenesysEvent:
        for (std::int64_t id = 1; id <= pabx_count * kEventsPerPabx; ++id) {
          const std::int64_t p = (id - 1) / kEventsPerPabx + 1;
          const int k = static_cast<int>((id - 1) % kEventsPerPabx);
          const std::int64_t unit = (p - 1) / kPabxPerUnit + 1;
          assign(row[0], id);
          assign(row[1], p);
          assign(row[2], fmt::format("{} ({})", kEvents[k], p));
          assign(row[3], std::string(kEvents[k]));
          if (k == 3) {
            row[4].null = true;
          } else {
            assign(row[4], (p - 1) * kStatesPerPabx + 1 + k);
          }
          if (k == 1) {
            assign(row[5], (unit - 1) * kAuxCodesPerUnit + 1 + random.between(0, 4));
          } else {
            row[5].null = true;
          }
          emit(row);
        }
        break;
      case kComplianceRule:
        for (std::int64_t id = 1; id <= pabx_count * kRulesPerPabx; ++id) {
          const std::int64_t p = (id - 1) / kRulesPerPabx + 1;
          const int k = static_cast<int>((id - 1) % kRulesPerPabx);
          put(id, p, fmt::format("Compliance {} / {}", kStateNames[k], p),
              (p - 1) * kStatesPerPabx + 1 + k, (p - 1) * kEventsPerPabx + 1 + k,
              random.between(0, 20) * 30);
        }
        break;
      case kSupervisor:
        for (std::int64_t id = 1; id <= units * kSupervisorsPerUnit; ++id) {
          const std::int64_t unit = (id - 1) / kSupervisorsPerUnit + 1;
          const int k = static_cast<int>((id - 1) % kSupervisorsPerUnit);
          assign(row[0], id);
          assign(row[1], fmt::format("sup{:04}", id));
          assign(row[2], fmt::format("{} {}", random.pick(kFirstNames), random.pick(kLastNames)));
          if (k == 0) {
            row[3].null = true;  // a supervisor of every virtual PABX
          } else {
            assign(row[3], unit);
          }
          assign(row[4], std::int64_t{k <= 1 ? 1 : 0});
          assign(row[5], std::int64_t{random.percent(90) ? 1 : 0});
          emit(row);
        }
        break;
      case kSupervisorRight:
        // "calendar edit" and four more, different per supervisor, in key order.
        for (std::int64_t id = 1; id <= units * kSupervisorsPerUnit; ++id) {
          std::vector<std::string> rights = {"calendar edit"};
          std::vector<std::string> others;
          for (const auto& right : kRights) {
            if (right != "calendar edit") others.push_back(right);
          }
          for (int k = 0; k < kRightsPerSupervisor - 1; ++k) {
            rights.push_back(others[(id + 2 * k) % others.size()]);
          }
          std::sort(rights.begin(), rights.end());
          for (const auto& right : rights) put(id, right);
        }
        break;
      case kPlannerLimit:
        for (std::int64_t id = 1; id <= pabx_count * kLimitDays; ++id) {
          const std::int64_t p = (id - 1) / kLimitDays + 1;
          const std::int64_t day = (id - 1) % kLimitDays;
          assign(row[0], id);
          assign(row[1], p);
          assign(row[2], format_date(kFirstDay + day));
          set_or_null(row[3], random.percent(10), random.between(1, 6));
          set_or_null(row[4], random.percent(40), random.between(4, 40) * 60);
          emit(row);
        }
        break;
      case kTimeInformation:
        for (std::int64_t id = 1; id <= pabx_count * 7; ++id) {
          const std::int64_t day = (id - 1) % 7 + 1;
          put(id, (id - 1) / 7 + 1, day, std::int64_t{day <= 5 ? 420 : 540},
              std::int64_t{day <= 5 ? 1260 : 1080});
        }
        break;
      case kOpenHours:
        for (std::int64_t id = 1; id <= units * kSiteActivitiesPerUnit * kOpenDays; ++id) {
          const std::int64_t site_activity = (id - 1) / kOpenDays;  // 0-based
          const std::int64_t unit = site_activity / kSiteActivitiesPerUnit + 1;
          const int kind = static_cast<int>(site_activity % kSiteActivitiesPerUnit);
          put(id, activity_pabx(unit, kind), (unit - 1) * kActivitiesPerUnit + kind + 1,
              (id - 1) % kOpenDays + 1, 480 + random.between(0, 4) * 30,
              1020 + random.between(0, 4) * 30);
        }
        break;
      case kLongPeriod:
        for (std::int64_t id = 1; id <= pabx_count * kPeriodsPerPabx; ++id) {
          put(id, (id - 1) / kPeriodsPerPabx + 1,
              format_date(kFirstDay - 28 + ((id - 1) % kPeriodsPerPabx) * 28), std::int64_t{4});
        }
        break;
      case kEmploymentType:
        for (std::int64_t id = 1; id <= pabx_count * kTypesPerPabx; ++id) {
          const bool full = (id - 1) % kTypesPerPabx == 0;
          put(id, (id - 1) / kTypesPerPabx + 1,
              std::string(full ? "Temps plein 38,5 h" : "Teilzeit 20 h"),
              std::string(full ? "38.50" : "20.00"), std::string(full ? "2.50" : "1.25"));
        }
        break;
      case kEmployee:
        for (std::int64_t e = 1; e <= employees; ++e) {
          const std::int64_t p = (e - 1) / kEmployeesPerPabx + 1;
          assign(row[0], e);
          assign(row[1], p);
          assign(row[2], fmt::format("E{:07}", e));
          assign(row[3], random.pick(kFirstNames));
          assign(row[4], random.pick(kLastNames));
          const auto email_roll = random.below(100);
          if (email_roll < 20) {
            row[5].null = true;
          } else {
            assign(row[5], fmt::format("e{:07}@wfm65.example", e));
          }
          assign(row[6], format_date(days_from_civil(2001, 1, 8) + random.between(0, 4300)));
          set_or_null(row[7], random.percent(8), std::string());
          if (!row[7].null) row[7].text = hundredths(random.between(1100, 3800));
          assign(row[8], std::int64_t{random.percent(93) ? 1 : 0});
          assign(row[9], (p - 1) * kTypesPerPabx + 1 + (e % kTypesPerPabx));
          emit(row);
        }
        break;
      case kCtiInformation:
        for (std::int64_t e = 1; e <= employees; ++e) {
          if (e % 10 == 0) continue;  // employees without a CTI login (back office)
          put(e, fmt::format("{}", 40000 + e),
              fmt::format("Place-{}-{:03}", (e - 1) / kEmployeesPerPabx + 1, e % 1000));
        }
        break;
      case kEmployeeInformation:
        for (std::int64_t e = 1; e <= employees; ++e) {
          assign(row[0], e);
          set_or_null(row[1], random.percent(15),
                      format_date(days_from_civil(2001, 1, 8) + random.between(0, 4300)));
          set_or_null(row[2], random.percent(70),
                      std::string(random.percent(50) ? "Spricht Deutsch & Français"
                                                     : "Équipe de nuit; préfère le chat"));
          emit(row);
        }
        break;
      case kPeriodBalance:
        for (std::int64_t e = 1; e <= employees; ++e) {
          const std::int64_t p = (e - 1) / kEmployeesPerPabx + 1;
          for (int k = 0; k < kPeriodsPerPabx; ++k) {
            put(e, (p - 1) * kPeriodsPerPabx + 1 + k, hundredths(random.between(8000, 16000)),
                hundredths(random.between(0, 1000)), hundredths(random.between(0, 2400)));
          }
        }
        break;
      case kPlannerItem:
        for (std::int64_t id = 1; id <= employees * kPlannerItemsPerEmployee; ++id) {
          const std::int64_t e = (id - 1) / kPlannerItemsPerEmployee + 1;
          const std::int64_t unit = (e - 1) / (kEmployeesPerPabx * kPabxPerUnit) + 1;
          const auto type = kPlannerTypes[random.below(kPlannerTypes.size())];
          const std::int64_t day = kFirstDay + random.between(-20, 40);
          const std::int64_t start = 8 * 3600 + 1800 * random.between(0, 10);
          assign(row[0], id);
          assign(row[1], e);
          assign(row[2], std::string(type));
          set_or_null(row[3], random.percent(50),
                      (unit - 1) * kAuxCodesPerUnit + 1 + random.between(0, 4));
          assign(row[4], format_timestamp(day, start, 0, 0));
          assign(row[5], format_timestamp(day, start + 1800 * random.between(1, 16), 0, 0));
          assign(row[6], std::string(kPlannerStates[random.below(kPlannerStates.size())]));
          emit(row);
        }
        break;
      case kSchedule:
        for (std::int64_t e = 1; e <= employees; ++e) {
          const std::int64_t p = (e - 1) / kEmployeesPerPabx + 1;
          const std::int64_t unit = (p - 1) / kPabxPerUnit + 1;
          for (int day = 0; day < kScheduleDays; ++day) {
            const std::int64_t shift_start = 7 * 3600 + 900 * random.between(0, 12);
            for (int block = 0; block < kBlocksPerDay; ++block) {
              const std::int64_t start = shift_start + block * (4 * 3600 + 1800);
              const int kind = static_cast<int>(random.between(0, kSiteActivitiesPerUnit - 1));
              put((e - 1) * kScheduleDays * kBlocksPerDay + day * kBlocksPerDay + block + 1, e,
                  (unit - 1) * kActivitiesPerUnit + kind + 1,
                  format_timestamp(kFirstDay + day, start, 0, 0),
                  format_timestamp(kFirstDay + day, start + 4 * 3600, 0, 0));
            }
          }
        }
        break;
      case kIntervalStatistics:
        for (std::int64_t a = 1; a <= activities; ++a) {
          const std::string_view type = kActivities[(a - 1) % kActivitiesPerUnit].type;
          const int volume = type == "phone" ? 4 : type == "multimedia" ? 2 : 1;
          for (int day = 0; day < kStatisticsDays; ++day) {
            for (int interval = 0; interval < kIntervalsPerDay; ++interval) {
              const int load = kHourlyLoad[interval / 4] * volume;
              const std::int64_t offered =
                  load == 0 ? random.between(0, 1) : random.between(load, 2 * load);
              const std::int64_t handled = offered - random.between(0, offered / 10);
              put(a, format_timestamp(kFirstDay + day, interval * 900, 0, 0), offered, handled,
                  handled * random.between(150, 420));
            }
          }
        }
        break;
      case kAgentCompliance:
        for (std::int64_t e = 1; e <= employees; ++e) {
          for (int day = 0; day < kScheduleDays; ++day) {
            put(e, format_date(kFirstDay + day), std::int64_t{8 * 3600},
                random.between(0, 40) * 30);
          }
        }
        break;
      default:
        break;
    }
  }

 private:
  // The PABX a site activity of the unit runs on: kinds 0..6 spread over the unit's 4 PABXs.
  static std::int64_t activity_pabx(std::int64_t unit, int kind) {
    return (unit - 1) * kPabxPerUnit + 1 + kind % kPabxPerUnit;
  }
  static void assign(Value& value, std::int64_t integer) {
    value.null = false;
    value.integer = integer;
  }
  static void assign(Value& value, int integer) { assign(value, std::int64_t{integer}); }
  static void assign(Value& value, std::string text) {
    value.null = false;
    value.text = std::move(text);
  }
  template <typename T>
  static void set_or_null(Value& value, bool null, T given) {
    if (null) {
      value.null = true;
    } else {
      assign(value, std::move(given));
    }
  }

  std::vector<TableSpec> tables_ = legacy_tables();
};

}  // namespace

std::unique_ptr<Model> make_wfm65_model() { return std::make_unique<Wfm65Model>(); }

}  // namespace bru::sample
