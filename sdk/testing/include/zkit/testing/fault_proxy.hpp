// FaultProxy: a loopback TCP proxy between ZooKeeper clients and one server, which injects the
// network faults a service must survive: dropped connections, refused reconnects, a blackhole
// (stall), added latency, and a cut right after a chosen request (the server applies it, the
// reply is lost).
//
// It runs its own libuv loop on its own thread, so the test thread may block (in a zkit::Client
// call, or waiting for a state) while the proxy keeps forwarding. Every method is thread-safe,
// and each control method has taken effect when it returns. For an ensemble, start one proxy
// per member and build the connect string from their address()es.
//
//   auto zk = std::move(zkit::testing::Cluster::start({.tick_ms = 500})).value();
//   auto proxy = std::move(zkit::testing::FaultProxy::start(zk->address(1))).value();
//   auto c = zkit::Client::open({.connect = proxy->address()});
//   proxy->cut_after_next_request(15);     // create2, what zkit sends for a create
//   auto r = c->create("/a", "");          // Errc::connection_loss ...
//   // ... yet /a exists once the session has reconnected
//
// Client-to-server bytes are split into ZooKeeper frames (the first of a connection is the
// ConnectRequest; each later one a request starting with RequestHeader{xid, type}) and
// forwarded whole; server-to-client bytes are forwarded as they come. A connection whose
// client sends something that is not a frame (a four-letter word, say) is forwarded raw. A
// peer's FIN is passed on once everything it sent before has been delivered.
// Memory is bounded: a connection holds at most kMaxHeldBytes per direction (stalled,
// delayed or waiting for a slow peer); beyond that the proxy stops reading from that side,
// which pushes back on the sender through TCP.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "zkit/result.hpp"

namespace zkit::testing {

class FaultProxy {
 public:
  // What one connection may hold per direction before the proxy stops reading from its sender.
  static constexpr std::size_t kMaxHeldBytes = 4u << 20;

  // Listens on 127.0.0.1 at a free port and forwards every connection it accepts to
  // `upstream`, a numeric "ip:port" ("127.0.0.1:2181", "[::1]:2181"): no name lookups.
  // Errors: bad_arguments (upstream is not a numeric address), connection_loss (cannot listen).
  static Result<std::unique_ptr<FaultProxy>> start(const std::string& upstream);

  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;
  // Resets every connection, stops listening and joins the proxy's thread.
  ~FaultProxy();

  // "127.0.0.1:port": what clients connect to.
  std::string address() const;

  // Where connections accepted from now on go (e.g. after the member moved to another port);
  // current connections stay where they are. Errors: bad_arguments (not a numeric address).
  Result<void> set_upstream(const std::string& upstream);

  // --- faults -------------------------------------------------------------------------------

  // Resets every current connection, both sides at once (RST: SO_LINGER 0), as a crashed
  // middlebox would: each peer sees ECONNRESET, and bytes still held are dropped.
  void drop_connections();
  // While on, each new connection is accepted and reset at once (RST): the client's connect
  // succeeds, then its handshake fails. Current connections are untouched.
  void refuse(bool on);
  // Blackhole. While on, nothing is delivered in either direction, on current and new
  // connections alike: bytes are held (up to kMaxHeldBytes per direction) and sockets stay
  // open, so the peers see silence, not a close. Off: the held bytes are delivered, in order.
  void stall(bool on);
  // Latency: from now on every chunk read from either side is delivered `d` later. Bytes
  // never overtake each other, also when the delay is lowered.
  void set_delay(std::chrono::milliseconds d);
  // One shot: the next client request (after a handshake) whose RequestHeader.type is
  // `opcode` (any request, pings included, when nullopt) is forwarded whole, and nothing
  // after it either way: client bytes behind it are dropped, and so is all the server sends
  // once it has left. When the request is in the server's socket, both sides are closed: the
  // client's with a reset (it sees connection loss at once, without the reply), the server's
  // with a plain close(), which never discards the request. So the server applies it. If the
  // connection breaks before the request went out, the next matching request takes the cut.
  void cut_after_next_request(std::optional<std::int32_t> opcode = std::nullopt);

  // --- observation --------------------------------------------------------------------------

  // Connections accepted so far, refused ones included.
  int connections_accepted() const;
  // Connections forwarding now: accepted, not refused, and not yet closed.
  int active_connections() const;
  // Client requests forwarded to a server (every frame after each connection's handshake).
  std::uint64_t requests_forwarded() const;
  // Bytes read from one side and not yet delivered to the other, over all connections.
  std::size_t bytes_held() const;
  // Waits until connections_accepted() >= count (true) or `timeout` passes (false).
  bool wait_accepted(int count, std::chrono::milliseconds timeout) const;

 private:
  class Impl;
  explicit FaultProxy(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace zkit::testing
