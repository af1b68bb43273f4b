// What the interop tests read from the server itself, to wait on states that no client reports:
// a path's children reaching some shape (through a persistent watch, not polling) and a
// session's watch on a node (from the server's `wchp` four-letter word); and the monotonic clock
// that zkit's and the peers' events are stamped with.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "support.hpp"
#include "zkit/recipes/locks/mutex.hpp"

namespace zkit::interop {

using zkit::recipes::test::Loop;

// Waits until the children of `path` (sorted by the recipes' sequence order for `markers`)
// satisfy `done`, re-listing on every change a persistent watch of `observer` reports. Returns
// the last listing; fails the test after `timeout`. `observer` must be a session of its own:
// a one-shot watch that the code under test requests on `path` through the same session while
// this persistent watch covers it is lost when the persistent watch goes (a zkit SDK issue,
// see docs/interop.md).
std::vector<std::string> wait_children(Loop& loop, Session& observer, const std::string& path, const std::vector<std::string>& markers,
                                       const std::function<bool(const std::vector<std::string>&)>& done,
                                       std::chrono::milliseconds timeout);

// Whether the server reports a watch of `session_id` on `path` (wchp), right now.
bool server_has_watch(const std::string& path, std::int64_t session_id);
// Waits (re-asking every 20 ms, at most `timeout`) until server_has_watch holds, running the
// loop in between so every session on it keeps working. Returns whether it did.
bool wait_server_watch(Loop& loop, const std::string& path, std::int64_t session_id, std::chrono::milliseconds timeout);

// "0x1a2b" as Java's Long.toHexString and ZooKeeper's logs print session ids.
std::string session_hex(std::int64_t id);
// steady_clock now in nanoseconds: CLOCK_MONOTONIC, the clock of Java's System.nanoTime().
std::int64_t monotonic_ns();
// m.acquire(timeout), with *at set to monotonic_ns() the moment it completes (not when the test
// gets round to looking).
Task<Result<recipes::FencingToken>> stamped_acquire(recipes::Mutex& m, std::chrono::milliseconds timeout,
                                                    std::int64_t* at);

}  // namespace zkit::interop
