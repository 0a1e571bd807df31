// SQL expressions over one SQLite column, shared by the SELECT that produces canonical values and
// the catalog's check that the stored values have them.
#pragma once

#include <string>

#include "schema/dialects/sqlite.h"
#include "schema/types.h"

namespace bru::schema::dialects::sqlite_sql {

// The shortest of 15, 16 or 17 significant digits that reads back as the same REAL x.
std::string shortest_real(const std::string& x);

// The value of column x (quoted) as the canonical value of its kind (schema/types.h), given that
// fits(x, ...) holds for it: reals with 17 digits for float kinds (bound as double by the reader),
// decimals as plain text with the type's scale, numbers in text kinds as text, the rest as stored.
std::string canonical_value(const std::string& x, const PortableType& type,
                            SqliteAffinity affinity);

// True for NULL and for a stored value that canonical_value() turns into the canonical value of
// the kind exactly (right storage class, canonical text form, integer in range, decimal digits
// that survive the declared scale).
std::string fits(const std::string& x, const PortableType& type, SqliteAffinity affinity);

}  // namespace bru::schema::dialects::sqlite_sql
