// zkit::recipes::SharedCounter: an int32 shared by processes, with versioned compare-and-set
// and a listener told of every change (Curator's SharedCount, same znode format).
//
//   zkit::recipes::SharedCounter epoch(session, "/storage/epoch", 0);
//   if (auto r = co_await epoch.start(); !r) return r.error();
//   epoch.add_listener([](std::int32_t v) { std::printf("epoch %d\n", v); });
//   for (;;) {   // bump it, whatever others do meanwhile
//     auto seen = epoch.versioned();
//     auto won = co_await epoch.try_set_count(seen, seen.value + 1);
//     if (!won) return won.error();
//     if (*won) break;   // false: someone else changed it first; versioned() is newer by now
//   }
//
// Node: `path`, persistent, whose data is the count as 4 bytes, big-endian (Java's
// ByteBuffer.putInt, what Curator's SharedCount writes); missing ancestors are created as
// containers. start() creates it holding `seed` unless it exists. The value is kept current
// with a NodeCache (zkit/recipes/caches/node_cache.hpp): a persistent watch, re-read on reconnection.
// Data that is not 4 bytes is ignored (count() keeps the last good value).
//
// Use on the loop thread of the session; the session must outlive the counter (or rebind()).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "zkit/recipes/caches/tree_cache.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes {

namespace detail {
struct CounterState;
}

// VersionedCount: a value with the node version it was read at (-1: not read yet).
struct VersionedCount {
  std::int32_t value = 0;  // the count
  std::int32_t version = -1;  // the node version it was read at (-1: not read yet)
  friend bool operator==(const VersionedCount&, const VersionedCount&) = default;
};

// The 4-byte big-endian form and back (nullopt unless exactly 4 bytes).
std::string encode_count(std::int32_t v);
std::optional<std::int32_t> decode_count(std::string_view bytes) noexcept;

class SharedCounter {
 public:
  // A counter at `path`, created with `seed` by start() unless it exists.
  SharedCounter(Session& session, std::string path, std::int32_t seed);
  SharedCounter(SharedCounter&&) noexcept;
  SharedCounter& operator=(SharedCounter&&) noexcept;
  SharedCounter(const SharedCounter&) = delete;
  SharedCounter& operator=(const SharedCounter&) = delete;
  ~SharedCounter();

  // Creates the node with the seed unless it exists, starts the cache and reads the value.
  // Errors: those of create and NodeCache::start().
  Task<Result<void>> start();

  // The count as last seen (the seed before start()).
  std::int32_t count() const noexcept;
  // The count with the version it was read at, for try_set_count.
  VersionedCount versioned() const noexcept;

  // Sets the count to `value` only if the node is still at `previous.version` (compare-and-
  // set). true: set; false: someone changed (or deleted) the node first; the cache catches
  // up through its watch. Errors: those of Session::set other than bad_version and no_node.
  Task<Result<bool>> try_set_count(VersionedCount previous, std::int32_t value);
  // Sets the count whatever it is (creating the node if it is gone).
  Task<Result<void>> set_count(std::int32_t value);

  // Continues on another session (after the old one ended).
  Task<Result<void>> rebind(Session& session);
  // Stops watching. Idempotent.
  Task<void> close();

  // Names a listener, for remove_listener / remove_state_listener.
  using ListenerId = std::uint64_t;
  // Told the new count each time the node gets a newer version (once per version).
  ListenerId add_listener(Function<void(std::int32_t)> listener);
  // Removes a listener that add_listener returned.
  void remove_listener(ListenerId id);
  // Told suspended / reconnected / lost (zkit/recipes/ownership.hpp).
  ListenerId add_state_listener(RecipeStateListener listener);
  // Removes a listener that add_state_listener returned.
  void remove_state_listener(ListenerId id);

 private:
  std::shared_ptr<detail::CounterState> state_;
};

}  // namespace zkit::recipes
