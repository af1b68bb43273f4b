// Bad input from the network: a peer that completes the handshake and then misbehaves. The
// session must close that connection with a logged reason, fail what was pending exactly once
// and never crash. (A real ZooKeeper server never sends these frames, so this peer is ours.)
#include "support.hpp"

#include "dropped_call.hpp"
#include "proto/records.hpp"
#include "scripted_peer.hpp"

using namespace zkit;
using namespace zkit::test;

namespace {

// A peer that completes the handshake and answers every request with `reply(xid)`.
Script answering(Function<std::string(std::int32_t xid)> reply) {
  return Script{.what = Misbehaviour::answers, .reply = std::move(reply)};
}

void expect_connection_dropped(Function<std::string(std::int32_t)> reply, std::string_view reason_part) {
  Loop loop;
  ScriptedPeer peer(loop.get(), answering(std::move(reply)));
  expect_call_dropped(loop, options_for(peer.address(), 4000ms), {reason_part});
}

}  // namespace

TEST_CASE("a frame longer than the limit closes the connection with a logged reason") {
  expect_connection_dropped([](std::int32_t) { return std::string("\x7f\xff\xff\xff", 4); }, "exceeds the limit");
}

TEST_CASE("a negative frame length closes the connection") {
  expect_connection_dropped([](std::int32_t) { return std::string("\xff\xff\xff\xfe", 4); }, "negative frame length");
}

TEST_CASE("a reply to a request that was never sent closes the connection") {
  expect_connection_dropped([](std::int32_t xid) { return frame_of(reply_header(xid + 7)); }, "does not match");
}

TEST_CASE("a reply whose body does not decode fails its request once, with connection_loss") {
  // GetDataResponse whose buffer claims more bytes than the frame holds.
  expect_connection_dropped([](std::int32_t xid) { return frame_of(reply_header(xid) + std::string("\x00\x00\x10\x00" "ab", 6)); },
                            "malformed reply");
}

TEST_CASE("a truncated reply header closes the connection") {
  expect_connection_dropped([](std::int32_t) { return frame_of(std::string("\x00\x00\x00", 3)); }, "malformed reply header");
}

TEST_CASE("a request without a reply fails with request_timeout once and the session stays up") {
  Loop loop;
  ScriptedPeer peer(loop.get(), answering([](std::int32_t) { return std::string(); }));  // never answers
  Options o = options_for(peer.address(), 4000ms);
  o.request_timeout = 200ms;
  Session s = connect(loop, std::move(o));
  int calls = 0;
  Errc code = Errc::ok;
  s.get("/x", {}, [&](Result<Data> r) {
    ++calls;
    code = r.code();
  });
  REQUIRE(loop.run_until([&] { return calls > 0; }));
  CHECK(code == Errc::request_timeout);
  CHECK(s.state() == SessionState::connected);
  bool closed = false;
  s.close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
  CHECK(calls == 1);
}

// --- issue 11 item 9: more hostile frames ---------------------------------------------------

namespace {

// What a session against a hostile peer went through: every log line, and each call's result.
struct Logged {
  std::vector<std::string> lines;
  bool mentions(std::string_view part) const {
    for (auto& m : lines)
      if (m.find(part) != std::string::npos) return true;
    return false;
  }
};

// One call's completions: how many, and the code of the last.
struct Calls {
  int count = 0;
  Errc code = Errc::ok;
  template <class T>
  Callback<T> record() {
    return [this](Result<T> r) {
      ++count;
      code = r.code();
    };
  }
};

Options logging_options(const ScriptedPeer& peer, std::chrono::milliseconds timeout, Logged& logged) {
  Options o = options_for(peer.address(), timeout);
  o.log_level = LogLevel::debug;
  o.logger = [&logged](LogLevel, std::string_view m) { logged.lines.emplace_back(m); };
  return o;
}

void close_session(Loop& loop, Session& s) {
  bool closed = false;
  s.close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
}

// A reply whose body is `record` (after a header for `xid` with no error), framed.
std::string reply_with(std::int32_t xid, std::string_view record) { return frame_of(reply_header(xid) + std::string(record)); }

std::string i32_bytes(std::int32_t v) {
  std::string out;
  proto::Writer w(out);
  w.i32(v);
  return out;
}

}  // namespace

TEST_CASE("replies out of order close the connection and fail each pending request once") {
  Loop loop;
  // Holds the first reply back and sends it after the second's.
  std::string held;
  ScriptedPeer peer(loop.get(), answering([&](std::int32_t xid) -> std::string {
    std::string mine = reply_with(xid, i32_bytes(0) + std::string(68, '\0'));  // data "", zero Stat
    if (held.empty()) {
      held = mine;
      return {};
    }
    return mine + held;
  }));
  Logged logged;
  Session s = connect(loop, logging_options(peer, 4000ms, logged));
  Calls first, second;
  s.get("/a", {}, first.record<Data>());
  s.get("/b", {}, second.record<Data>());
  REQUIRE(loop.run_until([&] { return first.count > 0 && second.count > 0; }));
  CHECK(first.code == Errc::connection_loss);
  CHECK(second.code == Errc::connection_loss);
  CHECK(logged.mentions("does not match"));
  close_session(loop, s);
  CHECK(first.count == 1);
  CHECK(second.count == 1);
}

TEST_CASE("absurd counts and lengths in a reply are refused before anything is allocated") {
  struct Case {
    const char* what;
    bool children;  // the reply is to get_children, else to get
    std::string record;
  };
  const Case cases[] = {
      {"a data length of 2^31-1", false, i32_bytes(INT32_MAX) + "abc"},
      {"a data length of -7", false, i32_bytes(-7) + std::string(68, '\0')},
      {"a child count of 2^31-1", true, i32_bytes(INT32_MAX) + i32_bytes(1) + "a"},
      {"a child count of -9", true, i32_bytes(-9)},
      {"a child name of length 2^31-1", true, i32_bytes(1) + i32_bytes(INT32_MAX) + "a"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    Loop loop;
    std::string record = c.record;
    ScriptedPeer peer(loop.get(), answering([&](std::int32_t xid) { return reply_with(xid, record); }));
    Logged logged;
    Session s = connect(loop, logging_options(peer, 4000ms, logged));
    Calls got;
    if (c.children) s.get_children("/x", {}, got.record<Children>());
    else s.get("/x", {}, got.record<Data>());
    REQUIRE(loop.run_until([&] { return got.count > 0; }));
    CHECK(got.code == Errc::connection_loss);
    CHECK(logged.mentions("malformed reply"));
    close_session(loop, s);
    CHECK(got.count == 1);
  }
}

TEST_CASE("a flood of unsolicited pings and events neither crashes nor keeps a request alive") {
  Loop loop;
  Script script = answering([](std::int32_t) { return std::string(); });  // never answers
  script.after_handshake = [] {
    std::string ping = frame_of(reply_header(proto::kPingXid));
    std::string body = reply_header(proto::kNotificationXid);
    proto::Writer w(body);
    proto::encode(w, proto::WatcherEvent{3, 3, "/nobody-watches"});
    std::string event = frame_of(body);
    std::string flood;
    for (int i = 0; i < 20000; ++i) flood += i % 2 ? ping : event;
    return flood;
  };
  ScriptedPeer peer(loop.get(), std::move(script));
  Logged logged;
  Options o = logging_options(peer, 4000ms, logged);
  o.request_timeout = 300ms;
  Session s = connect(loop, std::move(o));
  Calls got;
  s.get("/x", {}, got.record<Data>());
  REQUIRE(loop.run_until([&] { return got.count > 0; }));
  CHECK(got.code == Errc::request_timeout);  // the pings kept the connection, not the request
  CHECK(s.state() == SessionState::connected);
  close_session(loop, s);
  CHECK(got.count == 1);
}

TEST_CASE("a frame cut short and then silence: the read timeout drops the connection") {
  Loop loop;
  ScriptedPeer peer(loop.get(), answering([](std::int32_t xid) {
    return reply_with(xid, i32_bytes(1) + "x" + std::string(68, '\0')).substr(0, 20);  // 20 of 93 bytes
  }));
  Logged logged;
  Options o = logging_options(peer, 1500ms, logged);
  o.request_timeout = 0ms;  // only the read timeout can end this call
  Session s = connect(loop, std::move(o));
  Calls got;
  s.get("/x", {}, got.record<Data>());
  REQUIRE(loop.run_until([&] { return got.count > 0; }, scaled(10s)));
  CHECK(got.code == Errc::connection_loss);
  CHECK(logged.mentions("nothing heard from " + peer.address()));
  close_session(loop, s);
  CHECK(got.count == 1);
}

TEST_CASE("a connect response granting a zero or negative timeout ends the session as expired, once") {
  for (std::int32_t granted : {0, -1, INT32_MIN}) {
    CAPTURE(granted);
    Loop loop;
    Script script = answering([](std::int32_t) { return std::string(); });
    script.granted_timeout_ms = granted;
    ScriptedPeer peer(loop.get(), std::move(script));
    Logged logged;
    auto s = Session::start(loop.get(), logging_options(peer, 3000ms, logged));
    REQUIRE(s.ok());
    Calls got;
    s->get("/x", {}, got.record<Data>());
    REQUIRE(loop.run_until([&] { return got.count > 0; }, scaled(10s)));
    // As the Java client does: a grant of no time is the server saying the session is gone.
    CHECK(got.code == Errc::session_expired);
    CHECK(s->state() == SessionState::expired);
    CHECK(logged.mentions("expired"));
    CHECK(peer.connections() == 1);  // an expired session does not reconnect
    close_session(loop, *s);
    CHECK(got.count == 1);
  }
}

TEST_CASE("a peer that never answers the handshake: attempts time out, retried, and the request fails once") {
  Loop loop;
  ScriptedPeer peer(loop.get(), Script{.what = Misbehaviour::silent});
  Logged logged;
  Options o = logging_options(peer, 1500ms, logged);
  o.request_timeout = 2500ms;
  auto s = Session::start(loop.get(), std::move(o));
  REQUIRE(s.ok());
  Calls got;
  s->get("/x", {}, got.record<Data>());
  REQUIRE(loop.run_until([&] { return got.count > 0; }, scaled(10s)));
  CHECK(got.code == Errc::request_timeout);
  CHECK(peer.connections() >= 2);  // the stalled attempt was given up and another made
  CHECK(logged.mentions("connection attempt to " + peer.address() + " timed out"));
  CHECK(s->state() == SessionState::connecting);
  close_session(loop, *s);
  CHECK(got.count == 1);
}
