// NodeProcess: the orchestrator's handle on one storage node: the same binary run as
// `zkit-storage-demo node ...`, its event lines read from its stdout, ledger replies written
// to its stdin, its stderr kept in a log file. It dies with the orchestrator
// (PR_SET_PDEATHSIG, via tools/common/child_process.hpp).
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "line_reader.hpp"
#include "node.hpp"

namespace zkit::demo {

class NodeProcess {
 public:
  using EventHandler = std::function<void(const nlohmann::json&)>;
  // Called once the node has exited and every line it wrote has been handled: its status and
  // when its exit was seen (monotonic ms).
  using ExitHandler = std::function<void(int status, double exited_at)>;

  // Starts `exe node --connect ... --id ...`. Errors: those of ChildProcess::spawn, and
  // bad_arguments when the pipes or the log file cannot be made.
  static Result<std::unique_ptr<NodeProcess>> start(uv_loop_t* loop, const std::string& exe,
                                                    const NodeConfig& config,
                                                    const std::string& log_path,
                                                    EventHandler on_event, ExitHandler on_exit);
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;
  ~NodeProcess();

  const std::string& id() const noexcept { return id_; }
  int pid() const noexcept { return child_ ? child_->pid() : 0; }
  bool running() const noexcept { return child_ && child_->running(); }
  void signal(int sig) {
    if (child_) child_->signal(sig);
  }
  // One line to the node's stdin (dropped when the node is gone).
  void send(const nlohmann::json& message);

 private:
  NodeProcess() = default;
  void on_line(const std::string& line);
  void maybe_done();

  std::string id_;
  std::unique_ptr<tools::ChildProcess> child_;
  LineReader out_;   // the node's stdout
  int in_fd_ = -1;   // writes the node's stdin
  EventHandler on_event_;
  ExitHandler on_exit_;
  bool eof_ = false, exited_ = false;
  int status_ = 0;
  double exited_at_ = 0;
};

}  // namespace zkit::demo
