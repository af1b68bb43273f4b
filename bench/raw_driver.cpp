// The floor: a minimal ZooKeeper client written for the benchmark alone, with no library (not
// zkit's, not libuv). One non-blocking socket, poll(), a hand-written encoder for the five
// requests the workloads send, and replies skimmed (xid, error, a get's data length) rather
// than decoded. Requests are batched as any client would: everything sent in reply to one
// wake-up's replies leaves in one write. It does what zkit does on the wire and nothing else
// (no watches table, no reconnection, no timeouts but the caller's deadline), so zkit's cost
// beside it is the cost of being a library.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "driver.hpp"

namespace zkit::bench {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kReadSize = 64 * 1024;

// ZooKeeper's opcodes (zookeeper.proto's OpCode) and the ping's special xid (a watch event's, -1,
// is only ever received, and skipped with every negative xid).
enum : std::int32_t { op_delete = 2, op_exists = 3, op_get_data = 4, op_set_data = 5, op_ping = 11, op_create2 = 15 };
constexpr std::int32_t kPingXid = -2;
constexpr std::int32_t kNoNode = -101;

// Big-endian jute primitives, appended to a frame under construction.
struct Encoder {
  std::string& out;
  void i32(std::int32_t v) {
    std::uint32_t b = htonl(static_cast<std::uint32_t>(v));
    out.append(reinterpret_cast<const char*>(&b), 4);
  }
  void i64(std::int64_t v) {
    i32(static_cast<std::int32_t>(static_cast<std::uint64_t>(v) >> 32));
    i32(static_cast<std::int32_t>(v & 0xffffffff));
  }
  void boolean(bool v) { out.push_back(v ? 1 : 0); }
  void bytes(std::string_view s) {
    i32(static_cast<std::int32_t>(s.size()));
    out.append(s);
  }
};

std::int32_t be32(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return static_cast<std::int32_t>(ntohl(v));
}

class RawDriver final : public Driver {
 public:
  ~RawDriver() override {
    if (fd_ >= 0) ::close(fd_);
  }

  const char* name() const override { return "raw"; }

  bool connect(const std::string& hosts, Deadline deadline, std::string& error) {
    // The first host of the list: the benchmark's servers are numeric loopback addresses.
    std::string first = hosts.substr(0, hosts.find(','));
    std::size_t colon = first.rfind(':');
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(std::stoi(first.substr(colon + 1))));
    if (colon == std::string::npos || inet_pton(AF_INET, first.substr(0, colon).c_str(), &a.sin_addr) != 1) {
      error = "raw client: needs a numeric IPv4 host:port, not " + first;
      return false;
    }
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 && errno != EINPROGRESS) {
      error = "raw client: connect: " + std::string(std::strerror(errno));
      return false;
    }
    // ConnectRequest: protocol version, last zxid seen, timeout, session id, password, read-only.
    std::size_t start = begin_frame();
    Encoder e{out_};
    e.i32(0);
    e.i64(0);
    e.i32(kSessionTimeoutMs);
    e.i64(0);
    e.bytes(std::string(16, '\0'));
    e.boolean(false);
    end_frame(start);
    bool answered = false;
    on_frame_ = [&](const char*, std::size_t) { answered = true; };
    if (!run([&] { return answered || !failure_.empty(); }, deadline) || !failure_.empty()) {
      error = "raw client: no session from " + first + (failure_.empty() ? "" : ": " + failure_);
      return false;
    }
    return true;
  }

  Outcome pipelined(Op op, const std::vector<std::string>& paths, std::string_view payload,
                    std::size_t window, Deadline deadline) override {
    Outcome out;
    std::size_t next = 0;
    auto issue_next = [&] {
      if (next < paths.size()) request(op, paths[next++], payload);
    };
    on_frame_ = [&](const char* f, std::size_t n) {
      std::int32_t xid = be32(f), err = be32(f + 12);
      if (xid < 0) return;  // a ping's answer or a watch event
      ++out.ops;
      bool ok = err == 0 || (op == Op::watch_exists && err == kNoNode);
      // A get's reply: header (16), then the data's length.
      if (ok && op == Op::get && (n < 20 || be32(f + 16) != static_cast<std::int32_t>(payload.size()))) ok = false;
      if (!ok && out.errors++ == 0) out.failure = std::string(to_string(op)) + ": error " + std::to_string(err);
      issue_next();
    };
    for (std::size_t i = 0; i < window; ++i) issue_next();
    if (!run([&] { return out.ops == paths.size() || !failure_.empty(); }, deadline) || !failure_.empty()) {
      if (out.failure.empty())
        out.failure = std::string(to_string(op)) + ": " + std::to_string(out.ops) + " of " +
                      std::to_string(paths.size()) + " done" + (failure_.empty() ? " before the deadline" : ": " + failure_);
    }
    on_frame_ = nullptr;
    return out;
  }

  Latencies sequential_gets(const std::string& path, std::size_t count, Deadline deadline) override {
    Latencies l;
    l.micros.reserve(count);
    Clock::time_point sent{};
    auto issue = [&] {
      sent = Clock::now();
      request(Op::get, path, {});
    };
    on_frame_ = [&](const char* f, std::size_t) {
      if (be32(f) < 0) return;
      double us = std::chrono::duration<double, std::micro>(Clock::now() - sent).count();
      if (be32(f + 12) != 0) {
        if (l.failure.empty()) l.failure = "get: error " + std::to_string(be32(f + 12));
        return;
      }
      l.micros.push_back(us);
      if (l.micros.size() < count) issue();
    };
    issue();
    if (!run([&] { return l.micros.size() >= count || !l.failure.empty() || !failure_.empty(); }, deadline) &&
        l.failure.empty())
      l.failure = "gets: not done before the deadline";
    if (l.failure.empty() && !failure_.empty()) l.failure = failure_;
    on_frame_ = nullptr;
    return l;
  }

  // Watches and reconnection are not the raw client's business (W1 and W2 only).
  std::uint64_t watch_events() override { return 0; }
  bool wait_watch_events(std::uint64_t, Deadline) override { return false; }
  void sync_after_reconnect() override {}
  Rewatch wait_reconnect_sync(Deadline) override { return Rewatch{-1, "the raw client does not reconnect"}; }

  // Keeps the session alive while another client is measured: a ping every 10 s, and whatever
  // has arrived is read.
  void idle() override {
    if (Clock::now() - last_sent_ > 10s) {
      std::size_t start = begin_frame();
      Encoder e{out_};
      e.i32(kPingXid);
      e.i32(op_ping);
      end_frame(start);
    }
    pollfd p{fd_, POLLIN, 0};
    if (flush() && ::poll(&p, 1, 0) > 0) receive();
  }

 private:
  std::size_t begin_frame() {
    std::size_t start = out_.size();
    out_.append(4, '\0');
    return start;
  }
  void end_frame(std::size_t start) {
    std::uint32_t len = htonl(static_cast<std::uint32_t>(out_.size() - start - 4));
    std::memcpy(out_.data() + start, &len, 4);
  }

  void request(Op op, const std::string& path, std::string_view payload) {
    std::size_t start = begin_frame();
    Encoder e{out_};
    e.i32(++xid_);
    switch (op) {
      case Op::create:
        e.i32(op_create2);
        e.bytes(path);
        e.bytes(payload);
        e.i32(1);  // the open ACL: all permissions for world:anyone
        e.i32(31);
        e.bytes("world");
        e.bytes("anyone");
        e.i32(0);  // persistent
        break;
      case Op::get:
        e.i32(op_get_data);
        e.bytes(path);
        e.boolean(false);
        break;
      case Op::set:
        e.i32(op_set_data);
        e.bytes(path);
        e.bytes(payload);
        e.i32(-1);
        break;
      case Op::remove:
        e.i32(op_delete);
        e.bytes(path);
        e.i32(-1);
        break;
      case Op::watch_exists:
        e.i32(op_exists);
        e.bytes(path);
        e.boolean(true);
        break;
    }
    end_frame(start);
  }

  // Writes what is queued, then waits for and handles replies until `done()` or the deadline
  // (checked at least every 200 ms).
  template <class Done>
  bool run(Done&& done, Deadline deadline) {
    while (failure_.empty()) {
      if (!flush()) return false;
      if (done()) return true;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left < 0) return false;
      pollfd p{fd_, static_cast<short>(POLLIN | (out_.size() > out_sent_ ? POLLOUT : 0)), 0};
      int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 200)));
      if (r < 0 && errno != EINTR) return fail("poll: " + std::string(std::strerror(errno)));
      if (r == 0) run_idle_hook();  // nothing for 200 ms: the other clients' sessions get a turn
      if (r > 0 && (p.revents & (POLLIN | POLLERR | POLLHUP)) && !receive()) return false;
    }
    return false;
  }

  // One wake-up's reads (again only while a read fills the buffer), every whole frame handled;
  // requests those frames issue collect in out_ and leave together in the next flush().
  bool receive() {
    for (;;) {
      if (in_.size() < in_used_ + kReadSize) in_.resize(in_used_ + kReadSize);
      ssize_t n = ::read(fd_, in_.data() + in_used_, kReadSize);
      if (n == 0) return fail("connection closed by the server");
      if (n < 0) return errno == EAGAIN || errno == EINTR ? true : fail("read: " + std::string(std::strerror(errno)));
      in_used_ += static_cast<std::size_t>(n);
      std::size_t off = 0;
      while (in_used_ - off >= 4) {
        auto len = static_cast<std::size_t>(be32(in_.data() + off));
        if (len < 16 && in_used_ - off >= 4 + len) return fail("a frame too short for a reply");
        if (in_used_ - off < 4 + len) break;
        if (on_frame_) on_frame_(in_.data() + off + 4, len);
        off += 4 + len;
      }
      std::memmove(in_.data(), in_.data() + off, in_used_ - off);
      in_used_ -= off;
      if (static_cast<std::size_t>(n) < kReadSize) return true;
    }
  }

  bool flush() {
    while (out_sent_ < out_.size()) {
      ssize_t n = ::write(fd_, out_.data() + out_sent_, out_.size() - out_sent_);
      if (n < 0) {
        if (errno == EAGAIN) return true;  // the rest when poll says the socket has room
        if (errno == EINTR) continue;
        return fail("write: " + std::string(std::strerror(errno)));
      }
      out_sent_ += static_cast<std::size_t>(n);
      last_sent_ = Clock::now();
    }
    out_.clear();
    out_sent_ = 0;
    return true;
  }

  bool fail(std::string why) {
    if (failure_.empty()) failure_ = std::move(why);
    return false;
  }

  int fd_ = -1;
  std::int32_t xid_ = 0;
  std::string out_;
  std::size_t out_sent_ = 0;
  std::string in_;
  std::size_t in_used_ = 0;
  std::function<void(const char*, std::size_t)> on_frame_;
  Clock::time_point last_sent_ = Clock::now();
  std::string failure_;
};

}  // namespace

std::unique_ptr<Driver> connect_raw(const std::string& hosts, Deadline deadline, std::string& error) {
  auto d = std::make_unique<RawDriver>();
  if (!d->connect(hosts, deadline, error)) return nullptr;
  return d;
}

}  // namespace zkit::bench
