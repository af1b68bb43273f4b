// The orchestrator: the demo's default mode. Starts a throwaway 3-member ZooKeeper ensemble
// (zkit's testing kit), launches three storage nodes, tells what they do, kills the fleet's
// leader (and with the full run a ZooKeeper member), and checks that ownership stayed
// exclusive throughout.
#pragma once

#include <string>

namespace zkit::demo {

struct DemoOptions {
  std::string exe;         // this binary, re-run as `node`
  bool kill_zookeeper = true;  // also kill the ensemble's leader member (--quick skips it)
};

// Returns 0 when every step happened in time and every invariant held, else 1.
int run_orchestrator(const DemoOptions& options);

}  // namespace zkit::demo
