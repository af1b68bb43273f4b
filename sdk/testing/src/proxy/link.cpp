#include "proxy/link.hpp"

#include <algorithm>
#include <vector>

#include "proto/frame.hpp"
#include "zkit/testing/fault_proxy.hpp"

namespace zkit::testing::proxy {

namespace {

// The largest client frame the proxy splits out: a whole frame must fit in what a connection
// may hold, or reading would stop before the frame is complete. Bigger ones (no ZooKeeper
// server accepts them) make the proxy forward that connection raw.
constexpr std::size_t kMaxFrameBody = FaultProxy::kMaxHeldBytes - 4;

// The opcode of a request frame body (RequestHeader{xid, type}), if it is long enough.
std::optional<std::int32_t> request_type(std::string_view body) {
  if (body.size() < 8) return std::nullopt;
  auto b = reinterpret_cast<const unsigned char*>(body.data()) + 4;
  return static_cast<std::int32_t>((std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                                   (std::uint32_t{b[2]} << 8) | std::uint32_t{b[3]});
}

}  // namespace

// --- State's walks over the links -------------------------------------------------------------

void State::pump_links() {
  // after_unstall() may end a link, which then leaves the list: walk a copy.
  std::vector<std::shared_ptr<Link>> now(links.begin(), links.end());
  for (auto& l : now) l->after_unstall();
}

void State::drop_links() {
  std::vector<std::shared_ptr<Link>> now(links.begin(), links.end());
  for (auto& l : now) {
    l->end(Ending::reset);
    l->finish_drain();
  }
}

// --- Link -------------------------------------------------------------------------------------

void Link::open(uv_stream_t* listener, std::list<std::shared_ptr<Link>>::iterator self) {
  self_ = self;
  listed_ = true;
  for (auto& t : tcp_) {
    t = uv::Handle<uv_tcp_t>(state_.loop, uv_tcp_init);
    t->data = this;
  }
  ++state_.active;
  if (uv_accept(listener, stream(kClient)) != 0) return end(Ending::reset);
  uv_tcp_nodelay(tcp_[kClient].get(), 1);
  connect_req_.data = this;
  int rc = uv_tcp_connect(&connect_req_, tcp_[kServer].get(),
                          reinterpret_cast<const sockaddr*>(&state_.upstream),
                          [](uv_connect_t* req, int status) {
                            static_cast<Link*>(req->data)->on_connected(status);
                          });
  if (rc != 0) return end(Ending::reset);
  // Read the client at once: its handshake waits in the queue until the server side is up.
  update_reading(kClient);
}

void Link::on_connected(int status) {
  if (ending_) return;
  // Upstream down: the client sees its connection reset, as if the server had refused it.
  if (status != 0) return end(Ending::reset);
  connected_ = true;
  uv_tcp_nodelay(tcp_[kServer].get(), 1);
  update_reading(kServer);
  pump();
}

void Link::after_unstall() {
  pump();
  update_reading(kClient);
  update_reading(kServer);
  maybe_finish();
}

void Link::alloc(uv_handle_t* h, std::size_t, uv_buf_t* buf) {
  auto& state = static_cast<Link*>(h->data)->state_;
  *buf = uv_buf_init(state.read_buffer, sizeof state.read_buffer);
}

void Link::account(Side from, std::ptrdiff_t delta) {
  flows_[from].held = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(flows_[from].held) + delta);
  state_.held += static_cast<std::size_t>(delta);  // wraps correctly for negative deltas
}

void Link::enqueue(Side from, std::string bytes, bool request, bool cut_after) {
  flows_[from].queue.push_back(Chunk{std::move(bytes), Clock::now() + state_.delay, request, cut_after});
}

void Link::update_reading(Side s) {
  if (ending_) return;
  Flow& f = flows_[s];
  bool want = !f.eof && f.held < FaultProxy::kMaxHeldBytes;
  if (s == kClient && cut_queued_) want = false;
  if (s == kServer && (!connected_ || cut_sent_)) want = false;
  if (want == f.reading) return;
  f.reading = want;
  if (!want) {
    uv_read_stop(stream(s));
    return;
  }
  int rc = s == kClient ? uv_read_start(stream(s), alloc,
                                        [](uv_stream_t* st, ssize_t n, const uv_buf_t*) {
                                          static_cast<Link*>(st->data)->on_read(kClient, n);
                                        })
                        : uv_read_start(stream(s), alloc,
                                        [](uv_stream_t* st, ssize_t n, const uv_buf_t*) {
                                          static_cast<Link*>(st->data)->on_read(kServer, n);
                                        });
  if (rc != 0) end(Ending::reset);
}

void Link::on_read(Side from, ssize_t n) {
  if (ending_ || n == 0) return;
  if (n == UV_EOF) {
    flows_[from].eof = true;
    if (from == kClient && !partial_.empty()) {
      // Half a frame, then FIN: the server gets the same bytes the client sent.
      enqueue(kClient, std::move(partial_));
      partial_.clear();
    }
    update_reading(from);
    pump();
    return maybe_finish();
  }
  if (n < 0) return end(Ending::reset);
  std::string_view bytes(state_.read_buffer, static_cast<std::size_t>(n));
  account(from, n);
  if (from == kClient) {
    on_client_bytes(bytes);
  } else {
    enqueue(kServer, std::string(bytes));
  }
  pump();
  if (!ending_) update_reading(from);
}

void Link::on_client_bytes(std::string_view bytes) {
  if (raw_) return enqueue(kClient, std::string(bytes));
  partial_.append(bytes);
  split_frames();
}

void Link::split_frames() {
  std::size_t used = 0;
  while (!cut_queued_) {
    std::string_view rest = std::string_view(partial_).substr(used);
    proto::FrameResult r = proto::next_frame(rest, kMaxFrameBody);
    if (r.kind == proto::FrameResult::need_more) break;
    if (r.kind == proto::FrameResult::malformed) {
      // Not ZooKeeper (a four-letter word, say): forward the rest as it comes.
      raw_ = true;
      enqueue(kClient, std::string(rest));
      used = partial_.size();
      break;
    }
    bool request = handshake_seen_;
    handshake_seen_ = true;
    bool cut = request && state_.cut_armed &&
               (!state_.cut_opcode || request_type(r.body) == state_.cut_opcode);
    enqueue(kClient, std::string(rest.substr(0, r.consumed)), request, cut);
    used += r.consumed;
    if (cut) {
      state_.cut_armed = false;
      cut_opcode_ = state_.cut_opcode;
      cut_queued_ = true;
      // Nothing the client sends after the cut request reaches the server.
      account(kClient, -static_cast<std::ptrdiff_t>(partial_.size() - used));
      used = partial_.size();
      update_reading(kClient);
    }
  }
  partial_.erase(0, used);
}

void Link::pump() {
  if (ending_ || state_.stalled) return;
  auto now = Clock::now();
  std::optional<Clock::time_point> wake;
  for (Side from : {kClient, kServer}) {
    Flow& f = flows_[from];
    while (!f.queue.empty() && !ending_ && !cut_sent_) {
      if (from == kClient && !connected_) break;
      Chunk& c = f.queue.front();
      if (c.due > now) {
        // FIFO even when the delay was lowered: a later chunk never overtakes this one.
        wake = wake ? std::min(*wake, c.due) : c.due;
        break;
      }
      Chunk chunk = std::move(c);
      f.queue.pop_front();
      write(other(from), std::move(chunk));
    }
  }
  if (ending_) return;
  if (wake && !cut_sent_) {
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(*wake - now);
    uv_update_time(state_.loop);
    timer_.start(std::max(ms, std::chrono::milliseconds(1)), [this] { pump(); });
  } else {
    timer_.stop();
  }
}

void Link::write(Side to, Chunk chunk) {
  Side from = other(to);
  if (chunk.request) ++state_.requests;
  auto* w = new Write{{}, this, from, std::move(chunk.bytes), chunk.cut_after};
  w->req.data = w;
  if (w->cut_after) {
    // The request is on its way: from now on the server is not heard.
    cut_sent_ = true;
    Flow& down = flows_[kServer];
    std::size_t dropped = 0;
    for (auto& c : down.queue) dropped += c.bytes.size();
    down.queue.clear();
    account(kServer, -static_cast<std::ptrdiff_t>(dropped));
    update_reading(kServer);
  }
  uv_buf_t buf = uv_buf_init(w->bytes.data(), static_cast<unsigned>(w->bytes.size()));
  int rc = uv_write(&w->req, stream(to), &buf, 1,
                    [](uv_write_t* req, int status) {
                      auto* w = static_cast<Write*>(req->data);
                      w->link->on_written(w, status);
                    });
  if (rc != 0) {
    delete w;
    end(Ending::reset);
  }
}

void Link::on_written(Write* w, int status) {
  std::unique_ptr<Write> owned(w);
  if (ending_) return;  // cancelled by end(), which has settled the accounts already
  if (status != 0) return end(Ending::reset);
  account(w->from, -static_cast<std::ptrdiff_t>(w->bytes.size()));
  // The cut request has reached the server's socket: now lose everything after it.
  if (w->cut_after) return end(Ending::cut);
  update_reading(w->from);
  maybe_finish();
}

void Link::maybe_finish() {
  // A peer's FIN is passed on once all it sent is delivered (a half-close: the other way
  // keeps flowing), and the connection ends when both ways are done. Not while stalled: a
  // blackhole does not pass on a FIN either.
  if (ending_ || state_.stalled) return;
  bool done = true;
  for (Side from : {kClient, kServer}) {
    Flow& f = flows_[from];
    if (!f.eof || f.held != 0) {
      done = false;
      continue;
    }
    if (f.fin_sent) continue;
    f.fin_sent = true;
    // A client that closes before the upstream answered: there is nothing to half-close.
    if (!connected_) return end(Ending::graceful);
    shutdown_req_[from].data = this;
    int rc = uv_shutdown(&shutdown_req_[from], stream(other(from)), [](uv_shutdown_t* req, int status) {
      auto* self = static_cast<Link*>(req->data);
      if (status != 0 && !self->ending_) self->end(Ending::reset);
    });
    if (rc != 0) return end(Ending::reset);
  }
  if (done) end(Ending::graceful);
}

void Link::end(Ending how) {
  if (ending_) return;
  ending_ = true;
  --state_.active;
  state_.held -= flows_[kClient].held + flows_[kServer].held;
  // The cut request never left (the connection broke first): the next request takes the cut.
  if (cut_queued_ && !cut_sent_ && !state_.cut_armed) {
    state_.cut_armed = true;
    state_.cut_opcode = cut_opcode_;
  }
  bool drain = how == Ending::cut && connected_;
  if (drain) drain_server();
  else timer_.stop();
  for (Side s : {kClient, kServer}) {
    if (s == kServer && draining_) continue;
    close_socket(s, how == Ending::reset || (how == Ending::cut && s == kClient));
  }
  if (!draining_) unlist();
}

// Closing a socket with unread bytes in its receive buffer sends RST, and a server that gets
// RST may drop the cut request from its own receive buffer before reading it. So the server
// side half-closes instead (the server closes on FIN once it has read the request), and what
// the server still sends is read and dropped until then, for 2 s at most.
void Link::drain_server() {
  draining_ = true;
  uv_read_stop(stream(kServer));
  int rc = uv_read_start(stream(kServer), alloc, [](uv_stream_t* st, ssize_t n, const uv_buf_t*) {
    if (n < 0) static_cast<Link*>(st->data)->finish_drain();
  });
  if (rc == 0 && !flows_[kClient].fin_sent) {
    shutdown_req_[kClient].data = this;
    rc = uv_shutdown(&shutdown_req_[kClient], stream(kServer), [](uv_shutdown_t* req, int status) {
      if (status != 0) static_cast<Link*>(req->data)->finish_drain();
    });
  }
  if (rc == 0) timer_.start(std::chrono::seconds(2), [this] { finish_drain(); });
  else finish_drain();
}

void Link::finish_drain() {
  if (!draining_) return;
  draining_ = false;
  timer_.stop();
  close_socket(kServer, false);
  unlist();
}

void Link::close_socket(Side s, bool reset) {
  // close_reset fails on a socket that never got a descriptor (connect not started): the
  // Handle then closes it plainly, which is all there is to do.
  auto pin = [self = shared_from_this()] {};
  if (reset) tcp_[s].close_with(uv_tcp_close_reset, pin);
  else tcp_[s].close(pin);
}

void Link::unlist() {
  if (!listed_) return;
  listed_ = false;
  state_.links.erase(self_);  // the close callbacks' pins keep this Link until they have run
}

}  // namespace zkit::testing::proxy
