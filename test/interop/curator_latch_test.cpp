// zkit's LeaderLatch and Curator's LeaderLatch in one election: one leader, both agree who.
#include <algorithm>
#include <map>

#include "peers.hpp"
#include "server_view.hpp"
#include "zkit/recipes/election/leader_latch.hpp"

using namespace zkit;
using namespace zkit::recipes;
using namespace zkit::interop;
using zkit::recipes::test::connect;
using zkit::recipes::test::run;
using zkit::recipes::test::unique_path;

namespace {

// The four participants, in the order their nodes were created (so the order they lead in):
// zkit-1, curator-1, zkit-2, curator-2.
struct Election {
  Loop& loop;
  Peer& curator;
  std::map<std::string, LeaderLatch*> zkit;        // id -> latch
  std::map<std::string, std::string> curator_ids;  // id -> the peer's latch name
  std::vector<std::string> open;                   // ids still in the election, in order

  bool is_zkit(const std::string& id) const { return zkit.count(id) != 0; }

  // Who believes it leads, asking every participant itself.
  std::vector<std::string> claimants() {
    std::vector<std::string> out;
    for (const auto& id : open) {
      bool leads = is_zkit(id) ? zkit.at(id)->has_leadership()
                               : split(curator.call("latch-leader " + curator_ids.at(id), reply_timeout()), ' ')[1] == "true";
      if (leads) out.push_back(id);
    }
    return out;
  }

  // Waits until `id` says it leads (zkit: await_leadership; Curator: its isLeader() event).
  void await_leader(const std::string& id) {
    if (is_zkit(id)) {
      auto t = run(loop, zkit.at(id)->await_leadership(event_timeout()));
      REQUIRE_MESSAGE(t.ok(), id << " did not lead: " << (t.ok() ? "" : t.error().message()));
    } else {
      curator.wait_event("leader " + curator_ids.at(id), event_timeout());
    }
  }

  // Both sides name the same leader and list the same participants in the same order.
  void check_agreement() {
    const std::string expected = open.front();
    LeaderLatch& any_zkit = *zkit.begin()->second;
    auto leader = run(loop, any_zkit.leader());
    REQUIRE(leader.ok());
    REQUIRE(leader->has_value());
    CHECK((*leader)->id == expected);
    auto everyone = run(loop, any_zkit.participants());
    REQUIRE(everyone.ok());
    std::vector<std::string> zkit_order, curator_order;
    for (const auto& p : *everyone) zkit_order.push_back(p.id + (p.is_leader ? "*" : ""));
    for (const auto& [id, name] : curator_ids) {
      if (std::find(open.begin(), open.end(), id) == open.end()) continue;
      CHECK(split(curator.call("latch-leader " + name, reply_timeout()), ' ')[0] == expected);
      curator_order = split(curator.call("latch-participants " + name, reply_timeout()), ',');
    }
    std::vector<std::string> wanted;
    for (const auto& id : open) wanted.push_back(id + (id == expected ? "*" : ""));
    CHECK(zkit_order == wanted);
    if (!curator_order.empty()) CHECK(curator_order == wanted);
    CHECK(claimants() == std::vector<std::string>{expected});
  }
};

}  // namespace

TEST_SUITE("interop") {

TEST_CASE("curator leader latch: zkit and Curator participants elect one leader and agree on it") {
  Loop loop;
  Session s1 = connect(loop), s2 = connect(loop);
  Session observer = connect(loop);  // the test's own view of the election's nodes
  auto curator = start_curator(loop);
  curator->call("client c1", reply_timeout());
  curator->call("client c2", reply_timeout());
  const std::string path = unique_path("interop-latch");
  LeaderLatch z1(s1, path, "zkit-1"), z2(s2, path, "zkit-2");
  Election e{loop, *curator, {{"zkit-1", &z1}, {"zkit-2", &z2}}, {{"curator-1", "l1"}, {"curator-2", "l2"}}, {}};

  // Join one at a time, each after the previous node exists, so the order is known.
  auto joined = [&](std::size_t n) {
    wait_children(loop, observer, path, {"latch-"}, [n](const auto& k) { return k.size() == n; }, event_timeout());
  };
  REQUIRE(run(loop, z1.start()).ok());
  joined(1);
  curator->call("latch l1 c1 " + path + " curator-1", reply_timeout());
  joined(2);
  REQUIRE(run(loop, z2.start()).ok());
  joined(3);
  curator->call("latch l2 c2 " + path + " curator-2", reply_timeout());
  joined(4);
  e.open = {"zkit-1", "curator-1", "zkit-2", "curator-2"};

  // Leadership passes down the line, crossing between zkit and Curator at every step.
  for (int step = 0; step < 3; ++step) {
    const std::string leader = e.open.front();
    CAPTURE(leader);
    e.await_leader(leader);
    e.check_agreement();
    if (e.is_zkit(leader)) run(loop, e.zkit.at(leader)->close());
    else curator->call("latch-close " + e.curator_ids.at(leader), reply_timeout());
    e.open.erase(e.open.begin());
  }
  e.await_leader(e.open.front());
  CHECK(e.open.front() == "curator-2");
  e.check_agreement();
  CHECK_FALSE(curator->has_event("not-leader"));  // nobody led and then stopped but by closing

  curator->call("latch-close l2", reply_timeout());
  curator.reset();
  zkit::recipes::test::close(loop, s1);
  zkit::recipes::test::close(loop, s2);
  zkit::recipes::test::close(loop, observer);
}

}  // TEST_SUITE
