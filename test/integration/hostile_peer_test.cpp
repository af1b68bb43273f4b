// Bad input from the network: a peer that completes the handshake and then misbehaves. The
// session must close that connection with a logged reason, fail what was pending exactly once
// and never crash. (A real ZooKeeper server never sends these frames, so this peer is ours.)
#include "support.hpp"

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
  std::vector<std::string> logged;
  Options o = options_for(peer.address(), 4000ms);
  o.log_level = LogLevel::warning;
  o.logger = [&](LogLevel, std::string_view m) { logged.emplace_back(m); };
  Session s = connect(loop, std::move(o));
  int calls = 0;
  Errc code = Errc::ok;
  s.get("/x", {}, [&](Result<Data> r) {
    ++calls;
    code = r.code();
  });
  REQUIRE(loop.run_until([&] { return calls > 0; }));
  CHECK(code == Errc::connection_loss);
  CHECK(s.state() == SessionState::suspended);
  bool found = false;
  for (auto& m : logged) found |= m.find(reason_part) != std::string::npos;
  CHECK_MESSAGE(found, "no log line mentions \"" << reason_part << "\"");
  bool closed = false;
  s.close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
  CHECK(calls == 1);
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
