// FaultProxy between a real zkit::Client and a real server: each fault, and what the session
// makes of it.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "helpers.hpp"
#include "proto/opcodes.hpp"
#include "socket.hpp"
#include "zkit/client.hpp"
#include "zkit/testing/fault_proxy.hpp"

using namespace std::chrono_literals;
using namespace zkit::testing;
using std::chrono::milliseconds;
using zkit::Errc;
using zkit::SessionState;

namespace {

// One server for every test in this file (distinct paths and sessions). Ticks of 500 ms allow
// sessions of 1-10 s, so timeouts can be provoked quickly.
Cluster& server() {
  static std::unique_ptr<Cluster> zk = test::start_or_fail({.tick_ms = 500});
  return *zk;
}

std::unique_ptr<FaultProxy> proxy_to(const std::string& upstream) {
  auto p = FaultProxy::start(upstream);
  REQUIRE_OK(p);
  return std::move(p).value();
}

zkit::Client open_client(const std::string& connect, milliseconds session_timeout = scaled(4s)) {
  // Short backoff: a session retries at once when a fault ends. Connection losses are the
  // point of these tests, so zkit's warnings about them stay quiet.
  auto c = zkit::Client::open({.connect = connect,
                               .session_timeout = session_timeout,
                               .backoff_initial = 20ms,
                               .backoff_max = 200ms,
                               .log_level = zkit::LogLevel::error});
  REQUIRE_OK(c);
  return std::move(c).value();
}

// StateLog: every state a session goes through, for the test thread to wait on. Declare it
// before the Client it listens to, so that it outlives the Client's thread.
class StateLog {
 public:
  zkit::StateListener listener() {
    return [this](SessionState s) {
      std::lock_guard lock(mu_);
      states_.push_back(s);
      cv_.notify_all();
    };
  }
  // Waits until the session has reached `s` (true) or `timeout` passed (false).
  bool wait_for(SessionState s, milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
      return std::find(states_.begin(), states_.end(), s) != states_.end();
    });
  }
  std::vector<SessionState> states() const {
    std::lock_guard lock(mu_);
    return states_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<SessionState> states_;
};

// EventLog: watch events, likewise.
class EventLog {
 public:
  zkit::Watcher watcher() {
    return [this](const zkit::WatchEvent& e) {
      std::lock_guard lock(mu_);
      events_.push_back(e.type);
      cv_.notify_all();
    };
  }
  bool wait_for(zkit::EventType t, milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
      return std::find(events_.begin(), events_.end(), t) != events_.end();
    });
  }
  std::size_t size() const {
    std::lock_guard lock(mu_);
    return events_.size();
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<zkit::EventType> events_;
};

const zkit::CreateOptions kEphemeral{.mode = zkit::CreateMode::ephemeral};

bool exists(zkit::Client& c, std::string_view path) {
  auto r = c.exists(path);
  REQUIRE_OK(r);
  return r->has_value();
}

}  // namespace

TEST_CASE("a_session_through_the_proxy_creates_and_reads_nodes") {
  auto proxy = proxy_to(server().address(1));
  auto c = open_client(proxy->address());
  REQUIRE_OK(c.create("/proxy-forward", "hello"));
  auto got = c.get("/proxy-forward");
  REQUIRE_OK(got);
  CHECK(got->data == "hello");
  CHECK(proxy->connections_accepted() == 1);
  CHECK(proxy->active_connections() == 1);
  CHECK(proxy->requests_forwarded() >= 2);
  // A four-letter word is no frame: the proxy passes it on raw, and the server's close back.
  auto ruok = four_letter_word(proxy->address(), "ruok", scaled(5s));
  REQUIRE_OK(ruok);
  CHECK(*ruok == "imok");
}

TEST_CASE("drop_connections_suspends_the_session_which_reconnects_with_the_same_id") {
  auto proxy = proxy_to(server().address(1));
  StateLog log;
  auto c = open_client(proxy->address());
  c.add_listener(log.listener());
  REQUIRE_OK(c.create("/proxy-drop", "", kEphemeral));
  const auto id = c.session_id();

  proxy->drop_connections();
  CHECK(proxy->active_connections() == 0);

  REQUIRE(log.wait_for(SessionState::reconnected, scaled(10s)));
  CHECK(log.states() == std::vector{SessionState::suspended, SessionState::reconnected});
  CHECK(c.session_id() == id);
  CHECK(proxy->connections_accepted() == 2);
  CHECK(proxy->active_connections() == 1);
  CHECK(exists(c, "/proxy-drop"));  // the ephemeral lives on with the session
}

TEST_CASE("a_stall_past_the_read_timeout_but_short_of_expiry_suspends_and_the_session_resumes") {
  auto proxy = proxy_to(server().address(1));
  StateLog log;
  auto c = open_client(proxy->address(), scaled(3s));
  c.add_listener(log.listener());
  REQUIRE_OK(c.create("/proxy-stall-short", "", kEphemeral));
  const auto id = c.session_id();
  const milliseconds timeout = c.negotiated_timeout();

  // A request right before the stall: the server and the client both last heard of each other
  // now, so the session's clock on either side starts here.
  REQUIRE_OK(c.sync("/"));
  const auto stalled_at = std::chrono::steady_clock::now();
  proxy->stall(true);
  // Nothing heard for 2/3 of the timeout: the connection is given up.
  REQUIRE(log.wait_for(SessionState::suspended, timeout + scaled(2s)));
  // The fault itself lasts 80% of the session timeout: past the read timeout, short of expiry.
  std::this_thread::sleep_until(stalled_at + timeout * 4 / 5);
  proxy->stall(false);

  REQUIRE(log.wait_for(SessionState::reconnected, scaled(10s)));
  CHECK(log.states() == std::vector{SessionState::suspended, SessionState::reconnected});
  CHECK(c.session_id() == id);
  CHECK(exists(c, "/proxy-stall-short"));
}

TEST_CASE("a_stall_longer_than_the_session_timeout_expires_the_session_and_its_ephemeral") {
  auto proxy = proxy_to(server().address(1));
  auto observer = open_client(server().address(1));
  EventLog events;
  StateLog log;
  auto c = open_client(proxy->address(), scaled(2s));
  c.add_listener(log.listener());
  REQUIRE_OK(c.create("/proxy-stall-long", "", kEphemeral));
  auto watched = observer.exists("/proxy-stall-long", events.watcher());
  REQUIRE_OK(watched);
  REQUIRE(watched->has_value());
  const milliseconds timeout = c.negotiated_timeout();

  proxy->stall(true);
  REQUIRE(log.wait_for(SessionState::expired, timeout + scaled(5s)));
  // The server, which heard nothing either, expires the session too and deletes the node.
  REQUIRE(events.wait_for(zkit::EventType::node_deleted, timeout + scaled(5s)));
  proxy->stall(false);

  CHECK(log.states() == std::vector{SessionState::suspended, SessionState::expired});
  CHECK(c.exists("/").code() == Errc::session_expired);
  CHECK_FALSE(exists(observer, "/proxy-stall-long"));
}

TEST_CASE("a_cut_after_a_create_loses_the_reply_but_the_server_applied_it") {
  auto proxy = proxy_to(server().address(1));
  auto observer = open_client(server().address(1));
  EventLog events;
  StateLog log;
  auto c = open_client(proxy->address());
  c.add_listener(log.listener());
  const auto id = c.session_id();
  auto watched = observer.exists("/proxy-cut", events.watcher());
  REQUIRE_OK(watched);
  REQUIRE_FALSE(watched->has_value());

  // zkit sends create2 (15); plain create (1) is for older clients.
  proxy->cut_after_next_request(static_cast<std::int32_t>(zkit::proto::Op::create2));
  const auto forwarded = proxy->requests_forwarded();
  auto created = c.create("/proxy-cut", "data");
  CHECK(created.code() == Errc::connection_loss);
  CHECK(proxy->requests_forwarded() >= forwarded + 1);  // (a ping may go by as well)

  // Applied all the same: the node appears, and the same session finds it once back.
  REQUIRE(events.wait_for(zkit::EventType::node_created, scaled(10s)));
  REQUIRE(log.wait_for(SessionState::reconnected, scaled(10s)));
  CHECK(c.session_id() == id);
  CHECK(exists(c, "/proxy-cut"));
  CHECK(c.create("/proxy-cut", "again").code() == Errc::node_exists);
  // One shot: the next create goes through.
  REQUIRE_OK(c.create("/proxy-cut-2", ""));
}

TEST_CASE("a_cut_on_another_opcode_lets_creates_through_and_catches_the_first_match") {
  auto proxy = proxy_to(server().address(1));
  auto c = open_client(proxy->address());
  REQUIRE_OK(c.create("/proxy-cut-set", "v0"));
  proxy->cut_after_next_request(static_cast<std::int32_t>(zkit::proto::Op::set_data));
  REQUIRE_OK(c.create("/proxy-cut-set/child", ""));
  REQUIRE_OK(c.get("/proxy-cut-set"));
  CHECK(c.set("/proxy-cut-set", "v1").code() == Errc::connection_loss);
  auto got = c.get("/proxy-cut-set");  // queued until the session is back
  REQUIRE_OK(got);
  CHECK(got->data == "v1");
  CHECK(proxy->connections_accepted() == 2);
}

TEST_CASE("a_delay_slows_both_directions_but_keeps_every_reply_and_event_in_order") {
  auto proxy = proxy_to(server().address(1));
  auto observer = open_client(server().address(1));
  StateLog log;
  auto c = open_client(proxy->address());
  c.add_listener(log.listener());
  REQUIRE_OK(c.create("/proxy-delay", "0"));
  proxy->set_delay(scaled(150ms));

  // Each conditional set needs the previous one applied: they complete, in order.
  for (int v = 0; v < 4; ++v) REQUIRE_OK(c.set("/proxy-delay", std::to_string(v + 1), v));
  EventLog events;
  REQUIRE_OK(c.get("/proxy-delay", events.watcher()));
  REQUIRE_OK(observer.set("/proxy-delay", "changed"));
  // The server sent the event before this reply; behind the delay it still arrives first.
  auto got = c.get("/proxy-delay");
  REQUIRE_OK(got);
  CHECK(got->data == "changed");
  CHECK(events.size() == 1);

  proxy->set_delay(0ms);
  REQUIRE_OK(c.set("/proxy-delay", "fast", 5));
  CHECK(log.states().empty());  // a delay well under the read timeout loses nothing
}

TEST_CASE("refuse_keeps_a_session_suspended_until_turned_off") {
  auto proxy = proxy_to(server().address(1));
  StateLog log;
  auto c = open_client(proxy->address(), scaled(6s));
  c.add_listener(log.listener());
  const auto id = c.session_id();

  proxy->refuse(true);
  proxy->drop_connections();
  REQUIRE(log.wait_for(SessionState::suspended, scaled(5s)));
  // Three reconnect attempts came and were turned away.
  REQUIRE(proxy->wait_accepted(4, scaled(5s)));
  CHECK(proxy->active_connections() == 0);
  CHECK(c.state() == SessionState::suspended);

  proxy->refuse(false);
  REQUIRE(log.wait_for(SessionState::reconnected, scaled(10s)));
  CHECK(log.states() == std::vector{SessionState::suspended, SessionState::reconnected});
  CHECK(c.session_id() == id);
  REQUIRE_OK(c.exists("/"));
}

TEST_CASE("set_upstream_sends_the_reconnect_to_the_new_address") {
  // The "moved member" is a second proxy in front of the same server.
  auto moved = proxy_to(server().address(1));
  auto proxy = proxy_to(server().address(1));
  StateLog log;
  auto c = open_client(proxy->address());
  c.add_listener(log.listener());
  const auto id = c.session_id();

  REQUIRE_OK(proxy->set_upstream(moved->address()));
  CHECK(moved->connections_accepted() == 0);  // current connections stay where they are
  proxy->drop_connections();
  REQUIRE(log.wait_for(SessionState::reconnected, scaled(10s)));
  CHECK(moved->connections_accepted() == 1);
  CHECK(c.session_id() == id);
  REQUIRE_OK(c.exists("/"));
  CHECK(proxy->set_upstream("localhost:2181").code() == Errc::bad_arguments);
  CHECK(FaultProxy::start("127.0.0.1").code() == Errc::bad_arguments);
}

TEST_CASE("a_stalled_connection_holds_a_bounded_amount_and_delivers_it_all_in_order") {
  using namespace zkit::testing::detail;
  // The upstream is a plain socket of the test: the bytes are no ZooKeeper frames (their first
  // four read as a negative length), so the proxy forwards them raw.
  Fd listener(::socket(AF_INET, SOCK_STREAM, 0));
  REQUIRE(listener.get() >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(listener.get(), 4) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  auto proxy = proxy_to("127.0.0.1:" + std::to_string(ntohs(addr.sin_port)));

  // Far more than the proxy may hold plus what both sockets' kernel buffers take.
  constexpr std::size_t kTotal = 32u << 20;
  auto byte_at = [](std::size_t i) { return static_cast<char>(0xff - i % 251); };
  std::string payload(kTotal, '\0');
  for (std::size_t i = 0; i < kTotal; ++i) payload[i] = byte_at(i);

  proxy->stall(true);
  auto conn = Connection::open(proxy->address(), deadline_after(scaled(5s)));
  REQUIRE_OK(conn);
  std::atomic<bool> sent{false};
  std::thread writer([&] {
    auto r = conn->send(payload, deadline_after(scaled(30s)));
    sent = r.ok();
    ::shutdown(conn->fd(), SHUT_WR);
  });
  std::string received;
  std::thread reader([&] {
    Fd peer(::accept(listener.get(), nullptr, nullptr));
    char buf[64 * 1024];
    for (ssize_t n; peer.get() >= 0 && (n = ::read(peer.get(), buf, sizeof buf)) > 0;)
      received.append(buf, static_cast<std::size_t>(n));
  });

  // No event says "the proxy has stopped reading", so poll for its counter.
  auto deadline = deadline_after(scaled(10s));
  while (proxy->bytes_held() < FaultProxy::kMaxHeldBytes && Clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  CHECK(proxy->bytes_held() >= FaultProxy::kMaxHeldBytes);
  CHECK(proxy->bytes_held() <= FaultProxy::kMaxHeldBytes + 64 * 1024);  // at most one read more
  CHECK_FALSE(sent.load());  // the writer is held back by TCP

  proxy->stall(false);
  writer.join();
  reader.join();  // the proxy passes the writer's FIN on after the last byte
  CHECK(sent.load());
  CHECK(received.size() == kTotal);
  CHECK(received == payload);
  CHECK(proxy->bytes_held() == 0);
}
