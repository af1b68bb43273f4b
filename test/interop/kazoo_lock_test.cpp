// zkit's Mutex with LockLayout::kazoo and kazoo's Lock (python3-kazoo) on one path: they exclude
// each other, in both directions. With the default (Curator's) layout they do not: each
// ignores the other's nodes, which is why the layout is an option.
#include <algorithm>
#include <cctype>

#include "peers.hpp"
#include "server_view.hpp"
#include "zkit/recipes/locks/mutex.hpp"

using namespace zkit;
using namespace zkit::recipes;
using namespace zkit::interop;
using zkit::recipes::test::connect;
using zkit::recipes::test::run;
using zkit::recipes::test::start;
using zkit::recipes::test::unique_path;

namespace {

std::string name_of(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// kazoo's node name: uuid4().hex (32 lower-case hex digits), "__lock__", a 10-digit sequence.
bool is_kazoo_lock_name(const std::string& name) {
  constexpr std::string_view marker = "__lock__";
  if (name.size() != 32 + marker.size() + 10) return false;
  bool hex = std::all_of(name.begin(), name.begin() + 32, [](char c) { return std::isxdigit(c) && !std::isupper(c); });
  bool digits = std::all_of(name.end() - 10, name.end(), [](char c) { return std::isdigit(c); });
  return hex && name.substr(32, marker.size()) == marker && digits;
}

std::string seconds(std::chrono::milliseconds t) { return std::to_string(t.count() / 1000); }

}  // namespace

TEST_SUITE("interop") {

TEST_CASE("kazoo: zkit's Mutex with the kazoo layout and kazoo's Lock exclude each other") {
  Loop loop;
  Session s = connect(loop);
  auto kazoo = start_kazoo(loop);
  std::int64_t kazoo_session = std::stoll(kazoo->call("session", reply_timeout()), nullptr, 16);
  const std::string path = unique_path("interop-kazoo-lock") + "/lock";
  MutexOptions options;
  options.layout = LockLayout::kazoo;
  Mutex m(s, path, options);
  kazoo->call("lock k " + path, reply_timeout());

  // zkit holds, in kazoo's node form; kazoo waits on zkit's node until zkit releases.
  auto first = run(loop, m.acquire(scaled(20s)));
  REQUIRE_MESSAGE(first.ok(), first.error().message());
  const std::string ours = m.node_path();
  CHECK_MESSAGE(is_kazoo_lock_name(name_of(ours)), ours);
  kazoo->call("lock-acquire k " + seconds(waiter_timeout()), reply_timeout());
  REQUIRE(wait_server_watch(loop, ours, kazoo_session, event_timeout()));
  CHECK_FALSE(kazoo->has_event("lock k"));
  REQUIRE(run(loop, m.release()).ok());
  std::string got = kazoo->wait_event("lock k", event_timeout());
  REQUIRE_MESSAGE(got.starts_with("lock k acquired "), got);
  const std::string theirs = path + "/" + got.substr(std::string("lock k acquired ").size());
  CHECK(is_kazoo_lock_name(name_of(theirs)));

  // kazoo holds: zkit times out, then waits on kazoo's node and gets the lock when kazoo lets go.
  CHECK(run(loop, m.acquire(300ms)).code() == Errc::request_timeout);
  auto waiting = start(m.acquire(waiter_timeout()));
  REQUIRE(wait_server_watch(loop, theirs, s.session_id(), event_timeout()));
  CHECK_FALSE(waiting->has_value());
  CHECK(kazoo->call("lock-release k", reply_timeout()) == "true");
  REQUIRE(loop.run_until([&] { return waiting->has_value(); }, event_timeout()));
  REQUIRE_MESSAGE((*waiting)->ok(), (*waiting)->error().message());
  CHECK((*waiting)->value() > *first);

  // And kazoo, asked while zkit holds, gives up after its timeout.
  kazoo->call("lock-acquire k 1", reply_timeout());
  std::string refused = kazoo->wait_event("lock k", event_timeout());
  CHECK_MESSAGE(refused.starts_with("lock k failed "), refused);
  REQUIRE(run(loop, m.release()).ok());
  run(loop, m.close());
  kazoo.reset();
  zkit::recipes::test::close(loop, s);
}

TEST_CASE("kazoo: with the default (Curator) layout, zkit's Mutex and kazoo's Lock do not exclude each other") {
  Loop loop;
  Session s = connect(loop);
  auto kazoo = start_kazoo(loop);
  const std::string path = unique_path("interop-kazoo-nolock") + "/lock";
  Mutex m(s, path);
  REQUIRE(run(loop, m.acquire(scaled(20s))).ok());
  kazoo->call("lock k " + path, reply_timeout());
  kazoo->call("lock-acquire k " + seconds(waiter_timeout()), reply_timeout());
  // kazoo does not see zkit's `_c_<uuid>-lock-<seq>` node: it gets the lock at once, too.
  CHECK(kazoo->wait_event("lock k", event_timeout()).starts_with("lock k acquired "));
  CHECK(m.is_held());
  CHECK(kazoo->call("lock-release k", reply_timeout()) == "true");
  REQUIRE(run(loop, m.release()).ok());
  run(loop, m.close());
  kazoo.reset();
  zkit::recipes::test::close(loop, s);
}

}  // TEST_SUITE
