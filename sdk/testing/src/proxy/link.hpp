// Link: one proxied connection, the client's socket and the one to the server, and what flows
// between them: client bytes split into ZooKeeper frames, server bytes as they come, each
// direction held (stall, delay) up to FaultProxy::kMaxHeldBytes, and the cut after a chosen
// request.
//
// Lifetime: the State's list holds a Link while it forwards; each socket's close callback
// holds it too, because libuv calls back the socket's write, connect and shutdown requests
// (with UV_ECANCELED) after uv_close and before the close callback, and those requests point
// into the Link. So a Link may end (and leave the list) from inside any of its own callbacks.
#pragma once

#include <uv.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <list>
#include <memory>
#include <optional>
#include <string>

#include "proxy/state.hpp"
#include "zkit/timer.hpp"
#include "zkit/uv/handle.hpp"

namespace zkit::testing::proxy {

enum Side { kClient = 0, kServer = 1 };
constexpr Side other(Side s) { return s == kClient ? kServer : kClient; }

// How a connection ends.
enum class Ending {
  reset,     // RST on both sides: drop_connections, a peer's error, the proxy's shutdown
  graceful,  // close(): both peers closed and all they sent was delivered
  cut,       // RST to the client, close() to the server once the cut request is written
};

class Link : public std::enable_shared_from_this<Link> {
 public:
  explicit Link(State& state) : state_(state), timer_(state.loop) {}
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  // Accepts the pending connection of `listener` and connects to the upstream; `self` is this
  // Link's place in the State's list.
  void open(uv_stream_t* listener, std::list<std::shared_ptr<Link>>::iterator self);
  void end(Ending how);
  // Ends a cut connection's drain of the server side (see drain_server): closes what is left.
  void finish_drain();
  // After a stall: delivers what is due and resumes reading.
  void after_unstall();

 private:
  using Clock = std::chrono::steady_clock;
  // Chunk: bytes read from one side, waiting to be written to the other.
  struct Chunk {
    std::string bytes;
    Clock::time_point due;   // not delivered before this (set_delay)
    bool request = false;    // a client request after the handshake: counted when forwarded
    bool cut_after = false;  // the connection is cut once this has been written
  };
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

  uv_stream_t* stream(Side s) { return reinterpret_cast<uv_stream_t*>(tcp_[s].get()); }
  // Every read lands in the State's shared buffer.
  static void alloc(uv_handle_t* h, std::size_t suggested, uv_buf_t* buf);
  void account(Side from, std::ptrdiff_t delta);
  void enqueue(Side from, std::string bytes, bool request = false, bool cut_after = false);
  void on_connected(int status);
  void on_read(Side from, ssize_t n);
  void on_client_bytes(std::string_view bytes);
  void split_frames();
  // Delivers every chunk that is due, unless stalled; re-arms the delay timer.
  void pump();
  void write(Side to, Chunk chunk);
  void on_written(Write* w, int status);
  void update_reading(Side s);
  void maybe_finish();
  void drain_server();
  // Closes one socket (with RST when `reset`); its close callback holds this Link.
  void close_socket(Side s, bool reset);
  // Leaves the State's list (once).
  void unlist();

  State& state_;
  std::list<std::shared_ptr<Link>>::iterator self_;
  bool listed_ = false;
  // The sockets are closed by end() / finish_drain(), never by the destructor: a Link is
  // destroyed from the last close callback, when its handles are already gone.
  uv::Handle<uv_tcp_t> tcp_[2];  // [kClient]: accepted; [kServer]: to the upstream
  uv_connect_t connect_req_{};
  uv_shutdown_t shutdown_req_[2]{};  // [from]: passes a FIN on to the other side
  Timer timer_;  // wakes pump() when the first delayed chunk is due; a cut's drain deadline
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

}  // namespace zkit::testing::proxy
