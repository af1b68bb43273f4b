// Loop: a libuv loop owned by a test and driven from the test's thread.
#pragma once

#include <doctest/doctest.h>
#include <uv.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "worker.hpp"
#include "zkit/uv/handle.hpp"
#include "zkit/testing/timing.hpp"

namespace zkit::test_support {

using namespace std::chrono_literals;
using zkit::testing::scaled;

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
  // Runs the loop until `stop()` holds or `timeout` passes; `keeps_alive`: whether the
  // deadline alone keeps the loop running.
  bool run_while_not(const std::function<bool()>& stop, std::chrono::milliseconds timeout, bool keeps_alive);

  uv_loop_t loop_{};
  uv::Handle<uv_async_t> wake_;  // a worker's "done"; unreferenced, so it keeps the loop alive for no one
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
    workers[i]->post([shared, i, job = std::move(jobs[i]), wake = wake_.get()] {
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

}  // namespace zkit::test_support
