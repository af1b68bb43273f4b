// W6, the reconnect herd: many sessions with data watches on one member of a 3-member ensemble;
// that member is killed, and the benchmark measures how long until every session is back on
// another member with its watches re-registered, how many expired, and how many handshakes the
// client had in flight at most. zkit on one loop; the C client (2 threads per handle) at a
// smaller count beside it. See docs/benchmarks.md.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "measure.hpp"

namespace zkit::testing {
class Cluster;
}

namespace zkit::bench {

struct HerdParams {
  int zkit_sessions = 10000;
  int c_sessions = 1000;
  int watches_per_session = 10;
  int nodes = 1000;  // the watched nodes: session i watches nodes (10 i + k) mod nodes
  int session_timeout_ms = 30000;
};

// Runs `client` ("zkit" or "c") against `cluster` (3 members, all serving; member 1 is the one
// killed, then restarted). Nodes live under `root`, which this creates.
nlohmann::ordered_json herd(const std::string& client, testing::Cluster& cluster, const std::string& root,
                            const HerdParams& p, std::chrono::milliseconds limit);

}  // namespace zkit::bench
