// net::Dialer: turns a host into a connected Stream: resolves it (asynchronously, anew on every
// attempt, so a server whose address changed is found again), then connects to one of its
// addresses. The session's link and the read-only probe both dial through it. When the host
// carries TLS settings (HostPort::tls), the connected TCP stream is wrapped in a TlsStream
// before it is handed out; its handshake runs once the owner starts it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <uv.h>

#include "net/resolver.hpp"
#include "net/stream.hpp"
#include "net/tcp_stream.hpp"
#include "net/tls_context.hpp"
#include "zkit/options.hpp"

namespace zkit::net {

class Dialer final : private TcpStream::Connected {
 public:
  struct Events {
    // `stream` is connected and not started; or null, and the dial failed at `step` ("cannot
    // resolve", "cannot connect to", "cannot start resolving") with a libuv error (0: none).
    virtual void on_dialed(Stream* stream, const char* step, int status) = 0;

   protected:
    ~Events() = default;
  };

  Dialer(uv_loop_t* loop, Events& events) : loop_(loop), events_(events) {}
  Dialer(const Dialer&) = delete;
  Dialer& operator=(const Dialer&) = delete;
  ~Dialer() { cancel(); }

  // Starts dialing `host` (cancelling a dial in progress). `pick` chooses among its addresses.
  // on_dialed follows once, never after cancel(); only when libuv refuses to start resolving
  // does it come before dial() returns.
  void dial(const HostPort& host, std::uint64_t pick);
  void cancel();
  // Whether a TCP connect is under way and its SYN still unanswered (TcpStream::syn_unanswered).
  bool syn_unanswered() const noexcept { return connecting_ && connecting_->syn_unanswered(); }

 private:
  void on_connected(TcpStream* stream, int status) override;
  void failed(const char* step, int status);

  uv_loop_t* loop_;
  Events& events_;
  bool dialing_ = false;
  Lookup* lookup_ = nullptr;
  TcpStream* connecting_ = nullptr;
  std::uint64_t pick_ = 0;
  std::shared_ptr<const TlsContext> tls_;  // the host's TLS settings, null for plain TCP
  std::string host_;                       // the host as the connect string names it
  std::string step_;                       // storage for a failure step built at run time
};

}  // namespace zkit::net
