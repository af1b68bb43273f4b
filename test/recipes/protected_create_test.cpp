// Protected creates recover a create whose reply was lost: the recipe finds its own node
// instead of making a second one.
#include "support.hpp"
#include "zkit/recipes/election/leader_latch.hpp"
#include "zkit/recipes/locks/mutex.hpp"
#include "zkit/recipes/protected_create.hpp"
#include "zkit/testing/fault_proxy.hpp"

using namespace zkit;
using namespace zkit::recipes;
using namespace zkit::recipes::test;

namespace {

constexpr std::int32_t kCreate2 = 15;  // the opcode zkit sends for a create

std::unique_ptr<zkit::testing::FaultProxy> proxy() {
  auto p = zkit::testing::FaultProxy::start(shared_server().address(1));
  REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message()));
  return std::move(p).value();
}

}  // namespace

TEST_SUITE("recipes") {

TEST_CASE("protected create: a create whose reply is lost is found again, not made twice") {
  Loop loop;
  auto px = proxy();
  Session direct = connect(loop);
  Session s = connect(loop, options_for(px->address()));
  std::string parent = unique_path("protected");
  REQUIRE(await(loop, direct.create(parent, "")).ok());

  px->cut_after_next_request(kCreate2);
  ProtectedCreateOptions opts;
  auto made = run(loop, protected_create(s, parent + "/job-", "payload", opts));
  REQUIRE_MESSAGE(made.ok(), (made.ok() ? "" : made.error().message()));
  CHECK(px->connections_accepted() >= 2);  // the cut happened: the session reconnected
  auto kids = children(loop, direct, parent);
  REQUIRE(kids.size() == 1);
  CHECK(made->path == parent + "/" + kids[0]);
  CHECK(is_protected_name(kids[0]));
  CHECK(strip_protection(kids[0]).starts_with("job-"));
  CHECK(made->stat.ephemeral_owner == s.session_id());
  auto data = await(loop, direct.get(made->path));
  REQUIRE(data.ok());
  CHECK(data->data == "payload");
  CHECK(data->stat.czxid == made->stat.czxid);
  close(loop, s);
  close(loop, direct);
}

TEST_CASE("protected create: a mutex and a leader latch survive a lost create reply with one node each") {
  Loop loop;
  auto px = proxy();
  Session direct = connect(loop);
  Session s = connect(loop, options_for(px->address()));

  SUBCASE("mutex") {
    std::string path = unique_path("protected-mutex");
    REQUIRE(await(loop, direct.create(path, "")).ok());
    MutexOptions mine;
    mine.data = "participant-1";
    Mutex m(s, path, mine);
    px->cut_after_next_request(kCreate2);
    auto token = run(loop, m.acquire(scaled(10s)));
    REQUIRE_MESSAGE(token.ok(), (token.ok() ? "" : token.error().message()));
    CHECK(px->connections_accepted() >= 2);
    auto kids = children(loop, direct, path);
    REQUIRE(kids.size() == 1);
    CHECK(m.node_path() == path + "/" + kids[0]);
    auto data = await(loop, direct.get(m.node_path()));
    REQUIRE(data.ok());
    CHECK(data->data == "participant-1");
    CHECK(data->stat.czxid == token->zxid);
    run(loop, m.close());
    CHECK(children(loop, direct, path).empty());
  }
  SUBCASE("leader latch") {
    std::string path = unique_path("protected-latch");
    REQUIRE(await(loop, direct.create(path, "")).ok());
    LeaderLatch latch(s, path, "participant-1");
    px->cut_after_next_request(kCreate2);
    REQUIRE(run(loop, latch.start()).ok());
    auto token = run(loop, latch.await_leadership(scaled(10s)));
    REQUIRE_MESSAGE(token.ok(), (token.ok() ? "" : token.error().message()));
    CHECK(px->connections_accepted() >= 2);
    auto who = run(loop, latch.participants());
    REQUIRE(who.ok());
    REQUIRE(who->size() == 1);
    CHECK(who->front().id == "participant-1");
    CHECK(who->front().is_leader);
    run(loop, latch.close());
    CHECK(children(loop, direct, path).empty());
  }
  close(loop, s);
  close(loop, direct);
}

}  // TEST_SUITE
