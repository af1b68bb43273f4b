// RwProbe: asks one server, on a connection of its own, whether it serves read-write (the
// four-letter word "isro" answers "rw" or "ro"). A read-only session uses it to find a
// read-write member to move to, without leaving the read-only one before it has found one.
#pragma once

#include <string>

#include <uv.h>

#include "net/resolver.hpp"
#include "net/tcp_connection.hpp"
#include "zkit/function.hpp"
#include "zkit/options.hpp"

namespace zkit::session {

class RwProbe final : private net::TcpConnection::Events {
 public:
  // `done(true)` when `host` answered "rw"; `done(false)` on any other answer or failure.
  // The probe frees itself after calling `done`, or after cancel() (then `done` never runs).
  static RwProbe* start(uv_loop_t* loop, HostPort host, Function<void(bool)> done);
  void cancel();

 private:
  RwProbe(uv_loop_t* loop, Function<void(bool)> done) : loop_(loop), done_(std::move(done)) {}
  ~RwProbe() = default;
  void on_connect(int status) override;
  void on_read(std::size_t n) override;
  void on_error(int status) override;
  char* read_buffer(std::size_t suggested, std::size_t& size) override;
  void finish(bool rw);

  uv_loop_t* loop_;
  Function<void(bool)> done_;
  net::Lookup* lookup_ = nullptr;
  net::TcpConnection* conn_ = nullptr;
  char buf_[64];
  std::size_t used_ = 0;
};

}  // namespace zkit::session
