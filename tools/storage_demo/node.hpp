// The storage node: one process of the demo's fleet (`zkit-storage-demo node ...`).
//
// It does what a storage service's node does with ZooKeeper: registers itself for discovery
// (ServiceRegistry, with a JSON payload), follows its peers (ServiceCache), competes to be the
// fleet's coordinator (LeaderLatch), owns its share of the shards (Partitioner), and now and
// then takes the ledger lock (Mutex) to append a record stamped with the lock's fencing token.
// It tells the orchestrator everything it sees (protocol.hpp) and stops on SIGTERM.
#pragma once

#include <chrono>
#include <string>

namespace zkit::demo {

struct NodeConfig {
  std::string connect;
  std::string id;                                  // "node-1"
  int port = 0;                                    // the (pretend) data port it advertises
  int capacity_gb = 0;                             // advertised in its registration payload
  std::chrono::milliseconds session_timeout{4000};
};

// Runs the node until SIGTERM; returns its exit status (0: stopped cleanly; 3: its session
// expired, which a real node would answer by starting over with a new session).
int run_node(const NodeConfig& config);

}  // namespace zkit::demo
