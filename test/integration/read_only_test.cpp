// Read-only mode: a session allowed to use a minority member, and its move to read-write.
#include <thread>

#include "support.hpp"
#include "zkit/testing/four_letter_word.hpp"

using namespace zkit;
using namespace zkit::test;

namespace {

// Whether `member` says "Mode: read-only" within `timeout`. A member that was the leader keeps
// serving read-write until its next quorum check; a session started in that window gets a
// global session, which the read-only server then expires. The server has no event to await:
// its mode is polled.
bool becomes_read_only(const zkit::testing::Cluster& zk, int member, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto srvr = zkit::testing::four_letter_word(zk.address(member), "srvr", 2s);
    if (srvr && srvr->find("Mode: read-only") != std::string::npos) return true;
    std::this_thread::sleep_for(100ms);  // the poll's period
  }
  return false;
}

}  // namespace

TEST_CASE("a read-only session reads from a minority member, refuses writes, then moves to read-write") {
  zkit::testing::ClusterOptions o{.size = 3, .tick_ms = 500};
  // Read-only members need local sessions (protocol doc §13).
  o.jvm_options = {"-Dreadonlymode.enabled=true"};
  o.config_lines = {"localSessionsEnabled=true", "localSessionsUpgradingEnabled=true"};
  auto started = zkit::testing::Cluster::start(std::move(o));
  REQUIRE_MESSAGE(started.ok(), (started.ok() ? "" : started.error().message()));
  auto& zk = *started.value();
  Loop loop;
  {
    Session w = connect(loop, options_for(zk.connect_string(), 8000ms));
    REQUIRE(await(loop, w.create("/ro", "before")).ok());
    bool closed = false;
    w.close([&] { closed = true; });
    REQUIRE(loop.run_until([&] { return closed; }));
  }
  REQUIRE(zk.kill(2).ok());
  REQUIRE(zk.kill(3).ok());
  REQUIRE(becomes_read_only(zk, 1, scaled(60s)));

  Options opts = options_for(zk.connect_string(), 8000ms);
  opts.can_be_read_only = true;
  auto started_session = Session::start(loop.get(), std::move(opts));
  REQUIRE(started_session.ok());
  Session s = std::move(started_session).value();
  std::vector<SessionState> states;
  s.add_listener([&](SessionState st) { states.push_back(st); });
  INFO("session state: ", to_string(s.state()));
  REQUIRE(loop.run_until([&] { return s.state() == SessionState::read_only; }, scaled(60s)));
  std::int64_t read_only_id = s.session_id();

  auto read = await(loop, s.get("/ro"));
  REQUIRE(read.ok());
  CHECK(read->data == "before");
  CHECK(await(loop, s.create("/ro/child", "")).code() == Errc::not_read_only);
  std::vector<WatchEvent> events;
  REQUIRE(await(loop, s.get("/ro", [&](const WatchEvent& e) { events.push_back(e); })).ok());

  REQUIRE(zk.restart(2).ok());
  REQUIRE(loop.run_until([&] { return s.state() == SessionState::connected; }, scaled(60s)));
  CHECK(s.session_id() != read_only_id);  // a read-only session is local: read-write means a new one
  REQUIRE(await(loop, s.set("/ro", "after")).ok());
  REQUIRE(loop.run_until([&] { return !events.empty(); }));
  CHECK(events[0].type == EventType::node_data_changed);  // the watch moved with the session
  CHECK(states.front() == SessionState::read_only);
  CHECK(states.back() == SessionState::connected);
}
