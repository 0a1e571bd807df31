#include "support/random_signals.h"

#include <signal.h>

#include <chrono>
#include <iostream>
#include <random>
#include <thread>

#include "support/process.h"

namespace bru::test {

unsigned test_seed() {
  const auto given = env("BRU_TEST_SEED");
  const unsigned seed = given ? static_cast<unsigned>(std::stoul(*given)) : std::random_device{}();
  std::cout << "[ seed ] BRU_TEST_SEED=" << seed << "\n";
  return seed;
}

int signal_at_random_moments(const std::vector<std::string>& args, double seconds, int iterations,
                             const std::function<bool(int, const RunResult&)>& check) {
  std::mt19937 random(test_seed());
  std::uniform_real_distribution<double> moment(0.05, 0.9 * seconds);
  int stopped = 0;
  for (int iteration = 0; iteration < iterations; ++iteration) {
    const int signal_number = iteration % 2 == 0 ? SIGINT : SIGKILL;
    const double delay = moment(random);
    std::cout << "[ moment ] " << (signal_number == SIGINT ? "SIGINT" : "SIGKILL") << " after "
              << delay << " s\n";
    BruProcess command(args);
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    command.signal(signal_number);
    if (check(signal_number, command.wait(120))) ++stopped;
  }
  return stopped;
}

}  // namespace bru::test
