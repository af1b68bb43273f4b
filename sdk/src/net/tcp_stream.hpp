// TcpStream: bytes over one TCP connection on a libuv loop. It knows nothing of frames or
// requests. Writes handed to it in one call leave in one uv_write (the link coalesces a loop
// turn's frames before calling write()).
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <string>

#include <uv.h>

#include "net/stream.hpp"
#include "zkit/function.hpp"
#include "zkit/uv/handle.hpp"

namespace zkit::net {

class TcpStream final : public Stream {
 public:
  // Starts connecting to `addr`; `connected(status)` runs once with 0 or a libuv error (then
  // the stream is closed already), unless close() is called first. Returns null (and sets
  // `error`) when libuv refuses at once.
  static TcpStream* connect(uv_loop_t* loop, const sockaddr* addr, Function<void(int status)> connected, int& error);

  void start(Events* events) override;
  bool write(std::string& data) override;
  void close() override;

 private:
  TcpStream() = default;
  ~TcpStream() = default;
  void fail(int status);

  struct WriteRequest {
    uv_write_t req;
    std::string data;
  };

  uv_stream_t* stream() const noexcept { return reinterpret_cast<uv_stream_t*>(tcp_.get()); }

  // The object lives until the handle's close callback: libuv calls the connect and write
  // callbacks (with UV_ECANCELED) before that, and they find it.
  uv::Handle<uv_tcp_t> tcp_;
  uv_connect_t connect_req_{};
  Function<void(int)> connected_;
  Events* events_ = nullptr;  // null before start() and after close()
  bool closed_ = false;
  bool failed_ = false;
};

}  // namespace zkit::net
