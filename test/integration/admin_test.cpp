// Introspection (getEphemerals, getAllChildrenNumber, whoAmI) and ensemble administration
// (getConfig, reconfig) against real servers.
#include "support.hpp"

using namespace zkit;
using namespace zkit::test;

TEST_CASE("get_ephemerals, get_all_children_number and who_am_i, through a chroot") {
  Loop loop;
  std::string root = unique_path("admin");
  Session plain = connect(loop, options_for(shared_server().connect_string()));
  REQUIRE(await(loop, plain.create(root, "")).ok());
  Session s = connect(loop, options_for(shared_server().connect_string() + root));
  CreateOptions eph{.mode = CreateMode::ephemeral};
  REQUIRE(await(loop, s.create("/a", "")).ok());
  REQUIRE(await(loop, s.create("/a/e1", "", eph)).ok());
  REQUIRE(await(loop, s.create("/e2", "", eph)).ok());
  REQUIRE(await(loop, plain.create(root + "-sibling", "", eph)).ok());  // not ours, not under the chroot

  auto all = await(loop, s.get_ephemerals());
  REQUIRE(all.ok());
  std::sort(all->begin(), all->end());
  CHECK(*all == std::vector<std::string>{"/a/e1", "/e2"});
  auto under_a = await(loop, s.get_ephemerals("/a"));
  REQUIRE(under_a.ok());
  CHECK(*under_a == std::vector<std::string>{"/a/e1"});

  auto n = await(loop, s.get_all_children_number("/"));
  REQUIRE(n.ok());
  CHECK(*n == 3);
  CHECK(await(loop, s.get_all_children_number("/missing")).code() == Errc::no_node);

  REQUIRE(await(loop, s.add_auth("digest", "alice:secret")).ok());
  auto ids = await(loop, s.who_am_i());
  REQUIRE(ids.ok());
  CHECK(std::count(ids->begin(), ids->end(), ClientInfo{"digest", "alice"}) == 1);
  CHECK(std::count(ids->begin(), ids->end(), ClientInfo{"ip", "127.0.0.1"}) == 1);
}

TEST_CASE("get_config shows the ensemble and reconfig changes it, with the config watch firing") {
  auto started = zkit::testing::Cluster::start({.size = 3, .tick_ms = 500});
  REQUIRE_MESSAGE(started.ok(), (started.ok() ? "" : started.error().message()));
  auto& zk = *started.value();
  Loop loop;
  Session s = connect(loop, options_for(zk.connect_string() + "/chrooted", 8000ms));
  std::vector<WatchEvent> changed;
  auto config = await(loop, s.get_config([&](const WatchEvent& e) { changed.push_back(e); }));
  REQUIRE(config.ok());
  CHECK(config->data.find("server.3=") != std::string::npos);

  Reconfig drop{.leaving = "3"};
  CHECK(await(loop, s.reconfig(drop)).code() == Errc::no_auth);
  REQUIRE(await(loop, s.add_auth("digest", "super:super")).ok());
  Reconfig stale{.leaving = "3", .from_config = 1};
  CHECK(await(loop, s.reconfig(stale)).code() == Errc::bad_version);
  Reconfig nothing{};
  CHECK(await(loop, s.reconfig(nothing)).code() == Errc::bad_arguments);

  auto after = await(loop, s.reconfig(drop));
  // Removing the member we talk to (or the leader) drops our connection; the change applied.
  // Once the session reads the new config it may also move to rebalance (docs/sessions.md),
  // which drops the connection once more: each loss is followed by a reconnect, a bounded few.
  for (int losses = 0; !after.ok() && after.code() == Errc::connection_loss && losses < 3; ++losses) {
    REQUIRE(loop.run_until([&] { return s.state() == SessionState::reconnected; }));
    after = await(loop, s.get_config());
  }
  REQUIRE_MESSAGE(after.ok(), (after.ok() ? "" : after.error().message()));
  CHECK(after->data.find("server.3=") == std::string::npos);
  REQUIRE(loop.run_until([&] { return !changed.empty(); }));
  CHECK(changed[0].type == EventType::node_data_changed);
  CHECK(changed[0].path == "/zookeeper/config");
}

TEST_CASE("get_config errors name the config node, like every other read") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string() + unique_path("cfg-chroot")));
  REQUIRE(await(loop, s.close()).ok());
  auto r = await(loop, s.get_config());
  REQUIRE_FALSE(r.ok());
  CHECK(r.code() == Errc::closing);
  // Outside any chroot, and named so.
  CHECK(r.error().message() == "get_config /zookeeper/config: the session is closed");
}
