// bru/odbc/driver_config.h: once bru's ODBC environment exists, unixODBC and the drivers read
// CommLog=0 and Debug=0 for every driver, whatever /etc/odbcinst.ini says, the driver list is the
// system's, and ODBCINSTINI is as it was before (nothing for a child process to inherit).
#include <odbcinst.h>

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "bru/odbc/connection_string.h"
#include "bru/odbc/handle.h"

namespace bru::odbc {
namespace {

std::string driver_setting(const std::string& driver, const std::string& key) {
  char value[64] = {};
  SQLGetPrivateProfileString(driver.c_str(), key.c_str(), "", value, sizeof value, "odbcinst.ini");
  return value;
}

TEST(DriverConfig, DriversReadTheirLoggingAsOffAndTheEnvironmentIsUnchanged) {
  ASSERT_EQ(std::getenv("ODBCINSTINI"), nullptr) << "run without ODBCINSTINI set";
  environment();
  EXPECT_EQ(std::getenv("ODBCINSTINI"), nullptr);
  const auto drivers = installed_drivers();
  ASSERT_FALSE(drivers.empty());
  for (const auto& driver : drivers) {
    const auto commlog = driver_setting(driver, "CommLog");
    const auto debug = driver_setting(driver, "Debug");
    EXPECT_TRUE(commlog.empty() || commlog == "0") << driver << " CommLog=" << commlog;
    EXPECT_TRUE(debug.empty() || debug == "0") << driver << " Debug=" << debug;
  }
  // The rest of each section is the system's: the library the driver manager loads.
  EXPECT_FALSE(driver_setting("PostgreSQL Unicode", "Driver").empty());
}

}  // namespace
}  // namespace bru::odbc
