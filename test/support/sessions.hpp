// Sessions for tests: the standalone server a test binary shares, fresh node names, options
// with test-friendly timeouts, connecting, closing, and running an operation to completion.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loop.hpp"
#include "zkit/testing/cluster.hpp"
#include "zkit/zkit.hpp"

namespace zkit::test_support {

// The standalone server shared by the tests of one binary (tick 500 ms: sessions of 1-10 s),
// started on first use and killed at exit by the kit. Fails the test loudly when ZooKeeper
// cannot be started.
zkit::testing::Cluster& shared_server();

// A fresh path under the root for one test: "/<prefix>-<counter>-<pid>".
std::string unique_path(std::string_view prefix);

// Whether ZKIT_TEST_LOG is set: then zkit's log lines and the tests' notes go to stderr.
bool verbose();
// A line on stderr when verbose(): what a test saw (timings, tallies), for a look after a run.
void note(const std::string& line);

// Options for a session on `connect`: quick reconnects, hosts tried in the given order (a test
// may pick the member a session starts on), zkit's log lines only when verbose().
Options options_for(const std::string& connect, std::chrono::milliseconds session_timeout = 6000ms);

// Starts a session and waits until it is connected (or read-only); fails the test otherwise.
Session connect(Loop& loop, Options options);
// ... to the shared server.
Session connect(Loop& loop);
// Closes a session and waits for it.
void close(Loop& loop, Session& s);

// Runs an operation's coroutine form to completion on `loop`.
template <class T>
Result<T> await(Loop& loop, Async<T> op, std::chrono::milliseconds timeout = scaled(20s)) {
  std::optional<Result<T>> out;
  spawn([](Async<T> op, std::optional<Result<T>>& out) -> Task<void> {
    out.emplace(co_await op);
  }(std::move(op), out));
  REQUIRE_MESSAGE(loop.run_until([&] { return out.has_value(); }, timeout), "no reply in time");
  return std::move(*out);
}

// The children of `path` (names), failing the test on an error other than no_node.
std::vector<std::string> children(Loop& loop, Session& s, const std::string& path);

}  // namespace zkit::test_support
