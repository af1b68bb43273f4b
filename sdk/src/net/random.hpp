// net::Random: a small random-number generator (SplitMix64, 8 bytes of state) for backoff
// jitter, host shuffling and address choice. None of those needs more, and std::mt19937_64
// cost every session 2.5 KB. Not for anything secret.
#pragma once

#include <cstdint>
#include <limits>

namespace zkit::net {

class Random {
 public:
  using result_type = std::uint64_t;

  explicit Random(std::uint64_t seed) noexcept : state_(seed) {}

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  result_type operator()() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

}  // namespace zkit::net
