// The fault suite's ground: one 3-member ensemble with a FaultProxy in front of each member,
// shared by every case; a test-owned libuv loop that keeps running while the ensemble is
// being killed and restarted on a worker thread; and a census of this process's file
// descriptors.
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

#include "zkit/testing/cluster.hpp"
#include "zkit/testing/fault_proxy.hpp"
#include "zkit/testing/timing.hpp"
#include "zkit/zkit.hpp"

namespace zkit::faults {

using namespace std::chrono_literals;
using zkit::testing::scaled;

// Worker: a thread that runs jobs one after another. A ZooKeeper server the testing kit
// (re)starts dies when the *thread* that started it ends (PR_SET_PDEATHSIG), so the workers
// that restart members live as long as the ensemble does.
class Worker {
 public:
  Worker();
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  void post(std::function<void()> job);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the queue exists
};

// A libuv loop owned by a test. run_until drives it until `done()` holds or `timeout` passes;
// the loop waits for events (no polling sleeps). offload runs a blocking job (a member kill or
// restart) on a worker while the loop keeps serving the sessions, so their timers see real
// time and not a frozen loop.
class Loop {
 public:
  Loop();
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;
  uv_loop_t* get() noexcept { return &loop_; }

  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = scaled(20s));
  // Runs the loop for `d` (the length of a fault, not a wait for an event).
  void run_for(std::chrono::milliseconds d);
  // Runs until no handle is left (every session closed) or `timeout`.
  bool drain(std::chrono::milliseconds timeout = scaled(20s));

  // Runs `jobs` at once, the i-th on workers[i], while this loop runs; returns their results
  // in order. Fails the test if they take longer than `timeout` (after they have finished:
  // a job never outlives the call).
  template <class R>
  std::vector<R> offload(const std::vector<Worker*>& workers, std::vector<std::function<R()>> jobs,
                         std::chrono::milliseconds timeout = scaled(120s));
  template <class R>
  R offload(Worker& worker, std::function<R()> job, std::chrono::milliseconds timeout = scaled(120s)) {
    return std::move(offload<R>(std::vector<Worker*>{&worker}, {std::move(job)}, timeout).front());
  }

 private:
  uv_loop_t loop_{};
  uv_async_t wake_{};  // a worker's "done"; unreferenced, so it keeps the loop alive for no one
};

template <class R>
std::vector<R> Loop::offload(const std::vector<Worker*>& workers, std::vector<std::function<R()>> jobs,
                             std::chrono::milliseconds timeout) {
  REQUIRE(workers.size() >= jobs.size());
  struct Shared {
    std::mutex mu;
    std::vector<std::optional<R>> out;
    std::size_t left = 0;
    std::condition_variable cv;
  };
  auto shared = std::make_shared<Shared>();
  shared->out.resize(jobs.size());
  shared->left = jobs.size();
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    workers[i]->post([shared, i, job = std::move(jobs[i]), wake = &wake_] {
      R r = job();
      std::lock_guard lock(shared->mu);
      shared->out[i].emplace(std::move(r));
      --shared->left;
      shared->cv.notify_all();
      uv_async_send(wake);  // the loop outlives the call, and the call outlives the job
    });
  }
  auto finished = [&] {
    std::lock_guard lock(shared->mu);
    return shared->left == 0;
  };
  bool in_time = run_until(finished, timeout);
  if (!in_time) {
    std::unique_lock lock(shared->mu);
    shared->cv.wait(lock, [&] { return shared->left == 0; });
  }
  REQUIRE_MESSAGE(in_time, "a job on a worker thread took longer than " << timeout.count() << " ms");
  std::vector<R> out;
  for (auto& r : shared->out) out.push_back(std::move(*r));
  return out;
}

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

// A fresh path under the root for one case: "/<prefix>-<counter>-<pid>".
std::string unique_path(std::string_view prefix);

// Options for a session on `connect`: quick reconnects, hosts tried in the given order (a
// case picks the member a session starts on), and zkit's log lines on stderr only when
// ZKIT_TEST_LOG is set (connection losses are the point here).
Options options_for(const std::string& connect, std::chrono::milliseconds session_timeout);

// Whether ZKIT_TEST_LOG is set: then zkit's log lines and the cases' notes go to stderr.
bool verbose();
// A line on stderr when verbose(): what a case saw (timings, tallies), for a look after a run.
void note(const std::string& line);

// Starts a session and waits until it is connected; fails the test otherwise.
Session connect(Loop& loop, Options options);

// Runs an operation's coroutine form to completion on `loop`.
template <class T>
Result<T> await(Loop& loop, Async<T> op, std::chrono::milliseconds timeout = scaled(20s)) {
  std::optional<Result<T>> out;
  spawn([](Async<T> op, std::optional<Result<T>>& out) -> Task<void> {
    out.emplace(co_await op);
  }(std::move(op), out));
  REQUIRE_MESSAGE(loop.run_until([&] { return out.has_value(); }, timeout), "no reply in time");
  return std::move(*out);
}

// This process's open file descriptors: number -> what /proc/self/fd/<n> links to.
using FdTable = std::map<int, std::string>;
FdTable open_fds();
// What changed between two tables, one line per descriptor ("" when nothing did).
std::string fd_changes(const FdTable& before, const FdTable& after);

// Checks that this process holds the descriptors of `before` and no others, once `loop` has
// no handle left and the proxies have closed the connections they forwarded.
void check_no_descriptor_leaked(Loop& loop, const FdTable& before);

}  // namespace zkit::faults
