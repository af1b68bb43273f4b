// Network faults between a session and a 3-member ensemble, injected by the FaultProxy in front
// of each member: a blackhole shorter than the session timeout, one longer than it, and a reply
// lost after the server committed the request.
//
// Each case checks the same guarantees as member_faults_test.cpp: (a) each callback once,
// (b) no watch lost, (c) replies in request order, (d) no descriptor leaked, (e) valid states.
#include <algorithm>

#include "probes.hpp"

using namespace zkit;
using namespace zkit::faults;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

milliseconds since(Clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - t);
}

// zkit's create is create2 (opcode 15) on the wire.
constexpr std::int32_t kCreate2 = 15;

}  // namespace

TEST_CASE("a stall longer than the read timeout but shorter than the session suspends and resumes the session") {
  Ensemble& zk = Ensemble::get();
  zk.heal();
  int member = zk.leader() % 3 + 1;
  Loop loop;
  FdTable before = open_fds();
  {
    Session writer = connect(loop, options_for(zk.direct({member}), 10s));
    Victim v(loop, options_for(zk.proxied(member), 6s), "short-stall");
    REQUIRE(v.member() == member);
    const milliseconds timeout = v.session().negotiated_timeout();
    const milliseconds read_timeout = timeout * 2 / 3;
    v.prepare();
    v.warm_up();

    auto calls_when_suspended = std::make_shared<std::size_t>(0);
    on_first(v.session(), SessionState::suspended,
             [&v, calls_when_suspended] { *calls_when_suspended = v.watch_calls(); });

    // zkit expires a session T after it last heard from a server: hear from it right before.
    REQUIRE(await(loop, v.session().sync(v.root())).ok());
    auto stalled = Clock::now();
    zk.proxy(member).stall(true);
    // Made while the victim hears nothing: its member's notifications sit in the blackhole.
    auto changes = std::make_shared<Changes>();
    make_changes(writer, v.root(), changes);
    REQUIRE(loop.run_until([&] { return changes->done; }));
    CHECK(changes->failures.empty());

    auto state_is = [&](SessionState s) { return v.session().state() == s; };
    REQUIRE(loop.run_until([&] { return !state_is(SessionState::connected); }, timeout + scaled(5s)));
    milliseconds suspended_after = since(stalled);
    REQUIRE(loop.run_until([&] { return !state_is(SessionState::suspended); }, scaled(10s)));
    milliseconds reconnected_after = since(stalled);
    REQUIRE(state_is(SessionState::reconnected));
    INFO("suspended " << suspended_after.count() << " ms and reconnected " << reconnected_after.count()
                      << " ms into the stall (read timeout " << read_timeout.count() << " ms)");
    note("short stall: suspended after " + std::to_string(suspended_after.count()) + " ms, reconnected after " +
         std::to_string(reconnected_after.count()) + " ms");
    // The read timeout, counted from the sync's reply (a moment before the stall).
    CHECK(suspended_after >= read_timeout - milliseconds(100));
    CHECK(suspended_after < timeout);
    CHECK(v.member() != member);
    // Missed while blackholed (nothing fired before the session knew it was cut off), then
    // replayed by the member it moved to, ahead of later replies.
    CHECK(*calls_when_suspended == 0);
    v.check_watches_fired_before_sync();

    // The stall lasts past the read timeout, and ends before the session timeout.
    milliseconds stall = read_timeout + (timeout - read_timeout) / 2;
    loop.run_for(std::max(stall - since(stalled), milliseconds(0)));
    zk.proxy(member).stall(false);
    CHECK(since(stalled) < timeout);

    v.check_resumed();
    v.check_watches_saw_changes();
    v.close_and_check();
    CHECK(v.ledger().count(Errc::ok) + v.ledger().count(Errc::connection_loss) == v.ledger().submitted());
    CHECK(v.states().describe() == "suspended reconnected closed");
    v.check_watches_saw_changes();
    close_and_wait(loop, writer);
  }
  check_no_descriptor_leaked(loop, before);
}

TEST_CASE("a stall of every member longer than the session timeout expires the session here and on the servers") {
  Ensemble& zk = Ensemble::get();
  zk.heal();
  Loop loop;
  FdTable before = open_fds();
  {
    // The observer bypasses the proxies: it sees the servers' side of the story.
    Session observer = connect(loop, options_for(zk.direct(), 10s));
    Victim v(loop, options_for(zk.proxied(), 4s), "long-stall");
    const milliseconds timeout = v.session().negotiated_timeout();
    REQUIRE(timeout == 4000ms);
    v.prepare();
    WatchProbe ephemeral_gone;
    auto seen = await(loop, observer.exists(v.root() + "/eph", ephemeral_gone.watcher()));
    REQUIRE(seen.ok());
    REQUIRE(seen->has_value());
    v.warm_up();

    REQUIRE(await(loop, v.session().sync(v.root())).ok());
    auto stalled = Clock::now();
    for (int m = 1; m <= zk.size(); ++m) zk.proxy(m).stall(true);
    auto changes = std::make_shared<Changes>();
    make_changes(observer, v.root(), changes);
    REQUIRE(loop.run_until([&] { return changes->done; }));
    CHECK(changes->failures.empty());

    REQUIRE(loop.run_until([&] { return v.session().state() == SessionState::expired; }, timeout + scaled(10s)));
    INFO("expired " << since(stalled).count() << " ms into the stall");
    note("long stall: expired after " + std::to_string(since(stalled).count()) + " ms");
    CHECK(since(stalled) >= timeout - milliseconds(100));
    v.finish_load();  // expiry answered every request
    CHECK(v.ledger().count(Errc::ok) + v.ledger().count(Errc::connection_loss) +
              v.ledger().count(Errc::session_expired) ==
          v.ledger().submitted());
    CHECK(v.ledger().count(Errc::connection_loss) + v.ledger().count(Errc::session_expired) > 0);
    v.check_watches_expired();
    CHECK(await(loop, v.session().get(v.root())).code() == Errc::session_expired);

    // The servers heard nothing either: they expire the session and delete its ephemeral.
    REQUIRE(loop.run_until([&] { return ephemeral_gone.fired() > 0; }, timeout + scaled(10s)));
    CHECK(ephemeral_gone.events().front().type == EventType::node_deleted);
    auto gone = await(loop, observer.exists(v.root() + "/eph"));
    REQUIRE(gone.ok());
    CHECK(!gone->has_value());
    for (int m = 1; m <= zk.size(); ++m) zk.proxy(m).stall(false);

    v.close_and_check();
    CHECK(v.states().describe() == "suspended expired");
    v.check_watches_expired();
    close_and_wait(loop, observer);
  }
  check_no_descriptor_leaked(loop, before);
}

TEST_CASE("a create whose reply is lost after the commit fails with connection_loss, yet the node exists") {
  Ensemble& zk = Ensemble::get();
  zk.heal();
  int member = zk.leader() % 3 + 1;
  Loop loop;
  FdTable before = open_fds();
  {
    Session writer = connect(loop, options_for(zk.direct({member}), 10s));
    Victim v(loop, options_for(zk.proxied(member), 6s), "lost-reply");
    REQUIRE(v.member() == member);
    v.prepare();
    std::string path = v.root() + "/cut";
    WatchProbe committed;  // the writer's view: fires once the create is applied
    REQUIRE(await(loop, writer.exists(path, committed.watcher())).ok());
    v.warm_up();

    // Quiet for a moment: the proxy's cut stops reading the server and then closes its side;
    // replies still arriving (to a pipelined load) turn that close into a reset, which can
    // lose the create itself. The load resumes right behind the create (and is lost with it).
    v.pause_load();
    // No reconnection until the commit is visible elsewhere: a session that moves to another
    // member first may have the create refused there as "session moved", which ZooKeeper may
    // do to any request that ends in connection_loss.
    for (int m = 1; m <= zk.size(); ++m) zk.proxy(m).refuse(true);
    zk.proxy(member).cut_after_next_request(kCreate2);
    std::size_t create = v.ledger().submitted();
    auto answered = std::make_shared<int>(0);
    CreateOptions plain;
    v.session().create(path, "", plain, v.ledger().slot<Created>([answered](const Result<Created>&) { ++*answered; }));
    v.start_load();
    REQUIRE(loop.run_until([&] { return *answered > 0; }));
    CHECK(v.ledger().code(create) == Errc::connection_loss);
    CHECK(v.session().state() == SessionState::suspended);
    bool applied = loop.run_until([&] { return committed.fired() > 0; }, scaled(10s));
    REQUIRE_MESSAGE(applied, "the server never applied the create whose reply the proxy cut");
    CHECK(committed.events().front().type == EventType::node_created);

    // Changes the victim misses while it cannot reconnect.
    auto changes = std::make_shared<Changes>();
    make_changes(writer, v.root(), changes);
    REQUIRE(loop.run_until([&] { return changes->done; }));
    CHECK(changes->failures.empty());
    CHECK(v.watch_calls() == 0);
    CHECK(v.session().state() == SessionState::suspended);

    for (int m = 1; m <= zk.size(); ++m) zk.proxy(m).refuse(false);
    REQUIRE(loop.run_until([&] { return v.session().state() == SessionState::reconnected; }));
    v.check_watches_fired_before_sync();  // and the member it moved to has the commit
    auto made = await(loop, v.session().exists(path));
    REQUIRE(made.ok());
    CHECK(made->has_value());
    v.check_resumed();
    v.check_watches_saw_changes();
    v.close_and_check();
    CHECK(v.states().describe() == "suspended reconnected closed");
    CHECK(v.ledger().count(Errc::ok) + v.ledger().count(Errc::connection_loss) == v.ledger().submitted());
    v.check_watches_saw_changes();
    close_and_wait(loop, writer);
  }
  check_no_descriptor_leaked(loop, before);
}
