// Oracle's Instant Client ODBC driver: the database is a TNS name (or EZConnect string) given as
// DBQ. bru adds no driver options yet.
#include "schema/engines/oracle/oracle_profile.h"

namespace bru::schema::dialects {

const DriverProfile& oracle_driver_profile() {
  static const DriverProfile kProfile{
      .form = "oracle;<database>;<user>;<password>",
      .parts = {"<database>", "<user>", "<password>"},
      .required_parts = 2,
      .locator = Locator::kTnsName,
      .default_port = 0,
      .driver_names = {},
      .numbered_driver_word = {},
      .driver_words = {"oracle"},
      .fallback_driver = "Oracle",
      .recognise_words = {"oracle", "sqora"},
      .server_key = {},
      .server_value = {},
      .port_key = {},
      .database_key = "DBQ",
      .options = {},
      .display = "oracle://{user}@{database}",
      .cannot_open_native_code = 0,
      .cannot_open_hint = {},
  };
  return kProfile;
}

}  // namespace bru::schema::dialects
