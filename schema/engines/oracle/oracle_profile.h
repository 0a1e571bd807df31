// The engine's driver profile (schema/driver_profile.h); oracle_profile.cpp says why each option is
// there.
#pragma once

#include "schema/driver_profile.h"

namespace bru::schema::dialects {

const DriverProfile& oracle_driver_profile();

}  // namespace bru::schema::dialects
