// The workloads (W1-W4 of issue 5, W5 and W6 of issue 10), each run through zkit and through the C client against the
// same server, and measured here the same way for both. Results are JSON (see docs/benchmarks.md
// for the fields); report.cpp prints them as a table and bench/plot.py draws them.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bindings_workload.hpp"
#include "driver.hpp"
#include "herd_workload.hpp"
#include "recipes_workload.hpp"

namespace zkit::testing {
class Cluster;
}

namespace zkit::bench {

using json = nlohmann::ordered_json;

struct Params {
  bool quick = false;
  std::size_t payload_bytes = 100;
  std::size_t window = 1000;        // requests outstanding in pipelined phases (W1, W4)
  std::size_t warmup_nodes = 5000;  // create/get/set/delete through each client first, unmeasured
  std::size_t w1_nodes = 100000;
  std::size_t w2_gets = 10000;
  std::size_t w2_warmup_gets = 500;
  int w3_c_sessions = 1000;
  std::vector<int> w3_zkit_sessions = {1000, 10000};  // the larger one is cut to the fd limit
  std::size_t w4_watches = 100000;
  // Also try the C client's re-registration when its single SetWatches packet exceeds the
  // server's 1 MiB limit (to show what happens; it is bounded by the phase limit).
  bool c_rewatch_anyway = false;
  std::chrono::milliseconds phase_limit{std::chrono::minutes(5)};  // any one wait, before scaling
  RecipeParams w5;
  HerdParams w6;
  BindingParams bindings;  // W1 and W2 through the Python and Node bindings and their peers
};

// The full run's sizes, or --quick's (small, under ~30 s in all).
Params params_for(bool quick);

class Bench {
 public:
  // `cluster` may be null (a server given with --connect): W4 then cannot restart it and says so.
  // `self` is this program's path, for W3's child processes.
  Bench(Params params, std::string hosts, testing::Cluster* cluster, std::string self);

  // Runs the workloads named in `which` ("w1".."w6", "bindings"; empty: all) and returns the
  // results.
  json run(const std::vector<std::string>& which);

  // For callgrind: creates `n` nodes through `client` ("zkit" or "c"), then gets each once
  // between CALLGRIND_ZERO_STATS and CALLGRIND_DUMP_STATS_AT("w1-get").
  json w1_get_only(const std::string& client, std::size_t n);

  // Every failure seen (a phase with errors or past its deadline, a session not connecting...).
  const std::vector<std::string>& failures() const { return failures_; }

 private:
  json w1();
  json w2();
  json w3();
  json w4();
  json w5();
  json w6();
  json bindings();
  json run_sessions_child(const std::string& client, int count);

  std::unique_ptr<Driver> connect(const std::string& client);
  void create_tree(Driver& d, const std::vector<std::string>& paths, std::string_view payload = {});
  json measure(Driver& d, Op op, const std::vector<std::string>& paths, const std::string& what);
  bool check(const std::string& what, const std::string& failure);
  Deadline deadline() const;
  int server_pid() const;

  Params p_;
  std::string hosts_;
  testing::Cluster* cluster_;
  std::string self_;
  std::string root_;
  std::string payload_;
  std::vector<std::string> failures_;
  // Paths outlive the drivers that were handed them (late completions after a deadline).
  std::vector<std::unique_ptr<std::vector<std::string>>> path_sets_;
  const std::vector<std::string>& paths(const std::string& parent, std::size_t n);
};

// A W3 result as JSON: what the child process writes and the parent puts under "w3".
json sessions_json(const std::string& client, const SessionsResult& r);

}  // namespace zkit::bench
