// net::Link: the session's framed connection to one server at a time. It dials (through the
// Dialer), splits what arrives into frames with the codec's next_frame (frames are handed out
// as views into the read buffer: decoded in place, never copied), and sends every frame queued
// during a loop turn in one write, just before the loop waits for I/O. It knows nothing of
// requests or sessions, nor whether the bytes under it travel over TCP or TLS (net::Stream).
//
// One Link lives as long as its session and carries one connection after another.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <uv.h>

#include "net/dialer.hpp"
#include "net/stream.hpp"
#include "zkit/function.hpp"
#include "zkit/options.hpp"
#include "zkit/uv/handle.hpp"

namespace zkit::net {

class Link final : private Stream::Events, private Dialer::Events {
 public:
  struct Events {
    // The connection is up; nothing has been sent on it yet.
    virtual void on_link_open() = 0;
    // One frame's body. Valid during the call only; the owner may close the link inside.
    virtual void on_frame(std::string_view body) = 0;
    // Dialing failed, or the open connection broke or sent a malformed frame: `reason` says
    // which, naming the server. The link is idle again.
    virtual void on_link_lost(std::string reason) = 0;

   protected:
    ~Events() = default;
  };

  enum class State { idle, dialing, open };

  // Frames larger than `max_frame` bytes (body) are malformed.
  Link(uv_loop_t* loop, std::size_t max_frame, Events& events);
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;
  ~Link();

  // From idle: dials `host`; `pick` chooses among its addresses.
  void open(const HostPort& host, std::uint64_t pick);
  // Back to idle at once: the connection (or dial) is dropped, unsent frames are discarded,
  // and no event about it arrives any more.
  void close();
  // Closes, then releases the libuv handle of its own; `released` runs once it is closed.
  void release(Function<void()> released);

  State state() const noexcept { return state_; }
  // Dialing, and the server has not answered the SYN yet (Dialer::syn_unanswered).
  bool syn_unanswered() const noexcept { return state_ == State::dialing && dialer_.syn_unanswered(); }
  // "host:port" of the server being dialed or connected to.
  const std::string& peer() const noexcept { return peer_; }

  // Where frames to send are appended; they leave at the end of this loop turn once
  // send_soon() was called (or now with send_now()).
  std::string& out() noexcept { return out_; }
  void send_soon();
  void send_now();
  // Bytes handed to the connections so far, over every connection of this link.
  std::uint64_t bytes_sent() const noexcept { return bytes_sent_; }

 private:
  // Dialer::Events
  void on_dialed(Stream* stream, const char* step, int status) override;
  // Stream::Events
  void on_read(std::size_t n) override;
  void on_stream_failed(bool end_of_stream, std::string_view reason) override;
  char* read_buffer(std::size_t suggested, std::size_t& size) override;

  void lost(std::string reason);

  std::size_t max_frame_;
  Events& events_;
  Dialer dialer_;
  Stream* stream_ = nullptr;
  State state_ = State::idle;
  std::uint64_t generation_ = 0;  // changes whenever a connection is dropped
  std::string peer_;

  std::string in_;  // a partial frame kept between reads (see read_buffer())
  std::size_t in_used_ = 0;
  bool reading_shared_ = false;  // the pending read goes to the thread's shared buffer
  std::string out_;
  std::uint64_t bytes_sent_ = 0;
  uv::Handle<uv_prepare_t> flush_;  // runs once per loop turn while frames wait
};

}  // namespace zkit::net
