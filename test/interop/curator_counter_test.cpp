// zkit's SharedCounter and Curator's SharedCount on one node: the same 4-byte big-endian value,
// the same versions, changes heard both ways, stale compare-and-sets refused on both sides.
#include "peers.hpp"
#include "server_view.hpp"
#include "zkit/recipes/values/shared_counter.hpp"

using namespace zkit;
using namespace zkit::recipes;
using namespace zkit::interop;
using zkit::recipes::test::await;
using zkit::recipes::test::connect;
using zkit::recipes::test::run;
using zkit::recipes::test::unique_path;

TEST_SUITE("interop") {

TEST_CASE("curator shared count: values, versions and listeners agree both ways") {
  Loop loop;
  Session s = connect(loop);
  auto curator = start_curator(loop);
  curator->call("client c1", reply_timeout());
  const std::string path = unique_path("interop-count") + "/epoch";

  // Curator creates the node with its seed; zkit's seed is not used for an existing node.
  curator->call("count s c1 " + path + " 7", reply_timeout());
  SharedCounter zc(s, path, 99);
  std::vector<std::int32_t> heard;
  zc.add_listener([&](std::int32_t v) { heard.push_back(v); });
  REQUIRE(run(loop, zc.start()).ok());
  CHECK(zc.versioned() == VersionedCount{7, 0});

  // Curator sets: zkit's listener hears it, with the node's version.
  curator->call("count-set s 42", reply_timeout());
  REQUIRE(loop.run_until([&] { return !heard.empty() && heard.back() == 42; }, event_timeout()));
  CHECK(zc.versioned() == VersionedCount{42, 1});
  curator->wait_event("count s 42", event_timeout());

  // A negative value shows the byte order: 0xfffffffe on the wire, -2 on both sides.
  curator->call("count-set s -2", reply_timeout());
  REQUIRE(loop.run_until([&] { return !heard.empty() && heard.back() == -2; }, event_timeout()));
  auto raw = await(loop, s.get(path));
  REQUIRE(raw.ok());
  CHECK(raw->data == std::string("\xff\xff\xff\xfe", 4));
  curator->wait_event("count s -2", event_timeout());

  // zkit sets with a version: Curator's listener hears it and reads zkit's version.
  const VersionedCount seen = zc.versioned();
  CHECK(seen == VersionedCount{-2, 2});
  auto won = run(loop, zc.try_set_count(seen, 43));
  REQUIRE(won.ok());
  CHECK(*won);
  curator->wait_event("count s 43", event_timeout());
  CHECK(curator->call("count-get s", reply_timeout()) == "43 3");

  // Stale on zkit's side: the version it read is gone.
  auto stale = run(loop, zc.try_set_count(seen, 50));
  REQUIRE(stale.ok());
  CHECK_FALSE(*stale);
  CHECK(zc.count() == 43);

  // Stale on Curator's side: Curator read version 3, zkit wrote version 4 meanwhile.
  CHECK(curator->call("count-snapshot s", reply_timeout()) == "43 3");
  won = run(loop, zc.try_set_count(zc.versioned(), 44));
  REQUIRE(won.ok());
  CHECK(*won);
  curator->wait_event("count s 44", event_timeout());
  CHECK(curator->call("count-try-set s 45", reply_timeout()) == "false");
  CHECK(curator->call("count-get s", reply_timeout()) == "44 4");
  // Curator's refused write changed nothing zkit can see (the node is still at version 4).
  auto node = await(loop, s.get(path));
  REQUIRE(node.ok());
  CHECK(node->stat.version == 4);
  CHECK(decode_count(node->data) == 44);
  CHECK(zc.versioned() == VersionedCount{44, 4});
  CHECK(heard == std::vector<std::int32_t>{7, 42, -2, 43, 44});  // each version once, in order
  CHECK_FALSE(curator->has_event("count s 45"));

  run(loop, zc.close());
  curator->call("count-close s", reply_timeout());
  curator.reset();
  zkit::recipes::test::close(loop, s);
}

}  // TEST_SUITE
