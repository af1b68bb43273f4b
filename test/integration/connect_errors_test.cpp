// Connections that say what is wrong (issue 12, item 3): when no server answers, the error a
// user sees carries the last attempt's cause; an attempt whose SYN is dropped gives up after
// the connect deadline, not the read timeout; a missing chroot is named.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support.hpp"

using namespace zkit;
using namespace zkit::test;

namespace {

// A loopback port nothing listens on: bound, then closed (connects to it are refused).
int refusing_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  ::close(fd);
  return ntohs(a.sin_port);
}

// A listening socket that never accepts, with its accept queue full: the kernel drops every
// further SYN (as a server whose listen backlog overflowed does), so a connect to it stalls.
class FullAcceptQueue {
 public:
  FullAcceptQueue() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener_ >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(listener_, 0) == 0);  // a queue of one connection
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    port_ = ntohs(a.sin_port);
    // A blocking connect completes (the queue had room) and fills the queue.
    filler_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(::connect(filler_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  }
  ~FullAcceptQueue() {
    ::close(filler_);
    ::close(listener_);
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int listener_ = -1;
  int filler_ = -1;
  int port_ = 0;
};

// A get on a session that reaches no server; its deadline ends it.
Result<Data> get_unanswered(Loop& loop, Options o) {
  o.request_timeout = 1500ms;
  auto s = Session::start(loop.get(), std::move(o));
  REQUIRE(s.ok());
  std::optional<Result<Data>> got;
  s->get("/x", {}, [&](Result<Data> r) { got.emplace(std::move(r)); });
  REQUIRE(loop.run_until([&] { return got.has_value(); }, scaled(20s)));
  close(loop, *s);
  return std::move(*got);
}

}  // namespace

TEST_CASE("a request no server answered names the refused port of the last attempt") {
  Loop loop;
  std::string where = "127.0.0.1:" + std::to_string(refusing_port());
  auto r = get_unanswered(loop, options_for(where, 10s));
  REQUIRE_FALSE(r.ok());
  CHECK(r.code() == Errc::request_timeout);
  CHECK_MESSAGE(r.error().message().find("no server answered; last attempt: cannot connect to " + where +
                                         ": connection refused") != std::string::npos,
                r.error().message());
}

TEST_CASE("a request no server answered names the name that did not resolve") {
  Loop loop;
  auto r = get_unanswered(loop, options_for("nonexistent.invalid:2181", 10s));
  REQUIRE_FALSE(r.ok());
  CHECK(r.code() == Errc::request_timeout);
  CHECK_MESSAGE(r.error().message().find("last attempt: cannot resolve nonexistent.invalid:2181") != std::string::npos,
                r.error().message());
}

TEST_CASE("an attempt whose SYN is dropped gives up after the connect deadline, not the read timeout") {
  FullAcceptQueue blackhole;
  Loop loop;
  // Session timeout 30 s: the read timeout of an open connection is 20 s, the connect
  // deadline 3 s (a tenth of it).
  Options o = options_for(blackhole.address(), 30s);
  auto s = Session::start(loop.get(), std::move(o));
  REQUIRE(s.ok());
  REQUIRE(loop.run_until([&] { return !s->last_failure().empty(); }, scaled(15s)));
  CHECK_MESSAGE(s->last_failure() == "connection attempt to " + blackhole.address() + " timed out after 3000 ms",
                s->last_failure());
  CHECK(s->state() == SessionState::connecting);
  close(loop, *s);
}

TEST_CASE("Options::connect_timeout sets the deadline of one attempt") {
  FullAcceptQueue blackhole;
  Loop loop;
  Options o = options_for(blackhole.address(), 30s);
  o.connect_timeout = 700ms;
  auto s = Session::start(loop.get(), std::move(o));
  REQUIRE(s.ok());
  REQUIRE(loop.run_until([&] { return !s->last_failure().empty(); }, scaled(15s)));
  CHECK_MESSAGE(s->last_failure() == "connection attempt to " + blackhole.address() + " timed out after 700 ms",
                s->last_failure());
  close(loop, *s);
}

TEST_CASE("a negative connect_timeout is refused before anything is dialled") {
  Loop loop;
  Options o = options_for("127.0.0.1:2181", 10s);
  o.connect_timeout = -1ms;
  auto s = Session::start(loop.get(), std::move(o));
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == Errc::bad_arguments);
  CHECK(s.error().message().find("connect_timeout") != std::string::npos);
}

TEST_CASE("a session that expires locally says why the servers could not be reached") {
  auto started = zkit::testing::Cluster::start({.size = 1, .tick_ms = 500});
  REQUIRE_MESSAGE(started.ok(), (started.ok() ? "" : started.error().message()));
  auto& server = *started.value();
  Loop loop;
  Worker worker;
  Options o = options_for(server.connect_string(), 2000ms);
  o.request_timeout = 0ms;  // only the expiry ends the call below
  Session s = connect(loop, std::move(o));
  auto killed = loop.offload<Result<void>>(worker, [&] { return server.kill(1); });
  REQUIRE(killed.ok());
  REQUIRE(loop.run_until([&] { return s.state() == SessionState::suspended; }));
  std::optional<Result<Data>> got;
  s.get("/x", {}, [&](Result<Data> r) { got.emplace(std::move(r)); });
  REQUIRE(loop.run_until([&] { return got.has_value(); }, scaled(20s)));
  CHECK(s.state() == SessionState::expired);
  CHECK(got->code() == Errc::session_expired);
  CHECK_MESSAGE(got->error().message().find("no server was reached within 2000 ms; last attempt: cannot connect to " +
                                            server.address(1) + ": connection refused") != std::string::npos,
                got->error().message());
  close(loop, s);
}

TEST_CASE("a chroot that does not exist is named in the no_node errors under it") {
  Loop loop;
  std::string chroot = unique_path("missing-chroot");
  Session s = connect(loop, options_for(shared_server().connect_string() + chroot));
  auto r = await(loop, s.create("/a", "x"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.code() == Errc::no_node);
  CHECK_MESSAGE(r.error().message().find("the chroot " + chroot + " did not exist on") != std::string::npos,
                r.error().message());
  // Once it exists, no_node means the node again.
  Session root = connect(loop);
  REQUIRE(await(loop, root.create(chroot, "")).ok());
  REQUIRE(await(loop, s.create("/a", "x")).ok());
  auto missing = await(loop, s.get("/nothing-here"));
  CHECK(missing.code() == Errc::no_node);
  CHECK(missing.error().message().find("chroot") == std::string::npos);
  close(loop, root);
  close(loop, s);
}
