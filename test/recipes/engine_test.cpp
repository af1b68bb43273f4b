// The lock engine's pure parts, without a server: sorting by sequence, the rules, protected
// names and fencing tokens.
#include <doctest/doctest.h>

#include <set>
#include <thread>

#include "zkit/recipes/fencing.hpp"
#include "zkit/recipes/locks/lock_engine.hpp"
#include "zkit/recipes/protected_create.hpp"

using namespace zkit::recipes;

TEST_SUITE("recipes") {

TEST_CASE("children sort by the sequence after the last marker, whatever the uuid") {
  std::vector<std::string> kids = {
      "_c_b0a1c2d3-0000-4000-8000-000000000000-lock-0000000012",
      "_c_00000000-1111-4000-8000-000000000000-lock-0000000003",
      "_c_ffffffff-2222-4000-8000-000000000000-lock-0000000007",
  };
  sort_children(kids, {"lock-"});
  CHECK(sequence_of(kids[0], "lock-") == "0000000003");
  CHECK(sequence_of(kids[1], "lock-") == "0000000007");
  CHECK(sequence_of(kids[2], "lock-") == "0000000012");
  // Curator's fixForSorting: no marker, the whole name; marker at the end, "".
  CHECK(sequence_of("foreign", "lock-") == "foreign");
  CHECK(sequence_of("x-lock-", "lock-") == "");
  CHECK(sequence_of("lock-lock-0000000001", "lock-") == "0000000001");
}

TEST_CASE("read and write nodes sort into one queue") {
  std::vector<std::string> kids = {"_c_a-__WRIT__0000000004", "_c_b-__READ__0000000002", "_c_c-__READ__0000000005",
                                   "_c_d-__WRIT__0000000001"};
  sort_children(kids, {"__READ__", "__WRIT__"});
  CHECK(kids == std::vector<std::string>{"_c_d-__WRIT__0000000001", "_c_b-__READ__0000000002",
                                         "_c_a-__WRIT__0000000004", "_c_c-__READ__0000000005"});
}

TEST_CASE("the exclusive rule holds for the first n and watches the node n places ahead") {
  std::vector<std::string> q = {"a", "b", "c", "d"};
  auto one = exclusive_rule(1);
  CHECK(one(q, 0).holds);
  auto d = one(q, 2);
  CHECK(!d.holds);
  CHECK(d.watch == "b");
  auto two = exclusive_rule(2);
  CHECK(two(q, 1).holds);
  CHECK(two(q, 3).watch == "b");
}

TEST_CASE("a reader holds unless a writer is before it, and watches the nearest writer") {
  std::vector<std::string> q = {"r-__READ__1", "w-__WRIT__2", "r-__READ__3", "w-__WRIT__4", "r-__READ__5"};
  auto reader = shared_rule("__WRIT__");
  CHECK(reader(q, 0).holds);
  auto d = reader(q, 2);
  CHECK(!d.holds);
  CHECK(d.watch == "w-__WRIT__2");
  CHECK(reader(q, 4).watch == "w-__WRIT__4");
  // The writer side: first of all, readers included.
  auto writer = exclusive_rule(1);
  CHECK(writer(q, 1).watch == "r-__READ__1");
}

TEST_CASE("protected ids are random v4 uuids and names carry them the way Curator does") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = new_protected_id();
    REQUIRE(id.size() == 36);
    CHECK(id[14] == '4');
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
  std::string id = new_protected_id();
  std::string name = protected_prefix(id) + "lock-0000000001";
  CHECK(name.starts_with("_c_" + id + "-"));
  CHECK(is_protected_name(name));
  CHECK(strip_protection(name) == "lock-0000000001");
  CHECK(!is_protected_name("lock-0000000001"));
  CHECK(!is_protected_name("_c_not-a-uuid-lock-0000000001"));
  CHECK(strip_protection("plain") == "plain");
}

TEST_CASE("a fence guard keeps the highest token and refuses lower ones") {
  FenceGuard guard;
  CHECK(!guard.admit(FencingToken{}));
  CHECK(guard.admit(FencingToken{10}));
  CHECK(guard.admit(FencingToken{10}));  // the same holder again
  CHECK(guard.admit(FencingToken{12}));
  CHECK(!guard.admit(FencingToken{11}));
  auto refused = guard.check(FencingToken{10});
  REQUIRE(!refused);
  CHECK(refused.code() == zkit::Errc::bad_version);
  CHECK(refused.error().message().find("0xa") != std::string::npos);
  CHECK(guard.highest() == FencingToken{12});
  CHECK(to_string(FencingToken{255}) == "0xff");

  // Many threads racing: the guard ends at the highest, and never admits below what it held.
  FenceGuard shared;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 1; i <= 10000; ++i) (void)shared.admit(FencingToken{i * 4 + t});
    });
  for (auto& t : threads) t.join();
  CHECK(shared.highest() == FencingToken{10000 * 4 + 3});
}

}  // TEST_SUITE
