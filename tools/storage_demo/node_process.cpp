#include "node_process.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "protocol.hpp"

namespace zkit::demo {

Result<std::unique_ptr<NodeProcess>> NodeProcess::start(uv_loop_t* loop, const std::string& exe,
                                                        const NodeConfig& c,
                                                        const std::string& log_path,
                                                        EventHandler on_event, ExitHandler on_exit) {
  int to_node[2], from_node[2];
  if (pipe2(to_node, O_CLOEXEC) != 0) return Error(Errc::bad_arguments, std::strerror(errno));
  if (pipe2(from_node, O_CLOEXEC) != 0) {
    ::close(to_node[0]);
    ::close(to_node[1]);
    return Error(Errc::bad_arguments, std::strerror(errno));
  }
  int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  std::unique_ptr<NodeProcess> node(new NodeProcess());
  node->id_ = c.id;
  node->on_event_ = std::move(on_event);
  node->on_exit_ = std::move(on_exit);
  tools::SpawnOptions so{
      .argv = {exe, "node", "--connect", c.connect, "--id", c.id, "--port", std::to_string(c.port),
               "--capacity-gb", std::to_string(c.capacity_gb), "--session-timeout",
               std::to_string(c.session_timeout.count())},
      .stdin_fd = to_node[0],
      .stdout_fd = from_node[1],
      .stderr_fd = log,
      .death_signal = SIGKILL};
  auto* self = node.get();
  auto child = tools::ChildProcess::spawn(loop, std::move(so), [self](int status) {
    self->exited_ = true;
    self->status_ = status;
    self->exited_at_ = monotonic_ms();
    self->maybe_done();
  });
  ::close(to_node[0]);
  ::close(from_node[1]);
  if (log >= 0) ::close(log);
  if (!child) {
    ::close(to_node[1]);
    ::close(from_node[0]);
    return std::move(child).error();
  }
  node->child_ = std::move(*child);
  node->in_fd_ = to_node[1];

  node->out_.open(loop, from_node[0], [self](const std::string& line) { self->on_line(line); },
                  [self] {  // the node closed its stdout: it is exiting
                    self->eof_ = true;
                    self->maybe_done();
                  });
  return node;
}

NodeProcess::~NodeProcess() {
  if (in_fd_ >= 0) ::close(in_fd_);
}

void NodeProcess::on_line(const std::string& line) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_discarded() && j.is_object()) on_event_(j);
}

void NodeProcess::maybe_done() {
  if (!eof_ || !exited_ || !on_exit_) return;
  auto cb = std::move(on_exit_);
  on_exit_ = nullptr;
  cb(status_, exited_at_);
}

void NodeProcess::send(const nlohmann::json& message) {
  if (in_fd_ < 0) return;
  std::string line = message.dump() + "\n";
  const char* p = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    ssize_t w = ::write(in_fd_, p, left);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;  // EPIPE: the node is gone (SIGPIPE is ignored by the orchestrator)
    p += w;
    left -= static_cast<std::size_t>(w);
  }
}

}  // namespace zkit::demo
