#include "sessions.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace zkit::test_support {

zkit::testing::Cluster& shared_server() {
  static std::unique_ptr<zkit::testing::Cluster> server = [] {
    auto c = zkit::testing::Cluster::start({.size = 1, .tick_ms = 500});
    if (!c) FAIL("cannot start ZooKeeper: " << c.error().message());
    return std::move(c).value();
  }();
  return *server;
}

std::string unique_path(std::string_view prefix) {
  static std::atomic<int> counter{0};
  return "/" + std::string(prefix) + "-" + std::to_string(++counter) + "-" + std::to_string(::getpid());
}

bool verbose() {
  const char* v = std::getenv("ZKIT_TEST_LOG");
  return v != nullptr && *v != '\0';
}

void note(const std::string& line) {
  if (!verbose()) return;
  auto t = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch());
  std::fprintf(stderr, "[%lld] note: %s\n", static_cast<long long>(t.count() % 1000000), line.c_str());
}

Options options_for(const std::string& connect, std::chrono::milliseconds session_timeout) {
  Options o;
  o.connect = connect;
  o.session_timeout = session_timeout;
  o.backoff_initial = 20ms;
  o.backoff_max = 200ms;
  o.shuffle_hosts = false;
  if (verbose()) {
    o.log_level = LogLevel::info;
    o.logger = [](LogLevel, std::string_view line) {
      auto t = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now().time_since_epoch());
      std::fprintf(stderr, "[%lld] zkit: %.*s\n", static_cast<long long>(t.count() % 1000000),
                   static_cast<int>(line.size()), line.data());
    };
  } else {
    o.log_level = LogLevel::error;
  }
  return o;
}

Session connect(Loop& loop, Options options) {
  std::string where = options.connect;
  auto s = Session::start(loop.get(), std::move(options));
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message()));
  Session session = std::move(s).value();
  bool ok = loop.run_until([&] {
    auto st = session.state();
    return st == SessionState::connected || st == SessionState::read_only;
  });
  REQUIRE_MESSAGE(ok, "session did not connect to " << where);
  return session;
}

Session connect(Loop& loop) { return connect(loop, options_for(shared_server().connect_string())); }

void close(Loop& loop, Session& s) {
  bool closed = false;
  s.close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
}

std::vector<std::string> children(Loop& loop, Session& s, const std::string& path) {
  auto r = await(loop, s.get_children(path));
  if (!r && r.code() == Errc::no_node) return {};
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
  return r->names;
}

}  // namespace zkit::test_support
