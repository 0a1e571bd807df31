// The generator's own pseudo-random numbers: SplitMix64 (Steele, Lea, Flood 2014), and integer
// helpers on top of it. std::*_distribution is not used on purpose: its algorithms differ between
// standard libraries, and the sample must be byte-identical for the same seed everywhere. Only
// integer arithmetic, so no floating-point rounding can differ between machines either.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace bru::sample {

class Random {
 public:
  // A stream for one purpose (e.g. one table) of one seed: streams of the same seed with other
  // purposes are independent, so adding a table never changes the rows of another.
  Random(std::uint64_t seed, std::uint64_t stream) : state_(seed ^ (stream * kGolden)) { next(); }

  // The next 64 random bits.
  std::uint64_t next() {
    std::uint64_t z = (state_ += kGolden);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // A number in [0, bound) (bound > 0). The modulo's bias (bound / 2^64) is far below anything
  // a sample shows, and the same on every machine.
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }
  // A number in [low, high] (low <= high).
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low) + 1));
  }
  // True with probability percent/100.
  bool percent(unsigned percent) { return below(100) < percent; }

  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  static constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;
  std::uint64_t state_;
};

}  // namespace bru::sample
