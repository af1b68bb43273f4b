// TcpConnection: bytes over one TCP connection on a libuv loop. It knows nothing of frames or
// requests. Writes handed to it in one call leave in one uv_write (the session coalesces a
// loop turn's frames before calling write()).
//
// Lifetime: created by its owner, which receives events through Events until it calls close().
// close() hands the object to libuv, which frees it once the handle is closed; after close()
// no event reaches the owner.
#pragma once

#include <cstddef>
#include <string>

#include <uv.h>

namespace zkit::net {

class TcpConnection {
 public:
  struct Events {
    virtual void on_connect(int status) = 0;                 // 0 or a libuv error
    // `n` bytes arrived in the space the last read_buffer() call returned.
    virtual void on_read(std::size_t n) = 0;
    // Read or write failure, or end of stream (UV_EOF). The connection is unusable.
    virtual void on_error(int status) = 0;
    // Where the next read may write: at least `suggested` bytes.
    virtual char* read_buffer(std::size_t suggested, std::size_t& size) = 0;

   protected:
    ~Events() = default;
  };

  // Starts a connection to `addr`; the result arrives in Events::on_connect. Returns null (and
  // sets `error`) when libuv refuses at once.
  static TcpConnection* connect(uv_loop_t* loop, const sockaddr* addr, Events* events, int& error);

  // Sends `data` (taken; `data` is left empty). Returns false if the socket is already broken.
  bool write(std::string& data);
  void close();

  std::size_t write_queue_size() const noexcept;

 private:
  explicit TcpConnection(Events* events) : events_(events) {}
  ~TcpConnection() = default;
  void start_reading();

  struct WriteRequest {
    uv_write_t req;
    std::string data;
  };

  uv_tcp_t tcp_{};
  uv_connect_t connect_req_{};
  Events* events_;  // null after close()
  bool failed_ = false;
};

}  // namespace zkit::net
