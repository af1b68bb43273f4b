// zkit::recipes::AtomicLong: an int64 counter shared by processes, changed by optimistic
// compare-and-set (Curator's DistributedAtomicLong without the lock fallback, same znode
// format).
//
//   zkit::recipes::AtomicLong next_id(session, "/storage/ids");
//   auto r = co_await next_id.increment();
//   if (!r) return r.error();                 // the session failed
//   if (!r->succeeded) retry_later();         // lost the race max_attempts times in a row
//   else use(r->post_value);
//
// Node: `path`, persistent, whose data is the value as 8 bytes, big-endian (Java's
// ByteBuffer.putLong, what Curator writes). A missing node (or empty data) reads as 0 and is
// created on the first write; missing ancestors are created as containers.
//
// Every change reads the node (value and version), then writes with that version: a
// concurrent writer makes the write fail with bad_version, and the change is tried again from
// a fresh read, up to `max_attempts` times. There is no waiting between attempts: under heavy
// contention give it more attempts, or back off before calling again.
//
// Use on the loop thread of the session; the session must outlive the object.
#pragma once

#include <cstdint>
#include <optional>
#include <memory>
#include <string>
#include <string_view>

#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes {

// AtomicResult: the outcome of a change (Curator's AtomicValue).
struct AtomicResult {
  bool succeeded = false;      // false: the value changed under us every attempt (or differed
                               // from `expected` in compare_and_set)
  std::int64_t pre_value = 0;  // the value the change started from (the last one read)
  std::int64_t post_value = 0; // the value now: the new one if succeeded, else pre_value
  int attempts = 0;            // writes tried
};

// The 8-byte big-endian form and back (nullopt unless exactly 8 bytes; empty reads as 0).
std::string encode_long(std::int64_t v);
std::optional<std::int64_t> decode_long(std::string_view bytes) noexcept;

class AtomicLong {
 public:
  // A counter at `path`; add, try_set and the like try up to `max_attempts` compare-and-sets.
  AtomicLong(Session& session, std::string path, int max_attempts = 10);

  // The current value (0 when the node does not exist). Errors: those of Session::get other
  // than no_node; bad_arguments when the data is not 8 bytes.
  Task<Result<std::int64_t>> get();
  // Sets the value to `value` if it is `expected` now (one attempt: a concurrent change makes
  // it fail, with the value seen). Errors: as get(), and those of set / create: after
  // connection_loss on the write it may or may not have landed (it is never tried again
  // behind your back; read and decide).
  Task<Result<AtomicResult>> compare_and_set(std::int64_t expected, std::int64_t value);
  // Sets the value to `value`, whatever it was, by compare-and-set (up to max_attempts).
  Task<Result<AtomicResult>> try_set(std::int64_t value);
  // Sets the value without looking (a blind write).
  Task<Result<void>> force_set(std::int64_t value);
  // Adds `delta` (up to max_attempts compare-and-sets).
  Task<Result<AtomicResult>> add(std::int64_t delta);
  // Subtracts `delta` (as add).
  Task<Result<AtomicResult>> subtract(std::int64_t delta);
  // Adds 1 (as add).
  Task<Result<AtomicResult>> increment();
  // Subtracts 1 (as add).
  Task<Result<AtomicResult>> decrement();

  // The counter's path.
  const std::string& path() const noexcept { return path_; }

 private:
  // A borrowed handle (Session::borrow()), shared with running operations: the Session it
  // was made with may move meanwhile.
  std::shared_ptr<Session> session_;
  std::string path_;
  int max_attempts_;
};

}  // namespace zkit::recipes
