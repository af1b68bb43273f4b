// Server faults on a 3-member ensemble: a follower crash, a leader crash and a full restart,
// each under a steady load, with watches set before the fault and changed around it.
//
// Every case checks the guarantees of docs/architecture.md: each callback runs exactly once
// (a), no watch is lost (b), replies come in request order (c), no descriptor outlives the
// session (d), and the session states form a valid path (e).
#include "probes.hpp"

using namespace zkit;
using namespace zkit::faults;

namespace {

// A member other than the leader.
int follower_of(int leader) { return leader % 3 + 1; }

}  // namespace

TEST_CASE("a follower crash moves the session to another member with its id, ephemeral and watches") {
  Ensemble& zk = Ensemble::get();
  zk.heal();
  int follower = follower_of(zk.leader());
  Loop loop;
  FdTable before = open_fds();
  {
    Session writer = connect(loop, options_for(zk.direct({follower}), 10s));
    // The follower's proxy first: the session starts on the member that will crash.
    Victim v(loop, options_for(zk.proxied(follower), 6s), "follower-crash");
    REQUIRE(v.member() == follower);
    v.prepare();
    auto changes = std::make_shared<Changes>();
    on_first(v.session(), SessionState::suspended, [&writer, &v, changes] { make_changes(writer, v.root(), changes); });
    v.warm_up();

    zk.kill(loop, follower);
    REQUIRE(loop.run_until([&] { return v.session().state() == SessionState::reconnected; }));
    CHECK(v.member() != follower);
    CHECK(v.member() != 0);
    REQUIRE(loop.run_until([&] { return changes->done; }));
    v.check_watches_fired_before_sync();
    CHECK(changes->failures.empty());
    v.check_resumed();
    v.check_watches_saw_changes();

    zk.restart(loop, {follower});
    CHECK(v.session().state() == SessionState::reconnected);  // the member's return moves nothing
    v.close_and_check();
    CHECK(v.states().count(SessionState::suspended) == 1);
    CHECK(v.ledger().count(Errc::ok) + v.ledger().count(Errc::connection_loss) == v.ledger().submitted());
    v.check_watches_saw_changes();  // closing fired none of them again
    close_and_wait(loop, writer);
  }
  check_no_descriptor_leaked(loop, before);
}

TEST_CASE("a leader crash suspends the sessions on every member; they resume with their ids once a new leader serves") {
  Ensemble& zk = Ensemble::get();
  zk.heal();
  int leader = zk.leader();
  int follower = follower_of(leader);
  Loop loop;
  FdTable before = open_fds();
  {
    Session writer = connect(loop, options_for(zk.direct({leader}), 10s));
    // One session on the leader, one on a follower (which drops its clients when it loses
    // the leader). 10 s sessions: the longest a 500 ms tick allows, to outlast the election.
    Victim on_leader(loop, options_for(zk.proxied(leader), 10s), "leader-crash-a");
    Victim on_follower(loop, options_for(zk.proxied(follower), 10s), "leader-crash-b");
    REQUIRE(on_leader.member() == leader);
    REQUIRE(on_follower.member() == follower);
    auto changes_a = std::make_shared<Changes>();
    auto changes_b = std::make_shared<Changes>();
    for (auto [v, changes] : {std::pair{&on_leader, changes_a}, std::pair{&on_follower, changes_b}}) {
      v->prepare();
      on_first(v->session(), SessionState::suspended,
               [&writer, root = v->root(), c = changes] { make_changes(writer, root, c); });
      v->warm_up();
    }

    zk.kill(loop, leader);
    zk.wait_serving(loop);  // two members, one of them the new leader
    for (Victim* v : {&on_leader, &on_follower}) {
      REQUIRE(loop.run_until([&] {
        return v->states().count(SessionState::suspended) > 0 && v->session().state() == SessionState::reconnected;
      }));
    }
    REQUIRE(loop.run_until([&] { return changes_a->done && changes_b->done; }));
    CHECK(changes_a->failures.empty());
    CHECK(changes_b->failures.empty());
    for (Victim* v : {&on_leader, &on_follower}) {
      CHECK(v->member() != leader);
      v->check_watches_fired_before_sync();
      v->check_resumed();
      v->check_watches_saw_changes();
    }

    zk.restart(loop, {leader});
    for (Victim* v : {&on_leader, &on_follower}) {
      v->close_and_check();
      v->check_watches_saw_changes();
    }
    close_and_wait(loop, writer);
  }
  check_no_descriptor_leaked(loop, before);
}

TEST_CASE("a restart of every member within the session timeout resumes the session: the servers reload it") {
  Ensemble& zk = Ensemble::get();
  zk.heal();
  Loop loop;
  FdTable before = open_fds();
  {
    Session writer = connect(loop, options_for(zk.direct(), 10s));
    Victim v(loop, options_for(zk.proxied(), 10s), "full-restart");
    v.prepare();
    auto changes = std::make_shared<Changes>();
    // Submitted while every member is down: the writer sends them once it is back.
    on_first(v.session(), SessionState::suspended, [&writer, &v, changes] { make_changes(writer, v.root(), changes); });
    v.warm_up();

    auto down = std::chrono::steady_clock::now();
    auto killed = loop.offload<Result<void>>(zk.worker(), [&zk] {
      for (int m = 1; m <= 3; ++m)
        if (auto r = zk.cluster().kill(m); !r) return r;
      return Result<void>();
    });
    REQUIRE(killed.ok());
    zk.restart(loop, {1, 2, 3});  // the session may resume as soon as two of them serve
    auto outage = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - down);
    note("full restart: members down or starting for " + std::to_string(outage.count()) + " ms");
    REQUIRE(loop.run_until([&] {
      return v.session().state() == SessionState::reconnected || v.session().state() == SessionState::expired;
    }));
    // Expiry here means this machine took longer than the session timeout to bring a quorum
    // back (the case needs it within the timeout), not that zkit lost the session.
    REQUIRE_MESSAGE(v.session().state() == SessionState::reconnected,
                    "expired: the members took " << outage.count() << " ms to restart; the session lasts "
                                                  << v.session().negotiated_timeout().count() << " ms");
    REQUIRE(loop.run_until([&] { return changes->done; }));
    v.check_watches_fired_before_sync();
    CHECK(changes->failures.empty());
    v.check_resumed();
    v.check_watches_saw_changes();
    v.close_and_check();
    v.check_watches_saw_changes();
    close_and_wait(loop, writer);
  }
  check_no_descriptor_leaked(loop, before);
}
