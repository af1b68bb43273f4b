// net::Stream: a connected byte stream, the seam under the framed link. TCP (TcpStream) is one
// implementation; TLS over TCP is meant to be another, with nothing above net/ changing for it:
// the Dialer hands out a Stream, and the Link reads and writes bytes through it.
//
// Lifetime: the Dialer creates a Stream; its owner calls start() once, then receives events
// until it calls close(). close() hands the object to libuv, which frees it once its handles
// are closed; after close() no event reaches the owner.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace zkit::net {

class Stream {
 public:
  struct Events {
    // `n` bytes arrived in the space the last read_buffer() call returned.
    virtual void on_read(std::size_t n) = 0;
    // The stream broke or ended: `end_of_stream` when the peer closed it cleanly, else
    // `reason` says what failed. The stream is unusable afterwards.
    virtual void on_stream_failed(bool end_of_stream, std::string_view reason) = 0;
    // Where the next read may write: at least `suggested` bytes.
    virtual char* read_buffer(std::size_t suggested, std::size_t& size) = 0;

   protected:
    ~Events() = default;
  };

  // Starts reading; events go to `events` from now on.
  virtual void start(Events* events) = 0;
  // Sends `data` (taken; `data` is left empty). Returns false if the stream is already broken.
  virtual bool write(std::string& data) = 0;
  virtual void close() = 0;

 protected:
  ~Stream() = default;  // close() frees it
};

}  // namespace zkit::net
