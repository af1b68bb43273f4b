// FaultProxy: one libuv loop on a thread of its own. All proxy state lives on that thread; the
// public methods post a closure through a uv_async_t inbox and wait for it to have run, so a
// fault is in force when the call returns. Counters read from other threads are atomics.
#include "zkit/testing/fault_proxy.hpp"

#include <pthread.h>
#include <uv.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <functional>
#include <future>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

#include "proto/frame.hpp"

namespace zkit::testing {

namespace {

using Clock = std::chrono::steady_clock;

// The largest client frame the proxy splits out: a whole frame must fit in what a connection
// may hold, or reading would stop before the frame is complete. Bigger ones (no ZooKeeper
// server accepts them) make the proxy forward that connection raw.
constexpr std::size_t kMaxFrameBody = FaultProxy::kMaxHeldBytes - 4;

std::string uv_text(int err) { return std::string(uv_err_name(err)) + ": " + uv_strerror(err); }

// Parses a numeric "ip:port" or "[ipv6]:port".
Result<sockaddr_storage> parse_address(const std::string& s) {
  auto bad = [&](const char* why) {
    return Error(Errc::bad_arguments, "FaultProxy: upstream \"" + s + "\" " + why);
  };
  auto colon = s.rfind(':');
  if (colon == std::string::npos || colon + 1 == s.size()) return bad("has no port");
  int port = 0;
  const char* first = s.data() + colon + 1;
  const char* last = s.data() + s.size();
  auto [end, ec] = std::from_chars(first, last, port);
  if (ec != std::errc() || end != last || port <= 0 || port > 65535) return bad("has a bad port");
  std::string host = s.substr(0, colon);
  sockaddr_storage addr{};
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (uv_ip6_addr(host.c_str(), port, reinterpret_cast<sockaddr_in6*>(&addr)) != 0)
      return bad("is not a numeric IPv6 address");
  } else if (uv_ip4_addr(host.c_str(), port, reinterpret_cast<sockaddr_in*>(&addr)) != 0) {
    return bad("is not a numeric IPv4 address (no name lookups here)");
  }
  return addr;
}

// The opcode of a request frame body (RequestHeader{xid, type}), if it is long enough.
std::optional<std::int32_t> request_type(std::string_view body) {
  if (body.size() < 8) return std::nullopt;
  auto b = reinterpret_cast<const unsigned char*>(body.data()) + 4;
  return static_cast<std::int32_t>((std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                                   (std::uint32_t{b[2]} << 8) | std::uint32_t{b[3]});
}

enum Side { kClient = 0, kServer = 1 };
constexpr Side other(Side s) { return s == kClient ? kServer : kClient; }

// Chunk: bytes read from one side, waiting to be written to the other.
struct Chunk {
  std::string bytes;
  Clock::time_point due;   // not delivered before this (set_delay)
  bool request = false;    // a client request after the handshake: counted when forwarded
  bool cut_after = false;  // the connection is cut once this has been written
};

// How a connection ends.
enum class Ending {
  reset,     // RST on both sides: drop_connections, a peer's error, the proxy's shutdown
  graceful,  // close(): both peers closed and all they sent was delivered
  cut,       // RST to the client, close() to the server once the cut request is written
};

class Link;

// Proxy: the loop, its thread and every connection: what FaultProxy's methods drive.
class Proxy {
 public:
  Proxy() = default;
  Proxy(const Proxy&) = delete;
  Proxy& operator=(const Proxy&) = delete;
  ~Proxy() {
    if (thread_.joinable()) {
      post([this] { shut_down(); });
      thread_.join();
    }
    if (loop_initialised_) uv_loop_close(&loop_);
  }

  Result<void> start(const std::string& upstream);

  // Runs `f` on the loop thread and waits until it has run.
  void run(std::function<void()> f) {
    std::promise<void> done;
    auto ran = done.get_future();
    post([&] {
      f();
      done.set_value();
    });
    ran.wait();
  }

  // --- loop-thread state (touched only from the loop thread once it runs) -------------------
  uv_loop_t loop_{};
  sockaddr_storage upstream_{};
  bool refusing_ = false;
  bool stalled_ = false;
  std::chrono::milliseconds delay_{0};
  bool cut_armed_ = false;
  std::optional<std::int32_t> cut_opcode_;
  // Every connection whose handles are not all closed yet; a Link erases itself when its last
  // close callback has run.
  std::list<std::unique_ptr<Link>> links_;
  // Shared by every read: libuv hands it back in the read callback, before the next read.
  char read_buffer_[64 * 1024];

  // --- observation (any thread) -------------------------------------------------------------
  std::atomic<int> active_{0};
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::size_t> held_{0};
  mutable std::mutex accepted_mu_;
  mutable std::condition_variable accepted_cv_;
  int accepted_ = 0;  // guarded by accepted_mu_
  int port_ = 0;      // set before the thread starts, constant after

  void count_accepted() {
    std::lock_guard lock(accepted_mu_);
    ++accepted_;
    accepted_cv_.notify_all();
  }

  void pump_all();
  void drop_all();

 private:
  void post(std::function<void()> f) {
    {
      std::lock_guard lock(inbox_mu_);
      inbox_.push_back(std::move(f));
    }
    uv_async_send(&inbox_async_);
  }
  void drain_inbox() {
    std::vector<std::function<void()>> work;
    {
      std::lock_guard lock(inbox_mu_);
      work.swap(inbox_);
    }
    for (auto& f : work) f();
  }
  void on_connection(int status);
  void refuse_one();
  void shut_down();
  // Closes the handles of a start() that failed half way, so the loop can be closed.
  void abandon_start();

  uv_tcp_t listener_{};
  uv_async_t inbox_async_{};
  bool loop_initialised_ = false;
  std::mutex inbox_mu_;
  std::vector<std::function<void()>> inbox_;
  // Last: started once everything above is ready, joined by the destructor before the loop
  // is closed.
  std::thread thread_;
};

// Link: one proxied connection, a client socket and its server socket.
class Link {
 public:
  explicit Link(Proxy& proxy) : proxy_(proxy) {}
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  // Accepts the pending connection of `listener` and connects to the upstream.
  void open(uv_stream_t* listener, std::list<std::unique_ptr<Link>>::iterator self);
  void end(Ending how);
  // Ends a cut connection's drain of the server side (see drain_server): closes what is left.
  void finish_drain();
  // Delivers every chunk that is due, unless stalled; re-arms the delay timer.
  void pump();
  void after_unstall() {
    pump();
    update_reading(kClient);
    update_reading(kServer);
    maybe_finish();
  }

 private:
  // Flow: what was read from one side and is not yet delivered to the other.
  struct Flow {
    std::deque<Chunk> queue;
    std::size_t held = 0;  // queued, in flight to the other side, or (client) a partial frame
    bool reading = false;
    bool eof = false;       // the sender closed its side
    bool fin_sent = false;  // ... and that was passed on to the other side
  };
  struct Write {
    uv_write_t req;
    Link* link;
    Side from;
    std::string bytes;
    bool cut_after;
  };

  uv_stream_t* stream(Side s) { return reinterpret_cast<uv_stream_t*>(&tcp_[s]); }
  void account(Side from, std::ptrdiff_t delta) {
    flows_[from].held = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(flows_[from].held) + delta);
    proxy_.held_ += static_cast<std::size_t>(delta);  // wraps correctly for negative deltas
  }
  void enqueue(Side from, std::string bytes, bool request = false, bool cut_after = false) {
    flows_[from].queue.push_back(Chunk{std::move(bytes), Clock::now() + proxy_.delay_, request, cut_after});
  }
  void on_read(Side from, ssize_t n);
  void on_client_bytes(std::string_view bytes);
  void split_frames();
  void write(Side to, Chunk chunk);
  void on_written(Write* w, int status);
  void update_reading(Side s);
  void maybe_finish();
  void on_handle_closed();
  void drain_server();

  Proxy& proxy_;
  std::list<std::unique_ptr<Link>>::iterator self_;
  uv_tcp_t tcp_[2]{};  // [kClient]: accepted; [kServer]: to the upstream
  uv_connect_t connect_req_{};
  uv_shutdown_t shutdown_req_[2]{};  // [from]: passes a FIN on to the other side
  uv_timer_t timer_{};  // wakes pump() when the first delayed chunk is due
  int open_handles_ = 0;
  Flow flows_[2];  // flows_[from]
  std::string partial_;  // client bytes not yet a whole frame
  bool connected_ = false;
  bool handshake_seen_ = false;  // the first frame (ConnectRequest) has gone by
  bool raw_ = false;             // the client sent something that is no frame: stop parsing
  bool cut_queued_ = false;      // the cut request is queued: read nothing more from the client
  bool cut_sent_ = false;        // ... and written: deliver nothing more from the server
  std::optional<std::int32_t> cut_opcode_;  // what armed the cut, to re-arm if we never send it
  bool ending_ = false;
  bool draining_ = false;        // ended by a cut; the server side is still read and dropped
};

void Link::open(uv_stream_t* listener, std::list<std::unique_ptr<Link>>::iterator self) {
  self_ = self;
  uv_loop_t* loop = &proxy_.loop_;
  for (auto& t : tcp_) {
    uv_tcp_init(loop, &t);
    t.data = this;
  }
  uv_timer_init(loop, &timer_);
  timer_.data = this;
  open_handles_ = 3;
  ++proxy_.active_;
  if (uv_accept(listener, stream(kClient)) != 0) return end(Ending::reset);
  uv_tcp_nodelay(&tcp_[kClient], 1);
  connect_req_.data = this;
  int rc = uv_tcp_connect(&connect_req_, &tcp_[kServer],
                          reinterpret_cast<const sockaddr*>(&proxy_.upstream_),
                          [](uv_connect_t* req, int status) {
                            auto* self = static_cast<Link*>(req->data);
                            if (self->ending_) return;
                            // Upstream down: the client sees its connection reset, as if the
                            // server had refused it.
                            if (status != 0) return self->end(Ending::reset);
                            self->connected_ = true;
                            uv_tcp_nodelay(&self->tcp_[kServer], 1);
                            self->update_reading(kServer);
                            self->pump();
                          });
  if (rc != 0) return end(Ending::reset);
  // Read the client at once: its handshake waits in the queue until the server side is up.
  update_reading(kClient);
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
  auto alloc = [](uv_handle_t* h, std::size_t, uv_buf_t* buf) {
    auto& proxy = static_cast<Link*>(h->data)->proxy_;
    *buf = uv_buf_init(proxy.read_buffer_, sizeof proxy.read_buffer_);
  };
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
  std::string_view bytes(proxy_.read_buffer_, static_cast<std::size_t>(n));
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
    bool cut = request && proxy_.cut_armed_ &&
               (!proxy_.cut_opcode_ || request_type(r.body) == proxy_.cut_opcode_);
    enqueue(kClient, std::string(rest.substr(0, r.consumed)), request, cut);
    used += r.consumed;
    if (cut) {
      proxy_.cut_armed_ = false;
      cut_opcode_ = proxy_.cut_opcode_;
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
  if (ending_ || proxy_.stalled_) return;
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
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(*wake - now).count();
    uv_update_time(&proxy_.loop_);
    uv_timer_start(&timer_, [](uv_timer_t* t) { static_cast<Link*>(t->data)->pump(); },
                   static_cast<std::uint64_t>(std::max<long long>(ms, 1)), 0);
  } else {
    uv_timer_stop(&timer_);
  }
}

void Link::write(Side to, Chunk chunk) {
  Side from = other(to);
  if (chunk.request) ++proxy_.requests_;
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
  if (ending_ || proxy_.stalled_) return;
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
  --proxy_.active_;
  proxy_.held_ -= flows_[kClient].held + flows_[kServer].held;
  // The cut request never left (the connection broke first): the next request takes the cut.
  if (cut_queued_ && !cut_sent_ && !proxy_.cut_armed_) {
    proxy_.cut_armed_ = true;
    proxy_.cut_opcode_ = cut_opcode_;
  }
  auto closed = [](uv_handle_t* h) { static_cast<Link*>(h->data)->on_handle_closed(); };
  if (how == Ending::cut && connected_) drain_server();
  else uv_close(reinterpret_cast<uv_handle_t*>(&timer_), closed);
  for (Side s : {kClient, kServer}) {
    if (s == kServer && draining_) continue;
    bool reset = how == Ending::reset || (how == Ending::cut && s == kClient);
    // close_reset fails on a socket that never got a descriptor (connect not started): then
    // a plain close is all there is to do.
    if (!reset || uv_tcp_close_reset(&tcp_[s], closed) != 0)
      uv_close(reinterpret_cast<uv_handle_t*>(&tcp_[s]), closed);
  }
}

// Closing a socket with unread bytes in its receive buffer sends RST, and a server that gets
// RST may drop the cut request from its own receive buffer before reading it. So the server
// side half-closes instead (the server closes on FIN once it has read the request), and what
// the server still sends is read and dropped until then, for 2 s at most.
void Link::drain_server() {
  draining_ = true;
  uv_read_stop(stream(kServer));
  auto alloc = [](uv_handle_t* h, std::size_t, uv_buf_t* buf) {
    auto& proxy = static_cast<Link*>(h->data)->proxy_;
    *buf = uv_buf_init(proxy.read_buffer_, sizeof proxy.read_buffer_);
  };
  int rc = uv_read_start(stream(kServer), alloc, [](uv_stream_t* st, ssize_t n, const uv_buf_t*) {
    if (n < 0) static_cast<Link*>(st->data)->finish_drain();
  });
  if (rc == 0 && !flows_[kClient].fin_sent) {
    rc = uv_shutdown(&shutdown_req_[kClient], stream(kServer), [](uv_shutdown_t* req, int status) {
      if (status != 0) static_cast<Link*>(req->data)->finish_drain();
    });
    shutdown_req_[kClient].data = this;
  }
  if (rc == 0)
    rc = uv_timer_start(&timer_, [](uv_timer_t* t) { static_cast<Link*>(t->data)->finish_drain(); }, 2000, 0);
  if (rc != 0) finish_drain();
}

void Link::finish_drain() {
  if (!draining_) return;
  draining_ = false;
  auto closed = [](uv_handle_t* h) { static_cast<Link*>(h->data)->on_handle_closed(); };
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_[kServer]), closed);
}

void Link::on_handle_closed() {
  if (--open_handles_ > 0) return;
  proxy_.links_.erase(self_);  // frees this Link
}

}  // namespace

// The public face's Impl is the Proxy; a subclass because Link, outside FaultProxy, must
// name it.
class FaultProxy::Impl : public Proxy {};

// --- Proxy -----------------------------------------------------------------------------------

Result<void> Proxy::start(const std::string& upstream) {
  auto addr = parse_address(upstream);
  if (!addr) return std::move(addr).error();
  upstream_ = *addr;
  if (int rc = uv_loop_init(&loop_); rc != 0)
    return Error(Errc::connection_loss, "FaultProxy: cannot create a loop: " + uv_text(rc));
  loop_initialised_ = true;
  uv_tcp_init(&loop_, &listener_);
  listener_.data = this;
  uv_async_init(&loop_, &inbox_async_,
                [](uv_async_t* a) { static_cast<Proxy*>(a->data)->drain_inbox(); });
  inbox_async_.data = this;

  sockaddr_in any{};
  uv_ip4_addr("127.0.0.1", 0, &any);
  int rc = uv_tcp_bind(&listener_, reinterpret_cast<const sockaddr*>(&any), 0);
  if (rc == 0)
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(&listener_), 128, [](uv_stream_t* l, int status) {
      static_cast<Proxy*>(l->data)->on_connection(status);
    });
  sockaddr_storage bound{};
  int len = sizeof bound;
  if (rc == 0) rc = uv_tcp_getsockname(&listener_, reinterpret_cast<sockaddr*>(&bound), &len);
  if (rc != 0) {
    abandon_start();
    return Error(Errc::connection_loss, "FaultProxy: cannot listen on 127.0.0.1: " + uv_text(rc));
  }
  port_ = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  thread_ = std::thread([this] {
    // A write to a socket whose peer has gone raises SIGPIPE in the writing thread, which
    // would kill the test process; blocked here, libuv sees EPIPE and the link ends.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    uv_run(&loop_, UV_RUN_DEFAULT);
  });
  return {};
}

void Proxy::abandon_start() {
  uv_close(reinterpret_cast<uv_handle_t*>(&listener_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&inbox_async_), nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);  // runs the close callbacks, then returns: nothing is left
}

void Proxy::on_connection(int status) {
  if (status != 0) return;
  count_accepted();
  if (refusing_) return refuse_one();
  links_.push_back(std::make_unique<Link>(*this));
  auto self = std::prev(links_.end());
  (*self)->open(reinterpret_cast<uv_stream_t*>(&listener_), self);
}

void Proxy::refuse_one() {
  auto* tcp = new uv_tcp_t;
  uv_tcp_init(&loop_, tcp);
  auto free_it = [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); };
  if (uv_accept(reinterpret_cast<uv_stream_t*>(&listener_), reinterpret_cast<uv_stream_t*>(tcp)) != 0 ||
      uv_tcp_close_reset(tcp, free_it) != 0)
    uv_close(reinterpret_cast<uv_handle_t*>(tcp), free_it);
}

void Proxy::pump_all() {
  // after_unstall() may end a link, which stays in the list until its handles are closed.
  for (auto& l : links_) l->after_unstall();
}

void Proxy::drop_all() {
  for (auto& l : links_) {
    l->end(Ending::reset);
    l->finish_drain();
  }
}

void Proxy::shut_down() {
  drop_all();
  uv_close(reinterpret_cast<uv_handle_t*>(&listener_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&inbox_async_), nullptr);
  // uv_run returns once the links' close callbacks have run: nothing is left on the loop.
}

// --- FaultProxy ------------------------------------------------------------------------------

FaultProxy::FaultProxy(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FaultProxy::~FaultProxy() = default;

Result<std::unique_ptr<FaultProxy>> FaultProxy::start(const std::string& upstream) {
  auto impl = std::make_unique<Impl>();
  if (auto r = impl->start(upstream); !r) return std::move(r).error();
  return std::unique_ptr<FaultProxy>(new FaultProxy(std::move(impl)));
}

std::string FaultProxy::address() const { return "127.0.0.1:" + std::to_string(impl_->port_); }

Result<void> FaultProxy::set_upstream(const std::string& upstream) {
  auto addr = parse_address(upstream);
  if (!addr) return std::move(addr).error();
  impl_->run([&] { impl_->upstream_ = *addr; });
  return {};
}

void FaultProxy::drop_connections() {
  impl_->run([&] { impl_->drop_all(); });
}

void FaultProxy::refuse(bool on) {
  impl_->run([&] { impl_->refusing_ = on; });
}

void FaultProxy::stall(bool on) {
  impl_->run([&] {
    bool was = std::exchange(impl_->stalled_, on);
    if (was && !on) impl_->pump_all();
  });
}

void FaultProxy::set_delay(std::chrono::milliseconds d) {
  impl_->run([&] { impl_->delay_ = std::max(d, std::chrono::milliseconds(0)); });
}

void FaultProxy::cut_after_next_request(std::optional<std::int32_t> opcode) {
  impl_->run([&] {
    impl_->cut_armed_ = true;
    impl_->cut_opcode_ = opcode;
  });
}

int FaultProxy::connections_accepted() const {
  std::lock_guard lock(impl_->accepted_mu_);
  return impl_->accepted_;
}

int FaultProxy::active_connections() const { return impl_->active_.load(); }

std::uint64_t FaultProxy::requests_forwarded() const { return impl_->requests_.load(); }

std::size_t FaultProxy::bytes_held() const { return impl_->held_.load(); }

bool FaultProxy::wait_accepted(int count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->accepted_mu_);
  return impl_->accepted_cv_.wait_for(lock, timeout, [&] { return impl_->accepted_ >= count; });
}

}  // namespace zkit::testing
