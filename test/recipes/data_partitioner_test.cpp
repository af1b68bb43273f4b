// Partitioner against a real server: shards spread over members as they join and leave, and
// a shared checker that records every ownership interval proves no shard ever had two owners.
#include <map>

#include "support.hpp"
#include "zkit/recipes/sharding/partitioner.hpp"
#include "zkit/testing/session_killer.hpp"

using namespace zkit;
using namespace zkit::recipes::test;
using namespace zkit::recipes;

namespace zkit::recipes::test {
// The server of this binary (data_main_test.cpp): TTL nodes on, containers reaped quickly.
zkit::testing::Cluster& data_server();
}

namespace {

// Ownership intervals of every shard, from the members' own callbacks. Every member runs on
// the same loop thread, so the order of calls here is the order in which the members
// believed what they believed.
struct Checker {
  struct Interval {
    int shard;
    std::string owner;
    int from, to;  // positions in the sequence of calls; to == -1: still open
  };
  std::map<int, std::string> owner;
  std::vector<Interval> intervals;
  std::vector<std::string> violations;
  int clock = 0;

  void acquired(int shard, const std::string& who) {
    ++clock;
    if (auto it = owner.find(shard); it != owner.end())
      violations.push_back("shard " + std::to_string(shard) + " acquired by " + who + " while " + it->second +
                           " owns it");
    owner[shard] = who;
    intervals.push_back({shard, who, clock, -1});
  }
  void released(int shard, const std::string& who) {
    ++clock;
    auto it = owner.find(shard);
    if (it == owner.end() || it->second != who) {
      violations.push_back("shard " + std::to_string(shard) + " released by " + who + " who does not own it");
      return;
    }
    owner.erase(it);
    for (auto& i : intervals)
      if (i.shard == shard && i.owner == who && i.to == -1) i.to = clock;
  }
  void watch(Partitioner& p) {
    std::string who = p.member_id();
    p.on_acquired([this, who, &p](int shard) {
      tokens[{who, shard}] = p.token(shard);
      acquired(shard, who);
    });
    // The token stays readable in on_released: a service flushes with it before letting go.
    p.on_released([this, who, &p](int shard) {
      FencingToken t = p.token(shard);
      if (!t || t != tokens[{who, shard}])
        violations.push_back("shard " + std::to_string(shard) + ": " + who + "'s token is " + to_string(t) +
                             " in on_released, not the one it acquired with");
      released(shard, who);
    });
  }
  std::map<std::pair<std::string, int>, FencingToken> tokens;
  // No two intervals of one shard overlap.
  bool disjoint() const {
    for (std::size_t a = 0; a < intervals.size(); ++a)
      for (std::size_t b = a + 1; b < intervals.size(); ++b) {
        const auto &x = intervals[a], &y = intervals[b];
        if (x.shard != y.shard) continue;
        int xe = x.to == -1 ? clock + 1 : x.to, ye = y.to == -1 ? clock + 1 : y.to;
        if (x.from < ye && y.from < xe) return false;
      }
    return true;
  }
};

constexpr int kShards = 12;

bool settled(const std::vector<Partitioner*>& members, const Checker& c) {
  std::size_t total = 0;
  for (auto* m : members) {
    if (!m->balanced() || m->assigned().empty()) return false;
    total += m->owned().size();
  }
  return total == kShards && c.owner.size() == kShards;
}

}  // namespace

TEST_CASE("partitioner: assignments are deterministic; rendezvous moves only what it must") {
  std::vector<std::string> three{"c", "a", "b"};
  std::vector<std::string> two{"a", "b"};
  for (int s = 0; s < kShards; ++s) {
    CHECK(assign_shard(s, three, Assignment::modulo) == std::string(1, static_cast<char>('a' + s % 3)));
    CHECK(assign_shard(s, two, Assignment::modulo) == std::string(1, static_cast<char>('a' + s % 2)));
  }
  int moved = 0;
  std::map<std::string, int> load;
  for (int s = 0; s < 300; ++s) {
    std::string before = assign_shard(s, three, Assignment::rendezvous);
    std::string after = assign_shard(s, two, Assignment::rendezvous);
    ++load[before];
    if (before != "c") CHECK(after == before);  // only c's shards move when c leaves
    moved += before != after;
  }
  CHECK(moved == load["c"]);
  for (auto& [m, n] : load) CHECK(n > 50);  // roughly even: 100 each
  CHECK(assign_shard(0, std::vector<std::string>{}, Assignment::modulo).empty());
}

TEST_CASE("partitioner: three members, then one leaves: every shard owned once, never twice") {
  Loop loop;
  std::vector<Session> sessions;
  for (int i = 0; i < 4; ++i) sessions.push_back(connect(loop, options_for(data_server().connect_string())));
  std::string p = unique_path("partitions");
  Checker checker;
  Partitioner a(sessions[0], p, "member-a", kShards);
  Partitioner b(sessions[1], p, "member-b", kShards);
  Partitioner c(sessions[2], p, "member-c", kShards);
  for (auto* m : {&a, &b, &c}) checker.watch(*m);

  REQUIRE(run(loop, a.start()).ok());
  REQUIRE(loop.run_until([&] { return settled({&a}, checker); }));
  CHECK(a.owned().size() == kShards);

  REQUIRE(run(loop, b.start()).ok());
  REQUIRE(loop.run_until([&] { return settled({&a, &b}, checker); }));
  REQUIRE(run(loop, c.start()).ok());
  REQUIRE(loop.run_until([&] { return settled({&a, &b, &c}, checker); }));
  CHECK(a.owned() == std::vector<int>{0, 3, 6, 9});
  CHECK(b.owned() == std::vector<int>{1, 4, 7, 10});
  CHECK(c.owned() == std::vector<int>{2, 5, 8, 11});
  CHECK(a.members() == std::vector<std::string>{"member-a", "member-b", "member-c"});

  // A second object with a member id in use is refused.
  Partitioner twin(sessions[3], p, "member-a", kShards);
  CHECK(run(loop, twin.start()).code() == Errc::node_exists);

  std::map<int, FencingToken> tokens;
  for (int s = 0; s < kShards; ++s) {
    tokens[s] = a.owns(s) ? a.token(s) : b.owns(s) ? b.token(s) : c.token(s);
    CHECK(static_cast<bool>(tokens[s]));
  }
  CHECK_FALSE(static_cast<bool>(a.token(1)));  // not a's

  run(loop, c.close());
  CHECK(c.owned().empty());
  REQUIRE(loop.run_until([&] { return settled({&a, &b}, checker); }));
  CHECK(a.owned().size() == 6);
  CHECK(b.owned().size() == 6);
  for (int s : {2, 5, 8, 11}) {  // c's shards moved: a new owner node, a higher token
    FencingToken now = a.owns(s) ? a.token(s) : b.token(s);
    CHECK(now > tokens[s]);
  }

  // What the server holds agrees: one owner node per shard, naming its owner.
  auto owners = await(loop, sessions[3].get_children(p + "/owners"));
  REQUIRE(owners.ok());
  CHECK(owners->names.size() == kShards);
  for (int s = 0; s < kShards; ++s) {
    auto o = await(loop, sessions[3].get(p + "/owners/" + std::to_string(s)));
    REQUIRE(o.ok());
    CHECK(o->data == checker.owner.at(s));
    CHECK((o->data == "member-a" ? a.owns(s) : b.owns(s)));
  }
  CHECK_MESSAGE(checker.violations.empty(), (checker.violations.empty() ? "" : checker.violations.front()));
  CHECK(checker.disjoint());

  // A member whose session expires loses its shards; the others take them; rebind brings it back.
  REQUIRE(zkit::testing::expire_session(data_server().connect_string(), sessions[1].session_id(),
                                        sessions[1].session_password())
              .ok());
  REQUIRE(loop.run_until([&] { return b.owned().empty() && a.owned().size() == kShards; }));
  Session fresh = connect(loop, options_for(data_server().connect_string()));
  REQUIRE(run(loop, b.rebind(fresh)).ok());
  REQUIRE(loop.run_until([&] { return settled({&a, &b}, checker); }));
  CHECK(a.owned().size() == 6);

  run(loop, a.close());
  run(loop, b.close());
  CHECK(checker.owner.empty());
  CHECK_MESSAGE(checker.violations.empty(), (checker.violations.empty() ? "" : checker.violations.front()));
  CHECK(checker.disjoint());
  auto left = await(loop, sessions[3].get_children(p + "/owners"));
  REQUIRE(left.ok());
  CHECK(left->names.empty());
  close(loop, fresh);
  for (auto& s : sessions) close(loop, s);
}
