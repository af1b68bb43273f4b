// Ensembles that grow and shrink (issue 10, item 6): sessions follow /zookeeper/config and
// rebalance with ZooKeeper's probabilistic algorithm when a reconfig adds or removes members,
// without any session expiring. Its own ensemble (not the fault suite's shared one): members
// are added to it.
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "support.hpp"

using namespace zkit;
using namespace zkit::faults;

namespace {

// How many sessions adopted a changed configuration (their log line says so).
struct Adoptions {
  std::size_t count = 0;
};

std::size_t on_members(const std::vector<Session>& sessions, const std::set<std::string>& hosts) {
  return static_cast<std::size_t>(std::count_if(sessions.begin(), sessions.end(), [&](const Session& s) {
    return hosts.count(s.connected_host()) > 0;
  }));
}

bool all_serving(const std::vector<Session>& sessions) {
  return std::all_of(sessions.begin(), sessions.end(), [](const Session& s) {
    return (s.state() == SessionState::connected || s.state() == SessionState::reconnected) && !s.connected_host().empty();
  });
}

std::size_t expired(const std::vector<Session>& sessions) {
  return static_cast<std::size_t>(std::count_if(
      sessions.begin(), sessions.end(), [](const Session& s) { return s.state() == SessionState::expired; }));
}

}  // namespace

TEST_CASE("200 sessions follow an ensemble grown from 3 to 5 members and shrunk back: they spread, leave, and none expires") {
  auto started = zkit::testing::Cluster::start({.size = 3, .tick_ms = 500});
  REQUIRE_MESSAGE(started.ok(), (started.ok() ? "" : started.error().message()));
  zkit::testing::Cluster& zk = *started.value();
  constexpr std::size_t kSessions = 200;
  Loop loop;
  Worker worker;
  auto adopted = std::make_shared<Adoptions>();
  std::vector<Session> sessions;
  for (std::size_t i = 0; i < kSessions; ++i) {
    Options o = options_for(zk.connect_string(), 10s);
    o.shuffle_hosts = true;  // spread over the three members
    o.log_level = LogLevel::info;
    o.logger = [adopted](LogLevel, std::string_view line) {
      if (line.starts_with("following the ensemble's configuration")) ++adopted->count;
    };
    auto s = Session::start(loop.get(), std::move(o));
    REQUIRE(s.ok());
    sessions.push_back(std::move(s).value());
  }
  REQUIRE(loop.run_until([&] { return all_serving(sessions); }, scaled(60s)));

  Options admin_options = options_for(zk.connect_string(), 10s);
  admin_options.follow_ensemble = false;  // it reconfigures; it need not follow
  Session admin = connect(loop, std::move(admin_options));
  std::string super = std::string(zkit::testing::kSuperUser) + ":" + zkit::testing::kSuperPassword;
  REQUIRE(await(loop, admin.add_auth("digest", super)).ok());

  // Grow: two members started, then added by one reconfig.
  std::vector<int> added;
  for (int n = 0; n < 2; ++n) {
    auto id = loop.offload<Result<int>>(worker, [&] { return zk.add_member(); });
    REQUIRE_MESSAGE(id.ok(), (id.ok() ? "" : id.error().message()));
    added.push_back(*id);
  }
  Reconfig grow;
  grow.joining = zk.server_line(added[0]) + "," + zk.server_line(added[1]);
  auto grown = await(loop, admin.reconfig(grow), scaled(60s));
  REQUIRE_MESSAGE(grown.ok(), (grown.ok() ? "" : grown.error().message()));
  REQUIRE(loop.run_until([&] { return adopted->count == kSessions && all_serving(sessions); }, scaled(60s)));
  std::set<std::string> new_members{zk.address(added[0]), zk.address(added[1])};
  std::size_t moved = on_members(sessions, new_members);
  note("grown: " + std::to_string(moved) + " of " + std::to_string(kSessions) + " sessions on the new members");
  // Expected 2/5 of 200 = 80; each session moves independently, so the count is binomial
  // (standard deviation about 7): 80 +- 24 is three and a half of them.
  CHECK(moved >= 56);
  CHECK(moved <= 104);
  CHECK(expired(sessions) == 0);

  // Shrink: the two added members leave; their sessions move to the three that stay.
  Reconfig shrink;
  shrink.leaving = std::to_string(added[0]) + "," + std::to_string(added[1]);
  auto shrunk = await(loop, admin.reconfig(shrink), scaled(60s));
  REQUIRE_MESSAGE(shrunk.ok(), (shrunk.ok() ? "" : shrunk.error().message()));
  REQUIRE(loop.run_until([&] { return adopted->count == 2 * kSessions && all_serving(sessions); }, scaled(60s)));
  REQUIRE(loop.run_until([&] { return on_members(sessions, new_members) == 0 && all_serving(sessions); }, scaled(60s)));
  CHECK(expired(sessions) == 0);
  std::set<std::string> original{zk.address(1), zk.address(2), zk.address(3)};
  CHECK(on_members(sessions, original) == kSessions);

  close(loop, admin);
  auto closed = std::make_shared<std::size_t>(0);
  for (Session& s : sessions) s.close([closed] { ++*closed; });
  REQUIRE(loop.run_until([&] { return *closed == kSessions; }, scaled(60s)));
}
