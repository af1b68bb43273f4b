// assign_shard: which member owns a shard, under the modulo or rendezvous rule.
#include <algorithm>
#include <vector>

#include "zkit/recipes/sharding/partitioner.hpp"

namespace zkit::recipes {

namespace {

std::uint64_t fnv1a64(std::string_view s) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

// SplitMix64's output function (with its increment).
std::uint64_t mix(std::uint64_t z) noexcept {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

std::string assign_shard(int shard, std::span<const std::string> members, Assignment rule) {
  if (members.empty() || shard < 0) return {};
  if (rule == Assignment::modulo) {
    std::vector<std::string> sorted(members.begin(), members.end());
    std::sort(sorted.begin(), sorted.end());
    return sorted[static_cast<std::size_t>(shard) % sorted.size()];
  }
  const std::uint64_t s = mix(static_cast<std::uint64_t>(shard) + 1);
  const std::string* best = nullptr;
  std::uint64_t best_weight = 0;
  for (const auto& m : members) {
    std::uint64_t weight = mix(fnv1a64(m) ^ s);
    if (!best || weight > best_weight || (weight == best_weight && m < *best)) {
      best = &m;
      best_weight = weight;
    }
  }
  return *best;
}

}  // namespace zkit::recipes
