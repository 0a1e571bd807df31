// A bru command signalled at random moments while it runs: SIGINT and kill -9 in turn, each at a
// moment drawn between 0.05 s and 0.9 of an undisturbed run's time, from a seed that is printed
// (BRU_TEST_SEED repeats a run). For the promise that any moment leaves the target as it was.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace bru::test {

// The seed of a test's random choices: BRU_TEST_SEED to repeat a run, else a new one; printed.
unsigned test_seed();

// Runs bru with `args` `iterations` times, each signalled at a random moment within `seconds`
// and waited for (120 s). `check(signal_number, result)` then checks the target (and makes it
// again where the command had finished) and returns whether the signal stopped the command.
// Returns how many times it did.
int signal_at_random_moments(const std::vector<std::string>& args, double seconds, int iterations,
                             const std::function<bool(int, const RunResult&)>& check);

}  // namespace bru::test
