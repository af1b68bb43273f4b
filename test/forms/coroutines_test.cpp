// zkit/coroutines.hpp against the real server: sync_wait drives a loop until a task ends,
// sleep_for and when_all inside a task, spawn with the result delivered to a callback, and
// an exception escaping a task reaching the test instead of ending the binary.
#include "zkit/coroutines.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "sessions.hpp"

namespace zkit::test_support {
namespace {

Task<std::string> read(Session& s, std::string path) {
  auto d = co_await s.get(path);
  co_return d ? d->data : d.error().message();
}

Task<std::tuple<std::string, std::string>> read_both(Session& s, std::string a, std::string b) {
  auto [x, y] = co_await when_all(read(s, a), read(s, b));
  co_return std::tuple<std::string, std::string>(x, y);
}

TEST_CASE("sync_wait runs the loop until a task of when_all'd reads ends") {
  Loop loop;
  Session s = connect(loop);
  std::string a = unique_path("coro-a"), b = unique_path("coro-b");
  REQUIRE(await(loop, s.create(a, "first")).ok());
  REQUIRE(await(loop, s.create(b, "second")).ok());
  auto [x, y] = sync_wait(loop.get(), read_both(s, a, b));
  CHECK(x == "first");
  CHECK(y == "second");
  close(loop, s);
}

Task<int> count_after_sleep(Session& s, std::string path, int& turns_before) {
  co_await sleep_for(s, std::chrono::milliseconds(50));
  auto r = co_await s.exists(path);
  co_return r && r->has_value() ? turns_before : -1;
}

TEST_CASE("spawn delivers a task's result to its callback; sleep_for resumes on the loop") {
  Loop loop;
  Session s = connect(loop);
  std::string p = unique_path("coro-spawn");
  REQUIRE(await(loop, s.create(p, "")).ok());
  int marker = 7;
  std::optional<int> got;
  spawn(count_after_sleep(s, p, marker), [&got](int n) { got = n; });
  CHECK(!got.has_value());  // it is asleep: nothing ran it to the end yet
  REQUIRE(loop.run_until([&] { return got.has_value(); }));
  CHECK(*got == 7);
  close(loop, s);
}

Task<int> fails_after_a_read(Session& s) {
  auto r = co_await s.exists("/");
  if (r) throw std::runtime_error("a check failed inside the task");
  co_return 0;
}

TEST_CASE("sync_wait rethrows what escaped the task, so a failed REQUIRE inside fails only its test") {
  Loop loop;
  Session s = connect(loop);
  CHECK_THROWS_WITH_AS(sync_wait(loop.get(), fails_after_a_read(s)), "a check failed inside the task",
                       std::runtime_error);
  close(loop, s);
}

}  // namespace
}  // namespace zkit::test_support
