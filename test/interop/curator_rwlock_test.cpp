// zkit's ReadWriteLock and Curator's InterProcessReadWriteLock on one path: readers share,
// writers exclude, and a reader queued behind a writer waits for it, across the two clients.
#include "peers.hpp"
#include "server_view.hpp"
#include "zkit/recipes/protected_create.hpp"
#include "zkit/recipes/locks/read_write_lock.hpp"

using namespace zkit;
using namespace zkit::recipes;
using namespace zkit::interop;
using zkit::recipes::test::connect;
using zkit::recipes::test::run;
using zkit::recipes::test::start;
using zkit::recipes::test::unique_path;

namespace {

std::int64_t nanos_of(const std::string& event) { return std::stoll(split(event, ' ').at(2)); }

std::string marker_of(const std::string& node) { return std::string(strip_protection(node).substr(0, 8)); }

}  // namespace

TEST_SUITE("interop") {

TEST_CASE("curator read-write lock: zkit and Curator readers share, writers exclude, in queue order") {
  Loop loop;
  Session s1 = connect(loop), s2 = connect(loop), s3 = connect(loop);
  Session observer = connect(loop);  // the test's own view of the lock's nodes
  auto curator = start_curator(loop);
  std::int64_t curator_session = std::stoll(curator->call("client c1", reply_timeout()), nullptr, 16);
  const std::string path = unique_path("interop-rwlock");
  curator->call("rwlock rw c1 " + path, reply_timeout());
  const std::string acquire = " " + std::to_string(scaled(20s).count());
  ReadWriteLock writer(s1, path), reader(s2, path), late_reader(s3, path);
  auto listed = [&](std::size_t n) {
    return wait_children(loop, observer, path, {"__READ__", "__WRIT__"}, [n](const auto& k) { return k.size() == n; }, event_timeout());
  };

  // 1. zkit writes; Curator's reader queues behind zkit's __WRIT__ node, watches it, waits.
  REQUIRE(run(loop, writer.write_lock().acquire(scaled(10s))).ok());
  curator->call("acquire rw.read" + acquire, reply_timeout());
  auto kids = listed(2);
  CHECK(marker_of(kids[0]) == "__WRIT__");
  CHECK(is_protected_name(kids[1]));
  CHECK(marker_of(kids[1]) == "__READ__");  // Curator's reader, as zkit names them
  REQUIRE(wait_server_watch(loop, path + "/" + kids[0], curator_session, event_timeout()));
  CHECK_FALSE(curator->has_event("acquired rw.read"));
  std::int64_t write_released = monotonic_ns();
  REQUIRE(run(loop, writer.write_lock().release()).ok());
  CHECK(nanos_of(curator->wait_event("acquired rw.read", event_timeout())) > write_released);

  // 2. A zkit reader shares the lock with Curator's reader at once.
  REQUIRE(run(loop, reader.read_lock().acquire(std::chrono::milliseconds(0))).ok());
  CHECK(curator->call("held rw.read", reply_timeout()) == "true");

  // 3. Curator's writer queues behind both readers; a zkit reader arriving after it waits for
  //    it (fairness), watching Curator's __WRIT__ node.
  curator->call("acquire rw.write" + acquire, reply_timeout());
  kids = listed(3);
  CHECK(marker_of(kids[2]) == "__WRIT__");
  std::int64_t late_in = 0;
  auto late = start(stamped_acquire(late_reader.read_lock(), waiter_timeout(), &late_in));
  kids = listed(4);
  const std::string curator_writer = path + "/" + kids[2];
  REQUIRE(wait_server_watch(loop, curator_writer, s3.session_id(), event_timeout()));
  CHECK_FALSE(late->has_value());
  CHECK_FALSE(curator->has_event("acquired rw.write"));

  // 4. Both readers leave: Curator's writer gets in, the late zkit reader still waits.
  curator->call("release rw.read", reply_timeout());
  curator->wait_event("released rw.read", event_timeout());
  std::int64_t last_read_out = monotonic_ns();
  REQUIRE(run(loop, reader.read_lock().release()).ok());
  CHECK(nanos_of(curator->wait_event("acquired rw.write", event_timeout())) > last_read_out);
  CHECK(curator->call("lock-node rw.write", reply_timeout()) == curator_writer);
  CHECK_FALSE(late->has_value());

  // 5. Curator's writer leaves: the late zkit reader gets in.
  curator->call("release rw.write", reply_timeout());
  std::int64_t write_out = nanos_of(curator->wait_event("released rw.write", event_timeout()));
  REQUIRE(loop.run_until([&] { return late->has_value(); }, event_timeout()));
  REQUIRE((*late)->ok());
  CHECK(late_in > write_out);

  run(loop, late_reader.close());
  run(loop, reader.close());
  run(loop, writer.close());
  curator.reset();
  for (Session* s : {&s1, &s2, &s3, &observer}) zkit::recipes::test::close(loop, *s);
}

}  // TEST_SUITE
