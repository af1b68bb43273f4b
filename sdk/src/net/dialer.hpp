// net::Dialer: turns a host into a connected Stream: resolves it (asynchronously, anew on every
// attempt, so a server whose address changed is found again), then connects to one of its
// addresses. The session's link and the read-only probe both dial through it; a TLS stream
// would be layered on the TCP one here.
#pragma once

#include <cstdint>
#include <string>

#include <uv.h>

#include "net/resolver.hpp"
#include "net/stream.hpp"
#include "net/tcp_stream.hpp"
#include "zkit/function.hpp"
#include "zkit/options.hpp"

namespace zkit::net {

class Dialer {
 public:
  // `stream` is connected and not started, or null with `error` saying why ("cannot resolve
  // h:p: ...", "cannot connect to h:p: ...").
  using Done = Function<void(Stream* stream, std::string error)>;

  explicit Dialer(uv_loop_t* loop) : loop_(loop) {}
  Dialer(const Dialer&) = delete;
  Dialer& operator=(const Dialer&) = delete;
  ~Dialer() { cancel(); }

  // Starts dialing `host` (cancelling a dial in progress). `pick` chooses among its addresses.
  // `done` runs once and never after cancel(); only when libuv refuses to start resolving does
  // it run before dial() returns.
  void dial(const HostPort& host, std::uint64_t pick, Done done);
  void cancel();
  bool busy() const noexcept { return lookup_ || connecting_; }

 private:
  void failed(std::string error);

  uv_loop_t* loop_;
  std::string name_;  // the host being dialed, as "host:port"
  Done done_;
  Lookup* lookup_ = nullptr;
  TcpStream* connecting_ = nullptr;
  std::uint64_t pick_ = 0;
};

}  // namespace zkit::net
