// What every mode of proof_worker shares: its arguments, its log (JSON lines, one write per
// record) and its control lines on stdout (read by the test), the stop request (SIGTERM),
// and making a new session whenever the last one ended.
#pragma once

#include <uv.h>

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zkit/recipes/cancel.hpp"
#include "zkit/timer.hpp"
#include "zkit/zkit.hpp"

namespace zkit::proof {

struct WorkerArgs {
  std::string mode;        // mutex | latch | double-barrier | partitioner
  std::string connect;     // the worker's own proxies
  std::string log_path;    // its JSON-lines log
  std::string path;        // the recipe's znode
  std::string fence_path;  // mutex: the fenced resource (a file)
  int worker = 0;          // its number in the scenario
  int members = 0;         // double-barrier: members per round
  int rounds = 0;          // double-barrier: rounds
  int shards = 0;          // partitioner: shards
  std::chrono::milliseconds session_timeout{2000};
  std::chrono::seconds max_run{300};  // gives up on its own after this long
  int parent = 0;                      // the test's pid: exit at once if it is gone already
};

// "--name=value" arguments; the error names the bad one.
Result<WorkerArgs> parse_args(int argc, char** argv);

// Signal: wakes the one coroutine waiting on it, on a later loop turn (never from inside the
// caller of notify(), which may be a session's listener). A deadline can be armed as well.
class Signal {
 public:
  explicit Signal(uv_loop_t* loop);
  Signal(const Signal&) = delete;
  Signal& operator=(const Signal&) = delete;

  void notify();
  // notify() after `d`; expired() is true from then on.
  void arm_deadline(std::chrono::milliseconds d);
  bool expired() const noexcept { return expired_; }

  struct Awaiter {
    Signal* s;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) noexcept { s->waiter_ = h; }
    void await_resume() const noexcept {}
  };
  // Suspends until the next notify(); use in a loop over the condition waited for.
  Awaiter wait() { return {this}; }

 private:
  void resume();
  zkit::Timer wake_;
  zkit::Timer deadline_;
  std::coroutine_handle<> waiter_;
  bool expired_ = false;
};

// A timer as a coroutine.
Task<void> sleep_for(uv_loop_t* loop, std::chrono::milliseconds d);

// Whether the session may still be used (not expired, refused or closed).
bool alive(const Session& s) noexcept;

// How many sessions a mode makes, one after another, before it gives up: a bound on its loop
// (the test stops a worker long before).
inline constexpr int kMaxSessions = 50;

class WorkerContext {
 public:
  WorkerContext(uv_loop_t* loop, WorkerArgs args);
  ~WorkerContext();
  WorkerContext(const WorkerContext&) = delete;
  WorkerContext& operator=(const WorkerContext&) = delete;

  uv_loop_t* loop() const noexcept { return loop_; }
  const WorkerArgs& args() const noexcept { return args_; }
  int worker() const noexcept { return args_.worker; }

  // Appends one record (a whole line) to the log with one write(2): flushed as it is written.
  void record(const std::string& line);
  // Writes one control line to stdout ("session ...", "acquired ...", "done").
  void announce(const std::string& line);

  bool stopping() const noexcept { return stopping_; }
  recipes::CancelToken stop_token() const { return stop_.token(); }
  // Asks every mode loop to finish (SIGTERM, or max_run passed).
  void request_stop();
  // Wakes `s` on a stop request, for as long as it is registered.
  void watch_stop(Signal* s);
  void unwatch_stop(Signal* s);

  // Starts a session on the worker's proxies and waits until it is connected; announces
  // "session <id> <password hex>" and records it. nullopt when stopping or it cannot connect.
  Task<std::optional<Session>> new_session();
  // Closes a session and waits for it.
  Task<void> close_session(Session& s);
  // Waits until `s` is no longer alive, the stop is requested, or `limit` passed.
  Task<void> until_ended(Session& s, std::chrono::milliseconds limit);

 private:
  uv_loop_t* loop_;
  WorkerArgs args_;
  int log_fd_ = -1;
  bool stopping_ = false;
  recipes::CancelSource stop_;
  std::vector<Signal*> stop_watchers_;
};

}  // namespace zkit::proof
