#include "socket.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>

#include "proto/frame.hpp"
#include "proto/opcodes.hpp"

namespace zkit::testing::detail {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

// Milliseconds left until `deadline` for poll(), at least 0.
int poll_ms(Deadline deadline) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return 0;
  return left > 60'000 ? 60'000 : static_cast<int>(left);
}

// Waits for `events` on `fd`: true when ready (or in error, which the next call reports),
// false at the deadline.
bool wait_for(int fd, short events, Deadline deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, poll_ms(deadline));
    if (n > 0) return true;
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 && Clock::now() < deadline) continue;  // poll_ms caps one wait at 60 s
    return false;
  }
}

struct HostPort {
  std::string host;
  std::string port;
};

Result<HostPort> parse_host_port(std::string_view s) {
  auto colon = s.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == s.size())
    return Error(Errc::bad_arguments, "address \"" + std::string(s) + "\" has no port");
  std::string_view host = s.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return HostPort{std::string(host), std::string(s.substr(colon + 1))};
}

}  // namespace

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    reset();
    fd_ = std::exchange(o.fd_, -1);
  }
  return *this;
}

void Fd::reset() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Result<Connection> Connection::open(const std::string& host_port, Deadline deadline) {
  auto hp = parse_host_port(host_port);
  if (!hp) return std::move(hp).error();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(hp->host.c_str(), hp->port.c_str(), &hints, &found); rc != 0)
    return Error(Errc::connection_loss,
                 "cannot resolve " + host_port + ": " + ::gai_strerror(rc));
  std::string last_error = "no address";
  bool timed_out = false;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    // Non-blocking so that connect and every read and write can honour the deadline; CLOEXEC
    // so that servers the kit starts meanwhile do not inherit it.
    Fd fd(::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol));
    if (fd.get() < 0) {
      last_error = errno_text(errno);
      continue;
    }
    int rc = ::connect(fd.get(), a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno != EINPROGRESS) {
      last_error = errno_text(errno);
      continue;
    }
    if (rc != 0) {
      if (!wait_for(fd.get(), POLLOUT, deadline)) {
        timed_out = true;
        last_error = "timed out";
        continue;
      }
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) {
        last_error = errno_text(err);
        continue;
      }
    }
    ::freeaddrinfo(found);
    return Connection(std::move(fd), host_port);
  }
  ::freeaddrinfo(found);
  return Error(timed_out ? Errc::operation_timeout : Errc::connection_loss,
               "cannot connect to " + host_port + ": " + last_error);
}

Result<void> Connection::send(std::string_view bytes, Deadline deadline) {
  while (!bytes.empty()) {
    // MSG_NOSIGNAL: a peer that closed must give an error here, not SIGPIPE the test.
    ssize_t n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_for(fd_.get(), POLLOUT, deadline))
        return Error(Errc::operation_timeout, "timed out writing to " + peer_);
      continue;
    }
    return Error(Errc::connection_loss, "writing to " + peer_ + ": " + errno_text(errno));
  }
  return {};
}

Result<std::size_t> Connection::fill(Deadline deadline) {
  char buf[16 * 1024];
  for (;;) {
    ssize_t n = ::recv(fd_.get(), buf, sizeof buf, 0);
    if (n >= 0) {
      in_.append(buf, static_cast<std::size_t>(n));
      return static_cast<std::size_t>(n);
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!wait_for(fd_.get(), POLLIN, deadline))
        return Error(Errc::operation_timeout, "timed out reading from " + peer_);
      continue;
    }
    return Error(Errc::connection_loss, "reading from " + peer_ + ": " + errno_text(errno));
  }
}

Result<std::string> Connection::read_frame(Deadline deadline) {
  for (;;) {
    auto f = proto::next_frame(in_, proto::kMaxFrame);
    if (f.kind == proto::FrameResult::frame) {
      std::string body(f.body);
      in_.erase(0, f.consumed);
      return body;
    }
    if (f.kind == proto::FrameResult::malformed)
      return Error(Errc::connection_loss, "malformed frame from " + peer_ + ": " + f.reason);
    auto n = fill(deadline);
    if (!n) return std::move(n).error();
    if (*n == 0) return Error(Errc::connection_loss, peer_ + " closed the connection");
  }
}

Result<std::string> Connection::read_to_eof(Deadline deadline) {
  for (;;) {
    auto n = fill(deadline);
    if (!n) return std::move(n).error();
    if (*n == 0) return std::exchange(in_, {});
  }
}

bool Connection::wait_closed_by_peer(Deadline deadline) {
  for (;;) {
    auto n = fill(deadline);
    in_.clear();
    if (!n) return n.code() == Errc::connection_loss;  // a reset is a close too
    if (*n == 0) return true;
  }
}

std::vector<std::string> split_hosts(std::string_view connect_string) {
  if (auto slash = connect_string.find('/'); slash != std::string_view::npos)
    connect_string = connect_string.substr(0, slash);
  std::vector<std::string> hosts;
  while (!connect_string.empty()) {
    auto comma = connect_string.find(',');
    auto item = connect_string.substr(0, comma);
    if (!item.empty()) hosts.emplace_back(item);
    if (comma == std::string_view::npos) break;
    connect_string.remove_prefix(comma + 1);
  }
  return hosts;
}

Result<std::vector<int>> reserve_ports(int count) {
  static std::mutex mutex;
  static std::set<int> handed_out;
  std::lock_guard lock(mutex);

  // All probe sockets stay bound until every port is chosen, so the kernel cannot hand the
  // same port out twice within one call.
  std::vector<Fd> probes;
  std::vector<int> ports;
  int attempts = 0;
  while (static_cast<int>(ports.size()) < count) {
    if (++attempts > count + 200)
      return Error(Errc::connection_loss, "cannot find free ports on 127.0.0.1");
    Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (fd.get() < 0)
      return Error(Errc::connection_loss, "socket(): " + errno_text(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      return Error(Errc::connection_loss, "bind(127.0.0.1:0): " + errno_text(errno));
    socklen_t len = sizeof addr;
    if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      return Error(Errc::connection_loss, "getsockname(): " + errno_text(errno));
    int port = ntohs(addr.sin_port);
    probes.push_back(std::move(fd));
    if (handed_out.insert(port).second) ports.push_back(port);
  }
  return ports;
}

}  // namespace zkit::testing::detail
