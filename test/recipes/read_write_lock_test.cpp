// ReadWriteLock against a real server: shared readers, exclusive writers, fair queueing and
// the write-to-read downgrade.
#include "support.hpp"
#include "zkit/recipes/protected_create.hpp"
#include "zkit/recipes/locks/read_write_lock.hpp"

using namespace zkit;
using namespace zkit::recipes;
using namespace zkit::recipes::test;

TEST_SUITE("recipes") {

TEST_CASE("read-write lock: readers share, a writer excludes everyone, waiters queue fairly") {
  Loop loop;
  Session s1 = connect(loop), s2 = connect(loop), s3 = connect(loop), s4 = connect(loop);
  std::string path = unique_path("rwlock");
  ReadWriteLock r1(s1, path), r2(s2, path), w3(s3, path),
      r4(s4, path);

  // Two readers at once.
  auto a = run(loop, r1.read_lock().acquire());
  auto b = run(loop, r2.read_lock().acquire(scaled(2s)));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  // Node names: "_c_<uuid>-__READ__<seq>".
  for (const auto& n : children(loop, s1, path)) CHECK(strip_protection(n).starts_with("__READ__"));

  // A writer waits for both readers.
  auto w = start(w3.write_lock().acquire());
  loop.run_for(200ms);
  CHECK(!w->has_value());
  // A reader arriving after the waiting writer queues behind it.
  auto late_reader = start(r4.read_lock().acquire());
  loop.run_for(200ms);
  CHECK(!late_reader->has_value());
  REQUIRE(run(loop, r1.read_lock().release()).ok());
  loop.run_for(100ms);
  CHECK(!w->has_value());
  REQUIRE(run(loop, r2.read_lock().release()).ok());
  REQUIRE(loop.run_until([&] { return w->has_value(); }));
  REQUIRE((*w)->ok());
  CHECK(***w > *a);
  CHECK(***w > *b);
  for (const auto& n : children(loop, s1, path))
    if (strip_protection(n).starts_with("__WRIT__")) CHECK(n.find("__WRIT__") != std::string::npos);

  // While the writer holds, readers time out.
  CHECK(run(loop, r1.read_lock().acquire(200ms)).code() == Errc::request_timeout);
  CHECK(!late_reader->has_value());
  REQUIRE(run(loop, w3.write_lock().release()).ok());
  REQUIRE(loop.run_until([&] { return late_reader->has_value(); }));
  REQUIRE((*late_reader)->ok());
  CHECK(***late_reader > ***w);

  REQUIRE(run(loop, r4.read_lock().release()).ok());
  run(loop, r1.close());
  run(loop, r2.close());
  run(loop, w3.close());
  run(loop, r4.close());
  CHECK(children(loop, s1, path).empty());
  for (Session* s : {&s1, &s2, &s3, &s4}) close(loop, *s);
}

TEST_CASE("read-write lock: the writer may downgrade to a read lock without letting a writer in") {
  Loop loop;
  Session s1 = connect(loop), s2 = connect(loop), s3 = connect(loop);
  std::string path = unique_path("rwlock-downgrade");
  ReadWriteLock mine(s1, path), other_writer(s2, path), other_reader(s3, path);

  auto wrote = run(loop, mine.write_lock().acquire());
  REQUIRE(wrote.ok());
  auto queued_writer = start(other_writer.write_lock().acquire());
  loop.run_for(100ms);
  // The write holder takes the read lock at once, although a writer node is before the new
  // read node (its own).
  auto read = run(loop, mine.read_lock().acquire(200ms));
  REQUIRE(read.ok());
  CHECK(*read > *wrote);
  REQUIRE(run(loop, mine.write_lock().release()).ok());
  CHECK(!mine.write_lock().is_held());
  CHECK(mine.read_lock().is_held());
  // The write node stays while we read: the queued writer sorts before our read node.
  int writers = 0;
  for (const auto& n : children(loop, s1, path)) writers += strip_protection(n).starts_with("__WRIT__");
  CHECK(writers == 2);
  loop.run_for(200ms);
  CHECK(!queued_writer->has_value());  // our read lock still keeps writers out
  // Another reader queued after the waiting writer waits too; after we release, the writer goes.
  auto queued_reader = start(other_reader.read_lock().acquire());
  loop.run_for(100ms);
  CHECK(!queued_reader->has_value());
  REQUIRE(run(loop, mine.read_lock().release()).ok());
  REQUIRE(loop.run_until([&] { return queued_writer->has_value(); }));
  REQUIRE((*queued_writer)->ok());
  CHECK(!queued_reader->has_value());
  REQUIRE(run(loop, other_writer.write_lock().release()).ok());
  REQUIRE(loop.run_until([&] { return queued_reader->has_value(); }));
  CHECK((*queued_reader)->ok());

  run(loop, mine.close());
  run(loop, other_writer.close());
  run(loop, other_reader.close());
  for (Session* s : {&s1, &s2, &s3}) close(loop, *s);
}

}  // TEST_SUITE
