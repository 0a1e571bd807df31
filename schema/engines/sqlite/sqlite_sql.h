// SQL expressions over one SQLite column, shared by the SELECT that produces canonical values and
// the catalog's check that the stored values have them.
#pragma once

#include <string>

#include "schema/engines/sqlite/sqlite.h"
#include "schema/types.h"

namespace bru::schema::dialects::sqlite_sql {

// The shortest of 15, 16 or 17 significant digits that reads back as the same REAL x (as
// SQLite reads text), for numbers shown as text.
std::string shortest_real(const std::string& x);

// REAL x as exact hexadecimal floating-point text ("-0x1f4p-3"; 0.0, Inf and -Inf spelled so),
// which strtod() - and so the ODBC driver binding it to a double - reads back bit for bit.
// SQLite 3.40's printf("%.17g") is not exact for about 0.3% of doubles (mostly above 1e100,
// DBL_MAX among them), and the driver's own REAL conversion keeps only 15 digits. Needs SQLite's
// math functions (log2, pow, floor), which Debian's build has.
std::string exact_real(const std::string& x);

// The value of column x (quoted) as the canonical value of its kind (schema/types.h), given that
// fits(x, ...) holds for it: exact_real() for float kinds (bound as double by the reader),
// decimals as plain text with the type's scale, numbers in text kinds as text, the rest as stored.
std::string canonical_value(const std::string& x, const PortableType& type,
                            SqliteAffinity affinity);

// True for NULL and for a stored value that canonical_value() turns into the canonical value of
// the kind exactly (right storage class, canonical text form, integer in range, decimal digits
// that survive the declared scale).
std::string fits(const std::string& x, const PortableType& type, SqliteAffinity affinity);

}  // namespace bru::schema::dialects::sqlite_sql
