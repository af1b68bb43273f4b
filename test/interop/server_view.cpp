#include "server_view.hpp"

#include <cstdio>
#include <sstream>

#include "zkit/recipes/locks/lock_engine.hpp"
#include "zkit/testing/four_letter_word.hpp"

namespace zkit::interop {

using zkit::recipes::test::await;
using zkit::recipes::test::shared_server;

std::vector<std::string> wait_children(Loop& loop, Session& observer, const std::string& path, const std::vector<std::string>& markers,
                                       const std::function<bool(const std::vector<std::string>&)>& done,
                                       std::chrono::milliseconds timeout) {
  int changes = 0;
  auto watch = await(loop, observer.add_watch(path, WatchMode::persistent, [&](const WatchEvent&) { ++changes; }));
  REQUIRE_MESSAGE(watch.ok(), (watch.ok() ? "" : watch.error().message()));
  std::vector<std::string> now;
  int seen = -1;
  bool reached = false;
  bool ok = loop.run_until(
      [&] {
        if (reached || seen == changes) return reached;  // nothing new since the last listing
        seen = changes;
        now = zkit::recipes::test::children(loop, observer, path);
        zkit::recipes::sort_children(now, markers);
        return reached = done(now);
      },
      timeout);
  std::string listed;
  for (const auto& n : now) listed += " " + n;
  REQUIRE_MESSAGE(ok, "the children of " << path << " did not reach the expected shape; last:" << listed);
  return now;
}

std::string session_hex(std::int64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(id));
  return buf;
}

bool server_has_watch(const std::string& path, std::int64_t session_id) {
  auto r = zkit::testing::four_letter_word(shared_server().address(1), "wchp", std::chrono::seconds(2));
  if (!r) return false;
  // "<path>\n\t<session>\n\t<session>\n<path>\n..."
  std::istringstream lines(*r);
  const std::string wanted = "\t" + session_hex(session_id);
  bool in_path = false;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] != '\t') in_path = line == path;
    else if (in_path && line == wanted) return true;
  }
  return false;
}

bool wait_server_watch(Loop& loop, const std::string& path, std::int64_t session_id, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (int attempt = 0; attempt < 2000 && std::chrono::steady_clock::now() < deadline; ++attempt) {
    if (server_has_watch(path, session_id)) return true;
    loop.run_for(std::chrono::milliseconds(20));
  }
  return server_has_watch(path, session_id);
}

std::int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Task<Result<recipes::FencingToken>> stamped_acquire(recipes::Mutex& m, std::chrono::milliseconds timeout,
                                                    std::int64_t* at) {
  auto r = co_await m.acquire(timeout);
  *at = monotonic_ns();
  co_return r;
}

}  // namespace zkit::interop
