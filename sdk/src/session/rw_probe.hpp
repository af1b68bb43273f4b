// RwProbe: asks one server, on a connection of its own, whether it serves read-write (the
// four-letter word "isro" answers "rw" or "ro"). A read-only session uses it to find a
// read-write member to move to, without leaving the read-only one before it has found one.
#pragma once

#include <string>

#include <uv.h>

#include "net/dialer.hpp"
#include "net/stream.hpp"
#include "zkit/function.hpp"
#include "zkit/options.hpp"

namespace zkit::session {

class RwProbe final : private net::Stream::Events, private net::Dialer::Events {
 public:
  explicit RwProbe(uv_loop_t* loop) : dialer_(loop, *this) {}
  RwProbe(const RwProbe&) = delete;
  RwProbe& operator=(const RwProbe&) = delete;
  ~RwProbe() { cancel(); }

  // Asks `host` (cancelling a probe in progress): `done(true)` when it answered "rw",
  // `done(false)` on any other answer or failure. `done` never runs after cancel().
  void start(const HostPort& host, Function<void(bool)> done);
  void cancel();
  bool busy() const noexcept { return static_cast<bool>(done_); }

 private:
  void on_dialed(net::Stream* stream, const char* step, int status) override;
  void on_read(std::size_t n) override;
  void on_stream_failed(bool, std::string_view) override { finish(false); }
  char* read_buffer(std::size_t suggested, std::size_t& size) override;
  void finish(bool rw);

  net::Dialer dialer_;
  Function<void(bool)> done_;
  net::Stream* stream_ = nullptr;
  char buf_[64];
  std::size_t used_ = 0;
};

}  // namespace zkit::session
