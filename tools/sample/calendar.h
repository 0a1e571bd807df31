// Dates and timestamps as text, from day numbers, with integer arithmetic only (no time zone, no
// C library: the sample is the same on every machine). Days count from 1970-01-01 (day 0), in the
// proleptic Gregorian calendar (H. Hinnant's civil-date algorithms).
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>

namespace bru::sample {

// The day number of year-month-day (month 1-12, day 1-31).
constexpr std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

// "YYYY-MM-DD" of a day number.
inline std::string format_date(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned month_index = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const unsigned month = month_index < 10 ? month_index + 3 : month_index - 9;
  const std::int64_t year = static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2);
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

// "YYYY-MM-DD hh:mm:ss", plus "." and `fraction` in `digits` digits (3: milliseconds, 6:
// microseconds) without trailing zeros, nothing when they are all zero: the one canonical text
// of a timestamp, which bru's SQLite dialect reads as a timestamp (".120" it would keep as text).
// seconds_of_day may pass 86400: the extra days carry into the date.
inline std::string format_timestamp(std::int64_t days, std::int64_t seconds_of_day,
                                    std::int64_t fraction, int digits) {
  days += seconds_of_day / 86400;
  seconds_of_day %= 86400;
  std::string text = fmt::format("{} {:02}:{:02}:{:02}", format_date(days), seconds_of_day / 3600,
                                 seconds_of_day / 60 % 60, seconds_of_day % 60);
  if (digits > 0 && fraction > 0) {
    std::string digits_text = fmt::format("{:0{}}", fraction, digits);
    digits_text.erase(digits_text.find_last_not_of('0') + 1);
    text += "." + digits_text;
  }
  return text;
}

}  // namespace bru::sample
