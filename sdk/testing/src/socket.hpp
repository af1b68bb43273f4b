// Blocking-with-deadline TCP for the testing kit: the kit talks to servers it is testing, so
// every wait has a deadline and every failure becomes an Error naming the peer.
// Private to the kit and its tests.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zkit/result.hpp"

namespace zkit::testing::detail {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

inline Deadline deadline_after(std::chrono::milliseconds d) { return Clock::now() + d; }

// Fd: an owned file descriptor, closed on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const noexcept { return fd_; }
  void reset() noexcept;

 private:
  int fd_ = -1;
};

// Connection: one TCP connection with an input buffer for frames.
class Connection {
 public:
  // Resolves `host_port` ("host:port" or "[v6]:port") and connects to the first address that
  // accepts. Errors: connection_loss, operation_timeout.
  static Result<Connection> open(const std::string& host_port, Deadline deadline);

  Result<void> send(std::string_view bytes, Deadline deadline);
  // The body of the next length-prefixed frame. Errors: connection_loss (closed, reset or a
  // malformed frame), operation_timeout.
  Result<std::string> read_frame(Deadline deadline);
  // Everything the peer sends until it closes. Errors: connection_loss (reset),
  // operation_timeout.
  Result<std::string> read_to_eof(Deadline deadline);
  // Waits until the peer closes the connection (true) or the deadline passes (false); bytes
  // that arrive meanwhile are dropped.
  bool wait_closed_by_peer(Deadline deadline);

  const std::string& peer() const noexcept { return peer_; }
  int fd() const noexcept { return fd_.get(); }

 private:
  Connection(Fd fd, std::string peer) : fd_(std::move(fd)), peer_(std::move(peer)) {}
  // Reads what is available into in_, waiting until the deadline for something to arrive.
  // Returns the byte count, 0 at end of stream.
  Result<std::size_t> fill(Deadline deadline);

  Fd fd_;
  std::string peer_;
  std::string in_;
};

// Splits "a:1,b:2" into {"a:1", "b:2"}, dropping empty items and a trailing "/chroot".
std::vector<std::string> split_hosts(std::string_view connect_string);

// `count` distinct TCP ports that are free on 127.0.0.1 right now, found by binding port 0.
// A port is never handed out twice in one process, so clusters started side by side cannot be
// given the same port while their servers are still starting.
Result<std::vector<int>> reserve_ports(int count);

}  // namespace zkit::testing::detail
