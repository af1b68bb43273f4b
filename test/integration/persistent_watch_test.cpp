// Persistent and recursive watches, watch removal, and what survives a reconnect.
#include "support.hpp"

#include "zkit/testing/four_letter_word.hpp"

using namespace zkit;
using namespace zkit::test;

namespace {
struct Events {
  std::vector<WatchEvent> seen;
  Watcher watcher() {
    return [this](const WatchEvent& e) { seen.push_back(e); };
  }
  std::size_t count(EventType t) const {
    return static_cast<std::size_t>(std::count_if(seen.begin(), seen.end(), [t](auto& e) { return e.type == t; }));
  }
};
}  // namespace

TEST_CASE("a persistent watch reports every data and child change until its handle is dropped") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  Session writer = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("persist");
  Events ev;
  auto h = await(loop, s.add_watch(p, WatchMode::persistent, ev.watcher()));
  REQUIRE(h.ok());
  REQUIRE(await(loop, writer.create(p, "0")).ok());
  REQUIRE(await(loop, writer.set(p, "1")).ok());
  REQUIRE(await(loop, writer.set(p, "2")).ok());
  REQUIRE(await(loop, writer.create(p + "/c", "")).ok());
  REQUIRE(loop.run_until([&] { return ev.seen.size() == 4; }));
  CHECK(ev.seen[0].type == EventType::node_created);
  CHECK(ev.count(EventType::node_data_changed) == 2);
  CHECK(ev.seen[3].type == EventType::node_children_changed);
  CHECK(ev.seen[3].path == p);

  h->remove();
  REQUIRE(await(loop, writer.set(p, "3")).ok());
  REQUIRE(await(loop, s.sync(p)).ok());  // anything the server sent for the set came before this
  CHECK(ev.seen.size() == 4);
  CHECK(await(loop, s.check_watches(p, WatcherKind::any)).code() == Errc::no_watcher);
}

TEST_CASE("a recursive watch reports changes below it, never children-changed") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("recursive");
  REQUIRE(await(loop, s.create(p, "")).ok());
  Events ev, child;
  auto h = await(loop, s.add_watch(p, WatchMode::persistent_recursive, ev.watcher()));
  REQUIRE(h.ok());
  // A one-shot child watch on the same path is served from the recursive watch's events.
  REQUIRE(await(loop, s.get_children(p, child.watcher())).ok());
  REQUIRE(await(loop, s.create(p + "/a", "")).ok());
  REQUIRE(await(loop, s.create(p + "/a/b", "")).ok());
  REQUIRE(await(loop, s.set(p + "/a/b", "x")).ok());
  REQUIRE(await(loop, s.remove(p + "/a/b")).ok());
  REQUIRE(loop.run_until([&] { return ev.seen.size() == 4; }));
  CHECK(ev.count(EventType::node_created) == 2);
  CHECK(ev.count(EventType::node_data_changed) == 1);
  CHECK(ev.count(EventType::node_deleted) == 1);
  CHECK(ev.count(EventType::node_children_changed) == 0);
  REQUIRE(child.seen.size() == 1);
  CHECK(child.seen[0].type == EventType::node_children_changed);
  CHECK(child.seen[0].path == p);
  CHECK(await(loop, s.add_watch(p, WatchMode::persistent, ev.watcher())).code() == Errc::bad_arguments);
}

TEST_CASE("a one-shot watch under a persistent one does not downgrade it, even before add_watch's reply") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("nodowngrade");
  REQUIRE(await(loop, s.create(p, "0")).ok());
  Events persistent, once;
  auto adding = s.add_watch(p, WatchMode::persistent, persistent.watcher());
  Watcher w = once.watcher();  // named: GCC 12 destroys temporaries in co_await twice
  auto got = s.get(p, std::move(w));  // sent before add_watch is answered
  auto h = await(loop, std::move(adding));
  REQUIRE(h.ok());
  REQUIRE(await(loop, std::move(got)).ok());
  for (int i = 1; i <= 3; ++i) REQUIRE(await(loop, s.set(p, std::to_string(i))).ok());
  REQUIRE(loop.run_until([&] { return persistent.seen.size() == 3; }));
  CHECK(once.seen.size() == 1);
}

TEST_CASE("a one-shot watch sent under a persistent one fires even if the persistent one goes before its reply") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  Session writer = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("rider");
  REQUIRE(await(loop, s.create(p, "")).ok());
  Events persistent, once;
  auto h = await(loop, s.add_watch(p, WatchMode::persistent, persistent.watcher()));
  REQUIRE(h.ok());
  // Sent without the server's watch flag (the persistent watch serves it), then the persistent
  // watch is dropped before the reply: the server's watch must stay for the one-shot.
  bool answered = false;
  s.get_children(p, once.watcher(), [&](Result<Children> r) {
    CHECK(r.ok());
    answered = true;
  });
  h->remove();
  REQUIRE(loop.run_until([&] { return answered; }));
  REQUIRE(await(loop, writer.create(p + "/c", "")).ok());
  REQUIRE(loop.run_until([&] { return once.seen.size() == 1; }));
  CHECK(once.seen[0].type == EventType::node_children_changed);
  CHECK(persistent.seen.empty());
  // With its last watcher gone, the server's watch goes too (removeWatches is queued before
  // the sync, so the sync's reply comes after it).
  REQUIRE(await(loop, s.sync(p)).ok());
  auto wchp = zkit::testing::four_letter_word(shared_server().address(1), "wchp", scaled(10s));
  REQUIRE(wchp.ok());
  CHECK_MESSAGE(wchp->find(p + "\n") == std::string::npos, *wchp);
}

TEST_CASE("remove_watches and check_watches, on the server and locally") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("remove");
  REQUIRE(await(loop, s.create(p, "")).ok());
  Events data, child;
  REQUIRE(await(loop, s.get(p, data.watcher())).ok());
  REQUIRE(await(loop, s.get_children(p, child.watcher())).ok());
  CHECK(await(loop, s.check_watches(p, WatcherKind::data)).ok());
  CHECK(await(loop, s.check_watches(p, WatcherKind::children)).ok());

  REQUIRE(await(loop, s.remove_watches(p, WatcherKind::data)).ok());
  REQUIRE(data.seen.size() == 1);
  CHECK(data.seen[0].type == EventType::data_watch_removed);
  CHECK(await(loop, s.check_watches(p, WatcherKind::data)).code() == Errc::no_watcher);
  CHECK(await(loop, s.remove_watches(p, WatcherKind::data)).code() == Errc::no_watcher);

  REQUIRE(await(loop, s.remove_watches(p, WatcherKind::any, true)).ok());
  REQUIRE(child.seen.size() == 1);
  CHECK(child.seen[0].type == EventType::child_watch_removed);
  REQUIRE(await(loop, s.set(p, "x")).ok());
  REQUIRE(await(loop, s.create(p + "/c", "")).ok());
  REQUIRE(await(loop, s.sync(p)).ok());
  CHECK(data.seen.size() == 1);
  CHECK(child.seen.size() == 1);
}

TEST_CASE("persistent watches learn of suspension and resumption; 100,000 watches re-register") {
  // A 20 s session (the most a 1 s tick allows): on a loaded machine the restart of the JVM
  // with 100,000 watches to re-register took longer than 8 s, and the session expired.
  auto started = zkit::testing::Cluster::start({.size = 1, .tick_ms = 1000});
  REQUIRE_MESSAGE(started.ok(), (started.ok() ? "" : started.error().message()));
  auto& zk = *started.value();
  Loop loop;
  Session s = connect(loop, options_for(zk.connect_string(), 20000ms));
  Session writer = connect(loop, options_for(zk.connect_string(), 20000ms));
  std::string p = unique_path("signal");
  Events persistent;
  auto h = await(loop, s.add_watch(p, WatchMode::persistent_recursive, persistent.watcher()));
  REQUIRE(h.ok());
  // A persistent watch and a one-shot watch on the same path both survive the restart.
  std::string q = unique_path("both");
  REQUIRE(await(loop, writer.create(q, "0")).ok());
  Events q_persistent, q_once;
  auto qh = await(loop, s.add_watch(q, WatchMode::persistent, q_persistent.watcher()));
  REQUIRE(qh.ok());
  REQUIRE(await(loop, s.get(q, q_once.watcher())).ok());

  constexpr int kWatches = 100000;
  int answered = 0, armed = 0;
  std::string first_error;
  std::vector<int> fired(kWatches, 0);
  for (int i = 0; i < kWatches; ++i)
    s.exists("/w/" + std::to_string(i), [&fired, i](const WatchEvent&) { ++fired[static_cast<std::size_t>(i)]; },
             [&](Result<std::optional<Stat>> r) {
               ++answered;
               armed += r.ok();
               if (!r.ok() && first_error.empty()) first_error = r.error().message();
             });
  REQUIRE(loop.run_until([&] { return answered == kWatches; }, scaled(120s)));
  REQUIRE_MESSAGE(armed == kWatches, first_error);

  REQUIRE(zk.kill(1).ok());
  REQUIRE(zk.restart(1).ok());
  REQUIRE(loop.run_until([&] { return s.state() == SessionState::reconnected; }, scaled(40s)));
  REQUIRE(persistent.seen.size() >= 2);
  CHECK(persistent.seen[0].type == EventType::none);
  CHECK(persistent.seen[0].state == SessionState::suspended);
  CHECK(persistent.seen[1].state == SessionState::reconnected);

  REQUIRE(await(loop, s.sync("/")).ok());  // the SetWatches packets were processed before this
  auto wchs = zkit::testing::four_letter_word(zk.address(1), "wchs", scaled(10s));
  REQUIRE(wchs.ok());
  CHECK_MESSAGE(wchs->find("Total watches:100002") != std::string::npos, *wchs);
  REQUIRE(loop.run_until([&] { return writer.state() == SessionState::reconnected; }));
  REQUIRE(await(loop, writer.create("/w", "")).ok());
  REQUIRE(await(loop, writer.create("/w/77777", "")).ok());
  REQUIRE(await(loop, writer.create(p, "")).ok());
  REQUIRE(loop.run_until([&] { return fired[77777] == 1 && persistent.seen.size() == 3; }));
  CHECK(persistent.seen[2].type == EventType::node_created);
  CHECK(std::accumulate(fired.begin(), fired.end(), 0) == 1);
  for (int i = 1; i <= 3; ++i) REQUIRE(await(loop, writer.set(q, std::to_string(i))).ok());
  REQUIRE(loop.run_until([&] { return q_persistent.count(EventType::node_data_changed) == 3; }));
  CHECK(q_once.count(EventType::node_data_changed) == 1);
  qh->remove();
  // Closing fires every watch that is left, once: the counters must still be there.
  h->detach();
  bool closed = false;
  s.close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
  CHECK(std::accumulate(fired.begin(), fired.end(), 0) == kWatches);
  CHECK(persistent.seen.back().state == SessionState::closed);
}
