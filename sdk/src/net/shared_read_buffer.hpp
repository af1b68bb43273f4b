// net::SharedReadBuffer: one 64 KiB read buffer per thread, lent to whichever connection
// reads next. libuv asks for a buffer and fills it in the same call, so the sessions of a
// loop can take turns with one buffer: a session keeps only the bytes of a frame that has
// not fully arrived, and an idle session keeps no read buffer at all.
//
// It is lent for one read at a time: `busy` marks it while a read's frames are processed
// (their callbacks may run another loop on this thread), and a reader that finds it busy
// uses a buffer of its own.
#pragma once

#include <cstddef>
#include <memory>

namespace zkit::net {

class SharedReadBuffer {
 public:
  static constexpr std::size_t kSize = 64 * 1024;

  // This thread's buffer, allocated on first use.
  static SharedReadBuffer& of_this_thread() {
    thread_local SharedReadBuffer buffer;
    return buffer;
  }

  char* data() noexcept { return data_.get(); }
  bool busy() const noexcept { return busy_; }

  // Marks the buffer lent while it lives.
  class Lease {
   public:
    explicit Lease(SharedReadBuffer& b) noexcept : b_(b) { b_.busy_ = true; }
    ~Lease() { b_.busy_ = false; }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

   private:
    SharedReadBuffer& b_;
  };

 private:
  SharedReadBuffer() : data_(new char[kSize]) {}
  std::unique_ptr<char[]> data_;
  bool busy_ = false;
};

}  // namespace zkit::net
