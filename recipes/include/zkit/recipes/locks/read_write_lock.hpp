// zkit::recipes::ReadWriteLock: many readers or one writer, shared by processes (Curator's
// InterProcessReadWriteLock, same znodes).
//
//   zkit::recipes::ReadWriteLock rw(session, "/locks/catalog");
//   auto r = co_await rw.read_lock().acquire();      // shared with other readers
//   ...
//   auto released = co_await rw.read_lock().release();
//   auto w = co_await rw.write_lock().acquire(std::chrono::seconds(2));   // exclusive
//
// Both sides are Mutex objects (re-entrant, fencing tokens, listeners, policies) over one
// queue of children of <path>: `_c_<uuid>-__READ__<seq>` and `_c_<uuid>-__WRIT__<seq>`, sorted
// by sequence whatever the marker. A writer holds when its node is first; a reader holds when
// no writer node is before its own. Waiters queue fairly: a reader that arrives after a
// waiting writer waits for it.
//
// Downgrade: the holder of the write lock may take the read lock (at once), then release the
// write lock, and keep reading without a writer slipping in between. The reverse (upgrading a
// read lock) would deadlock and is not offered: release the read lock first.
#pragma once

#include <string>

#include "zkit/recipes/locks/mutex.hpp"

namespace zkit::recipes {

class ReadWriteLock {
 public:
  // A read-write lock at `path`; `options` apply to both sides.
  ReadWriteLock(Session& session, std::string path, MutexOptions options = {});

  // The shared side: marker "__READ__".
  Mutex& read_lock() noexcept { return read_; }
  // The exclusive side: marker "__WRIT__".
  Mutex& write_lock() noexcept { return write_; }

  // Closes both sides (their nodes are deleted).
  Task<void> close();

 private:
  Mutex write_;  // before read_: the read rule asks the write side whether this object writes
  Mutex read_;
};

}  // namespace zkit::recipes
