// The proof suite's ground: the 3-member ensemble every scenario shares, worker processes
// (proof_worker) each behind its own fault proxies (one per member, so one worker's network
// can be stalled alone), their stdout control lines read on the test's loop, and the faults
// the scenarios inject.
#pragma once

#include <uv.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "records.hpp"
#include "loop.hpp"  // test/support: Loop, Worker (threads that outlive restarted members)
#include "zkit/testing/cluster.hpp"
#include "zkit/testing/fault_proxy.hpp"
#include "zkit/uv/handle.hpp"

namespace zkit::proof {

using namespace std::chrono_literals;
using zkit::test_support::Loop;
using zkit::testing::scaled;

// The session timeout every worker asks for (the servers' tick is 500 ms: 1-10 s allowed).
inline constexpr std::chrono::milliseconds kWorkerSessionTimeout{2000};

// ProofEnsemble: 3 members, tick 500 ms, started on first use and shared by every scenario.
class ProofEnsemble {
 public:
  static ProofEnsemble& get();
  zkit::testing::Cluster& cluster() { return *cluster_; }
  // Every member runs and serves with one leader (a scenario that failed half-way may have
  // left one down).
  void heal(Loop& loop);
  // Kills the leader while `loop` runs, leaves it down for `down`, restarts it and waits
  // until the ensemble serves. Returns the member that was killed.
  int kill_and_restart_leader(Loop& loop, std::chrono::milliseconds down);

 private:
  ProofEnsemble();
  // Destroyed last to first: the cluster (its servers die), then the threads that started
  // some of them.
  std::vector<std::unique_ptr<zkit::test_support::Worker>> threads_;
  std::unique_ptr<zkit::testing::Cluster> cluster_;
};

// A control line a worker printed, with the time the test read it.
struct ControlLine {
  std::string text;
  std::int64_t t = 0;
};

// WorkerProcess: one proof_worker, its proxies and its stdout. Not movable (its handles point
// back at it).
class WorkerProcess {
 public:
  // Starts proxies to every member and the process: `args` are its mode's arguments; the
  // connect string, log, worker number and parent are added here.
  WorkerProcess(Loop& loop, int number, const std::string& dir, std::vector<std::string> args);
  ~WorkerProcess();
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  int number() const noexcept { return number_; }
  int pid() const noexcept { return pid_; }
  const std::string& log_path() const noexcept { return log_path_; }
  const std::vector<ControlLine>& lines() const noexcept { return lines_; }
  // Lines starting with `prefix` (e.g. "acquired "), and how many there were.
  int count(const std::string& prefix) const;
  // The latest "session <id> <password hex>": id and password bytes.
  std::optional<std::pair<std::int64_t, std::string>> session() const;

  bool exited() const noexcept { return exited_; }
  std::int64_t exit_status() const noexcept { return exit_status_; }
  int term_signal() const noexcept { return term_signal_; }

  // Blackholes every connection of this worker (its proxies only), or ends that.
  void stall(bool on);
  // SIGTERM: the worker closes its recipes and session and exits.
  void terminate();
  // SIGSTOP / SIGCONT.
  void pause();
  void resume();

 private:
  static void on_exit(uv_process_t* p, std::int64_t status, int signal);
  static void on_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf);
  void take(std::string_view bytes);

  Loop& loop_;
  int number_;
  std::string log_path_;
  std::vector<std::unique_ptr<zkit::testing::FaultProxy>> proxies_;
  zkit::uv::Handle<uv_process_t> process_;
  zkit::uv::Handle<uv_pipe_t> out_;
  int pid_ = 0;
  bool exited_ = false;
  bool out_closed_ = false;
  std::int64_t exit_status_ = -1;
  int term_signal_ = 0;
  std::string partial_;
  std::vector<ControlLine> lines_;
};

// Scenario: a temporary directory, the workers of one scenario and the faults injected.
class Scenario {
 public:
  explicit Scenario(std::string name);
  ~Scenario();  // kills workers still running; removes the directory unless ZKIT_KEEP_TEST_DIRS

  Loop& loop() { return loop_; }
  const std::string& dir() const { return dir_; }
  std::vector<std::unique_ptr<WorkerProcess>>& workers() { return workers_; }
  WorkerProcess& worker(int i) { return *workers_.at(static_cast<std::size_t>(i)); }

  // Starts `count` workers numbered 0..count-1 with `args` (mode, path, ...).
  void start_workers(int count, const std::vector<std::string>& args);
  // Runs the loop until `done` or `timeout`; false on timeout.
  bool wait(const std::function<bool()>& done, std::chrono::milliseconds timeout);
  // SIGTERM to every worker, and waits until all exited. Fails the test if one does not, or
  // exits with a failure.
  void stop_workers();

  // --- faults (each noted in faults()) ---
  void kill_leader();
  // Stalls worker i's proxies for `d`: its connection goes silent, its session is suspended,
  // then expires on the servers when d exceeds the session timeout.
  void stall(int i, std::chrono::milliseconds d);
  // Expires worker i's current session with the testing kit (as a long partition would).
  void expire(int i);
  // Records a SIGSTOP .. SIGCONT of worker i.
  void note_pause(int i, std::int64_t t_stop, std::int64_t t_cont);
  const std::vector<std::string>& faults() const { return faults_; }

  // The workers' logs and the pauses, merged. Fails the test on a line that is not a record.
  Records records();

 private:
  Loop loop_;
  std::string dir_;
  std::vector<std::unique_ptr<WorkerProcess>> workers_;
  std::vector<Pause> pauses_;
  std::vector<std::string> faults_;
};

}  // namespace zkit::proof
