// What the fuzz harnesses share: how a broken property is reported. libFuzzer treats an abort as
// a crash and saves the input, so a property check ends the process with a message saying what
// did not hold.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace bru::fuzz {

// Prints "fuzz property broken: <what>" to stderr and aborts unless `holds`.
inline void check(bool holds, std::string_view what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz property broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace bru::fuzz
