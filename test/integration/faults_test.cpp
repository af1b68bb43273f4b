// Server restarts, member crashes and session expiry, against real servers.
#include "support.hpp"

#include "zkit/testing/session_killer.hpp"

using namespace zkit;
using namespace zkit::test;
using zkit::testing::Cluster;

namespace {

std::unique_ptr<Cluster> start_cluster(int size) {
  auto c = Cluster::start({.size = size, .tick_ms = 500});
  REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message()));
  return std::move(c).value();
}

// Counts completions per request, so a test can prove each callback fired exactly once.
struct Tally {
  std::vector<int> calls;
  std::vector<Errc> codes;
  explicit Tally(std::size_t n) : calls(n, 0), codes(n, Errc::ok) {}
  template <class T>
  Callback<T> slot(std::size_t i) {
    return [this, i](Result<T> r) {
      ++calls[i];
      codes[i] = r.code();
    };
  }
  std::size_t done() const {
    std::size_t n = 0;
    for (int c : calls) n += c > 0;
    return n;
  }
  bool each_once() const {
    for (int c : calls)
      if (c != 1) return false;
    return true;
  }
  std::size_t count(Errc e) const { return static_cast<std::size_t>(std::count(codes.begin(), codes.end(), e)); }
};

}  // namespace

TEST_CASE("a server restart under traffic fails outstanding requests once and resumes the session") {
  auto zk = start_cluster(1);
  Loop loop;
  Session s = connect(loop, options_for(zk->connect_string(), 8000ms));
  Session writer_later = connect(loop, options_for(zk->connect_string(), 8000ms));
  std::int64_t id = s.session_id();
  std::vector<SessionState> states;
  s.add_listener([&](SessionState st) { states.push_back(st); });

  std::string p = unique_path("restart");
  REQUIRE(await(loop, s.create(p, "")).ok());
  CreateOptions eph{.mode = CreateMode::ephemeral};
  REQUIRE(await(loop, s.create(p + "/eph", "", eph)).ok());
  std::vector<WatchEvent> events;
  REQUIRE(await(loop, s.get(p, [&](const WatchEvent& e) { events.push_back(e); })).ok());

  constexpr std::size_t kRequests = 2000;
  Tally tally(kRequests);
  for (std::size_t i = 0; i < kRequests; ++i) s.set(p, std::to_string(i), -1, tally.slot<Stat>(i));
  REQUIRE(loop.run_until([&] { return tally.done() >= 10; }));
  REQUIRE(zk->kill(1).ok());
  REQUIRE(loop.run_until([&] { return tally.done() == kRequests; }));
  CHECK(tally.count(Errc::connection_loss) > 0);
  CHECK(tally.count(Errc::ok) + tally.count(Errc::connection_loss) == kRequests);
  CHECK(s.state() == SessionState::suspended);

  REQUIRE(zk->restart(1).ok());
  REQUIRE(loop.run_until([&] { return s.state() == SessionState::reconnected; }));
  CHECK(s.session_id() == id);
  REQUIRE(await(loop, s.exists(p + "/eph")).value().has_value());

  // The watch survived the restart: it fires once for the next change.
  REQUIRE(loop.run_until([&] { return writer_later.state() == SessionState::reconnected; }));
  REQUIRE(await(loop, writer_later.set(p, "after")).ok());
  REQUIRE(loop.run_until([&] { return !events.empty(); }));
  CHECK(events.size() == 1);
  CHECK(events[0].type == EventType::node_data_changed);

  CHECK(states.at(0) == SessionState::suspended);
  CHECK(states.back() == SessionState::reconnected);
  CHECK(tally.each_once());
  bool closed = false;
  s.close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
  CHECK(tally.each_once());
}

TEST_CASE("an ensemble member crash moves the session to another member; missed changes fire on return") {
  auto zk = start_cluster(3);
  Loop loop;

  SUBCASE("the session survives the crash of its member") {
    Session s = connect(loop, options_for(zk->connect_string(), 8000ms));
    std::int64_t id = s.session_id();
    std::string p = unique_path("move");
    CreateOptions eph{.mode = CreateMode::ephemeral};
    REQUIRE(await(loop, s.create(p, "mine", eph)).ok());
    int member = 0;
    for (int m = 1; m <= zk->size(); ++m)
      if (zk->address(m) == s.connected_host()) member = m;
    REQUIRE(member != 0);
    REQUIRE(zk->kill(member).ok());
    REQUIRE(loop.run_until([&] { return s.state() == SessionState::reconnected; }));
    CHECK(s.session_id() == id);
    CHECK(s.connected_host() != zk->address(member));
    auto still = await(loop, s.get(p));
    REQUIRE(still.ok());
    CHECK(still->stat.ephemeral_owner == id);
    REQUIRE(zk->restart(member).ok());
  }

  SUBCASE("update_servers moves the session off a member that left the list") {
    Options o = options_for(zk->address(1) + "," + zk->address(2), 8000ms);  // hosts in order: member 1 first
    o.follow_ensemble = false;  // only update_servers changes the list here
    Session s = connect(loop, std::move(o));
    std::int64_t id = s.session_id();
    CHECK(s.connected_host() == zk->address(1));
    CHECK(s.update_servers("bad host:x").code() == Errc::bad_arguments);
    // The same members, reordered: a list that did not grow moves no session still listed
    // (growing it would move some with the rebalancing of docs/sessions.md).
    REQUIRE(s.update_servers(zk->address(2) + "," + zk->address(1)).ok());
    CHECK(s.connected_host() == zk->address(1));  // still listed: stays put
    REQUIRE(s.update_servers(zk->address(3)).ok());
    REQUIRE(loop.run_until([&] { return s.state() == SessionState::reconnected; }));
    CHECK(s.connected_host() == zk->address(3));
    CHECK(s.session_id() == id);
  }

  SUBCASE("changes made while the session was away fire its watches once on reconnection") {
    // Pinned to member 1, so the session cannot reconnect until that member is back.
    Session s = connect(loop, options_for(zk->address(1), 10000ms));
    Session writer = connect(loop, options_for(zk->address(2) + "," + zk->address(3), 10000ms));
    std::string p = unique_path("missed");
    REQUIRE(await(loop, writer.create(p, "0")).ok());
    REQUIRE(await(loop, s.sync(p)).ok());
    std::vector<WatchEvent> data, child, created, untouched;
    auto rec = [](std::vector<WatchEvent>& v) { return [&v](const WatchEvent& e) { v.push_back(e); }; };
    REQUIRE(await(loop, s.get(p, rec(data))).ok());
    REQUIRE(await(loop, s.get_children(p, rec(child))).ok());
    REQUIRE(await(loop, s.exists(p + "-new", rec(created))).ok());
    REQUIRE(await(loop, s.exists(p, rec(untouched))).ok());

    REQUIRE(zk->kill(1).ok());
    REQUIRE(loop.run_until([&] { return s.state() == SessionState::suspended; }));
    REQUIRE(loop.run_until([&] { return writer.state() != SessionState::suspended; }));
    auto w1 = writer.create(p + "/c", "");
    auto w2 = writer.create(p + "-new", "");
    auto w3 = writer.set(p, "1");
    REQUIRE(await(loop, std::move(w1)).ok());
    REQUIRE(await(loop, std::move(w2)).ok());
    REQUIRE(await(loop, std::move(w3)).ok());
    CHECK(data.empty());

    REQUIRE(zk->restart(1).ok());
    REQUIRE(loop.run_until([&] { return s.state() == SessionState::reconnected; }));
    REQUIRE(loop.run_until([&] { return !data.empty() && !child.empty() && !created.empty(); }));
    REQUIRE(await(loop, s.sync(p)).ok());
    CHECK(data.size() == 1);
    CHECK(data[0].type == EventType::node_data_changed);
    CHECK(child.size() == 1);
    CHECK(child[0].type == EventType::node_children_changed);
    CHECK(created.size() == 1);
    CHECK(created[0].type == EventType::node_created);
    // The exists watch on p saw the same data change as the data watch: one event each.
    CHECK(untouched.size() == 1);
  }
}

TEST_CASE("a session expired by the server fails pending requests once, fires watches and loses its ephemerals") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string(), 6000ms));
  Session observer = connect(loop, options_for(shared_server().connect_string(), 6000ms));
  std::vector<SessionState> states;
  s.add_listener([&](SessionState st) { states.push_back(st); });
  std::string p = unique_path("expire");
  CreateOptions eph{.mode = CreateMode::ephemeral};
  REQUIRE(await(loop, s.create(p, "", eph)).ok());
  std::vector<WatchEvent> events;
  REQUIRE(await(loop, s.exists(p, [&](const WatchEvent& e) { events.push_back(e); })).ok());

  Tally tally(20);
  for (std::size_t i = 0; i < 20; ++i) s.get(p, {}, tally.slot<Data>(i));
  auto killed = zkit::testing::expire_session(s.connected_host(), s.session_id(), s.session_password());
  REQUIRE_MESSAGE(killed.ok(), (killed.ok() ? "" : killed.error().message()));
  REQUIRE(loop.run_until([&] { return s.state() == SessionState::expired; }));
  REQUIRE(loop.run_until([&] { return tally.done() == 20; }));
  CHECK(tally.each_once());
  CHECK(states.back() == SessionState::expired);
  // The ephemeral's deletion may reach the watch before expiry does; either way it fires once.
  REQUIRE(events.size() == 1);
  CHECK((events[0].type == EventType::node_deleted || events[0].state == SessionState::expired));
  CHECK(await(loop, s.get(p)).code() == Errc::session_expired);
  auto gone = await(loop, observer.exists(p));
  REQUIRE(gone.ok());
  CHECK(!gone->has_value());
  bool closed = false;
  s.close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
}

TEST_CASE("a session that reaches no server within its timeout expires locally") {
  auto zk = start_cluster(1);
  Loop loop;
  Session s = connect(loop, options_for(zk->connect_string(), 2000ms));
  REQUIRE(s.negotiated_timeout() == 2000ms);
  std::vector<SessionState> states;
  s.add_listener([&](SessionState st) { states.push_back(st); });
  REQUIRE(zk->kill(1).ok());
  REQUIRE(loop.run_until([&] { return s.state() == SessionState::suspended; }));
  Tally tally(5);
  for (std::size_t i = 0; i < 5; ++i) s.exists("/", {}, tally.slot<std::optional<Stat>>(i));
  REQUIRE(loop.run_until([&] { return s.state() == SessionState::expired; }, scaled(10s)));
  REQUIRE(loop.run_until([&] { return tally.done() == 5; }));
  CHECK(tally.each_once());
  CHECK(tally.count(Errc::session_expired) == 5);
  CHECK(states == std::vector<SessionState>{SessionState::suspended, SessionState::expired});
  CHECK(loop.drain());  // every libuv handle of the session was released
}

TEST_CASE("close from inside a callback fails what is pending with closing and releases the loop") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  Tally tally(50);
  bool closed = false;
  s.exists("/", {}, [&](Result<std::optional<Stat>>) {
    s.close([&] { closed = true; });
    for (std::size_t i = 0; i < 50; ++i) s.get("/", {}, tally.slot<Data>(i));
  });
  REQUIRE(loop.run_until([&] { return closed; }));
  CHECK(tally.each_once());
  CHECK(tally.count(Errc::closing) == 50);
  CHECK(s.state() == SessionState::closed);
  CHECK(loop.drain());
}
