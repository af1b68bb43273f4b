// W5: the recipes' own latencies, zkit only (Debian's C client ships no recipes): lock hand-off
// between contenders and leader failover after the leader's session closes.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "measure.hpp"

namespace zkit::bench {

struct RecipeParams {
  int lock_contenders = 10;
  int lock_handoffs = 200;      // hand-offs measured
  int election_members = 3;
  int failovers = 20;           // leader sessions closed, one at a time
};

// Runs both under `root` (which must exist) on a private loop; every wait ends by `limit`.
nlohmann::ordered_json w5_recipes(const std::string& hosts, const std::string& root, const RecipeParams& p,
                                  std::chrono::milliseconds limit);

}  // namespace zkit::bench
