#include "node_channel.hpp"

#include <unistd.h>

#include <cerrno>

#include "protocol.hpp"

namespace zkit::demo {

NodeChannel::NodeChannel(uv_loop_t* loop, std::string node_id) : loop_(loop), id_(std::move(node_id)) {
  uv_pipe_init(loop_, &in_, 0);
  in_.data = this;
  if (uv_pipe_open(&in_, 0) != 0) return;
  reading_ = true;
  uv_read_start(reinterpret_cast<uv_stream_t*>(&in_),
                [](uv_handle_t*, std::size_t suggested, uv_buf_t* buf) {
                  buf->base = new char[suggested];
                  buf->len = suggested;
                },
                [](uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
                  auto* self = static_cast<NodeChannel*>(s->data);
                  if (n > 0) {
                    self->buffer_.append(buf->base, static_cast<std::size_t>(n));
                    for (std::size_t nl; (nl = self->buffer_.find('\n')) != std::string::npos;) {
                      std::string line = self->buffer_.substr(0, nl);
                      self->buffer_.erase(0, nl + 1);
                      self->on_line(line);
                    }
                  } else if (n < 0) {
                    self->close();  // the orchestrator is gone; PR_SET_PDEATHSIG ends us too
                  }
                  delete[] buf->base;
                });
}

NodeChannel::~NodeChannel() { close(); }

void NodeChannel::close() {
  if (uv_is_closing(reinterpret_cast<uv_handle_t*>(&in_))) return;
  reading_ = false;
  uv_close(reinterpret_cast<uv_handle_t*>(&in_), nullptr);
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
