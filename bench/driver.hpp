// Driver: one client library doing the benchmark's work through one session. zkit_driver.cpp
// and c_driver.cpp implement it; workloads.cpp measures around its calls, the same way for both,
// so that neither side times itself.
//
// Every call that waits is bounded by a deadline and returns (with `failure` set) when it
// passes; what the call started may still complete later, into state the driver keeps alive
// until it is destroyed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "measure.hpp"

namespace zkit::bench {

// The session timeout every driver asks for: the same for all, so that none pings more often.
inline constexpr int kSessionTimeoutMs = 40000;

enum class Op {
  create,        // a persistent node with the payload and an open ACL (create2: the reply has a Stat)
  get,           // data and Stat; the reply's length is checked against the payload's
  set,           // the payload, any version
  remove,        // any version
  watch_exists,  // exists with a data watch (a missing node is an answer, and arms the watch)
};

std::string_view to_string(Op op);

// How a batch of requests ended.
struct Outcome {
  std::uint64_t ops = 0;     // requests completed (successfully or not)
  std::uint64_t errors = 0;  // of which failed
  std::string failure;       // empty when every request succeeded in time; else what went wrong
};

// Sequential request latencies, in microseconds, in the order measured.
struct Latencies {
  std::vector<double> micros;
  std::string failure;
};

// What a session saw across a server restart: from its reconnection to the reply of a sync sent
// right after it (the re-registered watches travel ahead of that sync).
struct Rewatch {
  double reconnect_to_sync_ms = -1;
  std::string failure;
};

class Driver {
 public:
  virtual ~Driver() = default;

  // "zkit", "c" or "raw".
  virtual const char* name() const = 0;

  // Sends `op` on every path, keeping `window` requests outstanding; returns when all completed.
  virtual Outcome pipelined(Op op, const std::vector<std::string>& paths, std::string_view payload,
                            std::size_t window, Deadline deadline) = 0;

  // `count` gets of `path`, one after the other: each is sent when the previous one completed.
  virtual Latencies sequential_gets(const std::string& path, std::size_t count, Deadline deadline) = 0;

  // Watch events (node created or data changed) delivered so far to watches this driver set.
  virtual std::uint64_t watch_events() = 0;
  // Waits until watch_events() reaches `count`.
  virtual bool wait_watch_events(std::uint64_t count, Deadline deadline) = 0;

  // Asks for a sync as soon as the session reconnects after the next connection loss.
  virtual void sync_after_reconnect() = 0;
  // Waits for that sync's reply.
  virtual Rewatch wait_reconnect_sync(Deadline deadline) = 0;

  // Lets the driver do background work while another driver is being measured (zkit: a turn of
  // its loop, so that its session stays alive; the C client has threads of its own).
  virtual void idle() {}
  // Called by this driver, while it waits, about five times a second.
  void set_idle_hook(std::function<void()> hook) { idle_hook_ = std::move(hook); }

 protected:
  void run_idle_hook() {
    if (idle_hook_) idle_hook_();
  }

 private:
  std::function<void()> idle_hook_;
};

// Connects a session and waits until it is established. Null with `error` set on failure.
// Both use a 40 s session timeout (the server clamps it to 20 ticks) and log errors only.
std::unique_ptr<Driver> connect_zkit(const std::string& hosts, Deadline deadline, std::string& error);
std::unique_ptr<Driver> connect_c(const std::string& hosts, Deadline deadline, std::string& error);
// The benchmark's own minimal client (raw_driver.cpp): W1 and W2 only; it never reconnects.
std::unique_ptr<Driver> connect_raw(const std::string& hosts, Deadline deadline, std::string& error);

// W3: `count` sessions from this process (run in a fresh process: workloads.cpp starts one).
struct SessionsResult {
  int sessions = 0;
  double connect_seconds = 0;  // from the first session started to the last one connected
  double slowest_session_seconds = 0;  // the longest one session took, from its start to connected
  std::int64_t listen_overflows = -1;  // the namespace's ListenOverflows during the connects
  std::int64_t rss_before_kib = 0, rss_after_kib = 0;
  int threads_before = 0, threads_after = 0;
  int fds_before = 0, fds_after = 0;
  double cpu_seconds = 0;  // this process's CPU time while connecting
  std::string failure;
};
SessionsResult zkit_sessions(const std::string& hosts, int count, Deadline deadline);
SessionsResult c_sessions(const std::string& hosts, int count, Deadline deadline);

// The C client's version (its header's ZOO_VERSION).
const char* c_client_version();

// Sends the C client's log lines to `path` (all C sessions of this process); "" for stderr.
void set_c_client_log(const std::string& path);

}  // namespace zkit::bench
