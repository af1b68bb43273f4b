// A three-member ensemble through the kit: one leader, a leader crash, a restart.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>

#include "helpers.hpp"
#include "proto/records.hpp"
#include "raw_session.hpp"

using namespace std::chrono_literals;
using namespace zkit::testing;
using zkit::Errc;
namespace proto = zkit::proto;
namespace fs = std::filesystem;

TEST_CASE("ensemble_elects_one_leader_survives_its_kill_and_restart_brings_it_back") {
  auto zk = test::start_or_fail({.size = 3});
  REQUIRE(zk->size() == 3);

  std::set<std::string> addresses;
  int leaders = 0;
  for (int m = 1; m <= 3; ++m) {
    CHECK(zk->running(m));
    addresses.insert(zk->address(m));
    auto mode = test::mode(zk->address(m));
    CAPTURE(mode);
    CHECK((mode == "leader" || mode == "follower"));
    leaders += mode == "leader";
  }
  CHECK(addresses.size() == 3);
  CHECK(leaders == 1);
  CHECK(zk->connect_string() ==
        zk->address(1) + "," + zk->address(2) + "," + zk->address(3));

  auto leader = zk->leader();
  REQUIRE_OK(leader);
  const int old_leader = *leader;
  CHECK(test::mode(zk->address(old_leader)) == "leader");

  // A session opened on one member is expired through another.
  {
    using namespace zkit::testing::detail;
    int a = old_leader % 3 + 1;
    int b = a % 3 + 1;
    auto acl = zkit::open_acl_unsafe();
    auto victim = RawSession::open(zk->address(a), {}, deadline_after(scaled(5s)));
    REQUIRE_OK(victim);
    auto created = victim->call(
        proto::Op::create,
        proto::CreateRequest{.path = "/e", .acl = acl,
                             .flags = static_cast<std::int32_t>(zkit::CreateMode::ephemeral)},
        deadline_after(scaled(5s)));
    REQUIRE_OK(created);
    REQUIRE(created->header.err == 0);
    REQUIRE_OK(expire_session(zk->address(b), victim->response().session_id,
                              victim->response().password));
    CHECK(victim->connection().wait_closed_by_peer(deadline_after(scaled(5s))));
  }

  const int old_pid = zk->pid(old_leader);
  REQUIRE_OK(zk->kill(old_leader));
  CHECK_FALSE(zk->running(old_leader));
  CHECK_FALSE(fs::exists("/proc/" + std::to_string(old_pid)));

  REQUIRE_OK(zk->wait_serving(scaled(30s)));
  auto new_leader = zk->leader();
  REQUIRE_OK(new_leader);
  CHECK(*new_leader != old_leader);

  REQUIRE_OK(zk->restart(old_leader));
  CHECK(zk->running(old_leader));
  CHECK(test::mode(zk->address(old_leader)) == "follower");
  REQUIRE_OK(zk->wait_serving(scaled(30s)));
}
