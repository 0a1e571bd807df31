#include "bru/odbc/calls.h"

namespace bru::odbc {

CallTable& calls() noexcept {
  static CallTable table;
  return table;
}

}  // namespace bru::odbc
