// A peer process for the interop tests: Curator's JVM or a kazoo script, started as a child of
// the test with pipes on its stdin and stdout, spoken to in lines on the test's own libuv loop
// (so zkit sessions on that loop keep running while the test waits for the peer).
//
// Line protocol (java/CuratorPeer.java, kazoo_peer.py): the peer prints "ready" once, answers
// every command with exactly one "ok [result]" or "err <message>", in order, and reports work
// that finishes later as "event <what> ...". It exits when its stdin closes, so it dies with the
// test binary even when the binary crashes.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support.hpp"

namespace zkit::interop {

using zkit::recipes::test::Loop;

class Peer {
 public:
  // Starts `argv` (argv[0] a full path) and waits up to `ready_timeout` for its "ready".
  // Fails the test when it cannot start or is not ready in time.
  Peer(Loop& loop, std::string name, std::vector<std::string> argv,
       std::chrono::milliseconds ready_timeout);
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;
  // Closes the peer's stdin and waits for it to exit; kills it (SIGKILL, by its pid) if it has
  // not exited within a few seconds.
  ~Peer();

  // Sends `command`, waits for its reply and returns the result after "ok " (fails the test on
  // "err", on exit or after `timeout`).
  std::string call(const std::string& command, std::chrono::milliseconds timeout);
  // The same, but an "err" reply is returned as nullopt (with its message in *error).
  std::optional<std::string> try_call(const std::string& command, std::chrono::milliseconds timeout,
                                      std::string* error = nullptr);

  // Waits for the first event line starting with "event <prefix>", removes it from the queue
  // and returns the text after "event ". Fails the test after `timeout`.
  std::string wait_event(std::string_view prefix, std::chrono::milliseconds timeout);
  // An event that arrived already (removed from the queue), without waiting.
  std::optional<std::string> take_event(std::string_view prefix);
  // Whether such an event arrived already (it stays queued).
  bool has_event(std::string_view prefix) const;

  int pid() const noexcept;
  bool exited() const noexcept;

 private:
  // Closes stdin, waits for the exit (SIGKILL by pid after a few seconds), closes the handles.
  void shutdown();
  struct Impl;
  Loop& loop_;
  std::unique_ptr<Impl> impl_;
};

// Splits `text` at every `sep` (an empty text gives one empty word).
std::vector<std::string> split(std::string_view text, char sep);

}  // namespace zkit::interop
