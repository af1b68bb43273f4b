// ChildProcess: a program started by a zkit tool and watched on a libuv loop.
//
// `zkit lock`, `zkit elect` and the storage demo run other programs on behalf of ZooKeeper
// ownership: a command that may only run while a lock is held, a storage node the demo kills
// on purpose. Such a child must never outlive its supervisor, so it gets PR_SET_PDEATHSIG
// (Linux ties that to the forking thread: spawn from the loop thread, which lives as long as
// the process). Its exit is reported on the loop through SIGCHLD, reaping only its own PID.
//
//   auto child = ChildProcess::spawn(loop, {.argv = {"sh", "-c", "make backup"}},
//                                    [](int status) { std::printf("exit %d\n", status); });
//   if (!child) return report(child.error());
//   (*child)->terminate(std::chrono::seconds(5));   // SIGTERM, SIGKILL 5 s later
#pragma once

#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "zkit/result.hpp"
#include "zkit/timer.hpp"
#include "zkit/uv/handle.hpp"

namespace zkit::tools {

struct SpawnOptions {
  std::vector<std::string> argv;     // argv[0] is looked up in PATH
  std::vector<std::string> env{};    // "NAME=value", added to (or replacing in) our environment
  // A process group of its own: signal() and terminate() then reach the command's own
  // children too (a shell's pipeline, say), as timeout(1) does.
  bool own_group = false;
  int stdin_fd = -1;   // -1: inherited
  int stdout_fd = -1;  // -1: inherited
  int stderr_fd = -1;  // -1: inherited
  int death_signal = SIGTERM;  // what the child gets when this process dies
};

class ChildProcess {
 public:
  // Called once, on the loop, with a shell-style status: the exit code, or 128 + the signal.
  using ExitCallback = std::function<void(int status)>;

  // Forks and executes. Errors: no_node (the program was not found: a shell's 127),
  // bad_arguments (anything else: not executable, an empty argv, fork or pipe failed: a
  // shell's 126); the message says which and why.
  static Result<std::unique_ptr<ChildProcess>> spawn(uv_loop_t* loop, SpawnOptions options,
                                                     ExitCallback on_exit);

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Kills a child still running (SIGKILL) and stops watching; the exit callback is not called.
  // Also from inside the exit callback.
  ~ChildProcess();

  int pid() const noexcept { return pid_; }
  bool running() const noexcept { return running_; }
  // Sends `sig` to the child (to its group with own_group). Nothing once it has exited.
  void signal(int sig);
  // SIGTERM now, SIGKILL after `grace` if it still runs.
  void terminate(std::chrono::milliseconds grace);

 private:
  ChildProcess() = default;
  void reap();

  int pid_ = 0;
  bool own_group_ = false;
  bool running_ = false;
  ExitCallback on_exit_;
  uv::Handle<uv_signal_t> sigchld_;
  std::optional<Timer> grace_;  // SIGKILL after terminate()'s grace
};

}  // namespace zkit::tools
