// W1 and W2 through the bindings (issue 14): zkit's Python binding beside kazoo 2.8 and zkit's
// Node binding beside node-zookeeper-client, each client in a process of its own
// (python_w1w2.py, node_w1_w2.js) against the run's server, the parent deciding the turns.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace zkit::bench {

struct BindingParams {
  std::size_t nodes = 100000;  // W1's, through each client
  std::size_t window = 1000;
  std::size_t payload_bytes = 100;
  std::size_t warmup_nodes = 5000;  // create/get/set/delete first, unmeasured
  std::size_t gets = 10000;         // W2's
  std::size_t warmup_gets = 500;
};

// Called with what failed ("Python W1 get (kazoo)") and why.
using FailureReport = std::function<void(const std::string& what, const std::string& why)>;

// Runs both workloads through the four clients under `root` on `hosts`. Each wait for a client
// ends at `limit` (a W1 phase, a W2 block, a connection); a client past it is killed.
nlohmann::ordered_json bindings_w1w2(const std::string& hosts, const std::string& root, const BindingParams& p,
                                     std::chrono::milliseconds limit, const FailureReport& failed);

}  // namespace zkit::bench
