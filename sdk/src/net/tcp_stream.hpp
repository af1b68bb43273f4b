// TcpStream: bytes over one TCP connection on a libuv loop. It knows nothing of frames or
// requests. Writes handed to it in one call leave in one uv_write (the link coalesces a loop
// turn's frames before calling write()).
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <string>

#include <uv.h>

#include "net/stream.hpp"
#include "zkit/uv/handle.hpp"

namespace zkit::net {

class TcpStream final : public Stream {
 public:
  // Told once how a connect ended.
  struct Connected {
    // `status` 0: connected; else a libuv error, and the stream is closed already.
    virtual void on_connected(TcpStream* stream, int status) = 0;

   protected:
    ~Connected() = default;
  };

  // Starts connecting to `addr`; `connected` is told once, unless close() is called first.
  // Returns null (and sets `error`) when libuv refuses at once.
  static TcpStream* connect(uv_loop_t* loop, const sockaddr* addr, Connected& connected, int& error);

  void start(Events* events) override;
  bool write(std::string& data) override;
  void close() override;
  // When the peer closes before sending a single byte, report it as a failure with `reason`
  // instead of a clean end of stream (the Dialer's hint that a plain connection reached a
  // TLS port: a TLS server drops a plain-text ConnectRequest without a word).
  void set_silent_close_reason(const char* reason) noexcept { silent_close_reason_ = reason; }
  // Whether the connect is still waiting for the server's SYN-ACK, as the kernel sees it (not
  // as libuv has reported so far): what a SYN dropped by a full listen queue looks like.
  bool syn_unanswered() const noexcept;

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
  Connected* connected_ = nullptr;  // null once told
  Events* events_ = nullptr;  // null before start() and after close()
  bool closed_ = false;
  bool failed_ = false;
  bool got_bytes_ = false;
  const char* silent_close_reason_ = nullptr;
};

}  // namespace zkit::net
