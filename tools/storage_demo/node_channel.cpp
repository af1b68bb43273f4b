#include "node_channel.hpp"

#include <unistd.h>

#include <cerrno>

#include "protocol.hpp"

namespace zkit::demo {

NodeChannel::NodeChannel(uv_loop_t* loop, std::string node_id) : id_(std::move(node_id)) {
  // At the end of stdin the orchestrator is gone; PR_SET_PDEATHSIG ends us too.
  in_.open(loop, 0, [this](const std::string& line) { on_line(line); }, [] {});
}

void NodeChannel::report(const std::string& kind, nlohmann::json fields) {
  fields["kind"] = kind;
  fields["node"] = id_;
  fields["t"] = monotonic_ms();
  std::string line = fields.dump() + "\n";
  // Blocking and whole: lines are small and the orchestrator reads all the time.
  const char* p = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(1, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the orchestrator is gone
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

void NodeChannel::LedgerWrite::await_suspend(std::coroutine_handle<> h) {
  seq = channel->next_seq_++;
  channel->waiting_[seq] = this;
  handle_ = h;
  channel->report("ledger_write", {{"seq", seq}, {"token", token}, {"record", record}});
}

void NodeChannel::on_line(const std::string& line) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || j.value("kind", "") != "ledger_reply") return;
  auto it = waiting_.find(j.value("seq", std::uint64_t{0}));
  if (it == waiting_.end()) return;
  LedgerWrite* w = it->second;
  waiting_.erase(it);
  w->accepted = j.value("accepted", false);
  w->handle_.resume();
}

}  // namespace zkit::demo
