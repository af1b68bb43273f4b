// The fault suite's ground: one 3-member ensemble with a FaultProxy in front of each member,
// shared by every case, and a census of this process's file descriptors. The loop that keeps
// running while members are killed and restarted on worker threads is test/support's.
#pragma once

#include <doctest/doctest.h>
#include <uv.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "loop.hpp"
#include "sessions.hpp"
#include "zkit/testing/cluster.hpp"
#include "zkit/testing/fault_proxy.hpp"
#include "zkit/testing/timing.hpp"
#include "zkit/zkit.hpp"

namespace zkit::faults {

// Loop, Worker, sessions, options_for (hosts in the given order), await, verbose and note.
using namespace zkit::test_support;

// Ensemble: the 3-member cluster (tick 500 ms: sessions of 1-10 s) every case shares, and one
// FaultProxy per member. Each case starts with heal(), so a case that failed half-way leaves
// nothing broken for the next one.
class Ensemble {
 public:
  // Started on first use; fails the test loudly when ZooKeeper cannot be started.
  static Ensemble& get();

  int size() const { return cluster_->size(); }
  zkit::testing::Cluster& cluster() { return *cluster_; }
  zkit::testing::FaultProxy& proxy(int member) { return *proxies_.at(static_cast<std::size_t>(member - 1)); }
  // The worker that runs kills and restarts while a test's loop runs.
  Worker& worker() { return *workers_.front(); }

  // The proxies' connect string, `first`'s proxy first and the others in member order
  // (0: member order).
  std::string proxied(int first = 0) const;
  // The members' own addresses (no proxy), leaving out `except`.
  std::string direct(const std::vector<int>& except = {}) const;
  // The member behind `host` ("ip:port" of a proxy or of a member), 0 if none.
  int member_behind(const std::string& host) const;

  // Every member running and serving with one leader, every proxy forwarding without faults
  // and without connections. Called at the start of every case, with no session running.
  void heal();
  // The current leader (the ensemble serves). Call with no session running on the test's loop:
  // it blocks for a few srvr round trips.
  int leader();

  // Kills `member` (SIGKILL) on the worker while `loop` runs.
  void kill(Loop& loop, int member);
  // Restarts killed `members` together, each on its own worker, while `loop` runs: an
  // ensemble member serves only with a quorum, and Cluster::restart waits until its member
  // serves, so restarting a majority one by one would wait for ever.
  // (Cluster is documented as not thread-safe; restart() of distinct members touches only its
  // own member's state, which is what makes running them side by side sound.)
  void restart(Loop& loop, const std::vector<int>& members);
  // Waits on the worker, with `loop` running, until every running member serves.
  void wait_serving(Loop& loop);

  // Waits until no proxy forwards a connection (their descriptors are closed).
  bool wait_proxies_idle(std::chrono::milliseconds timeout = scaled(20s)) const;

 private:
  Ensemble();
  // Destroyed last to first: proxies, then the cluster (its servers die), then the workers
  // that started some of them.
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<zkit::testing::Cluster> cluster_;
  std::vector<std::unique_ptr<zkit::testing::FaultProxy>> proxies_;
};

// This process's open file descriptors: number -> what /proc/self/fd/<n> links to.
using FdTable = std::map<int, std::string>;
FdTable open_fds();
// What changed between two tables, one line per descriptor ("" when nothing did).
std::string fd_changes(const FdTable& before, const FdTable& after);

// Checks that this process holds the descriptors of `before` and no others, once `loop` has
// no handle left and the proxies have closed the connections they forwarded.
void check_no_descriptor_leaked(Loop& loop, const FdTable& before);

}  // namespace zkit::faults
