#include "support.hpp"

#include <unistd.h>

#include <atomic>

namespace zkit::test {

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

Loop::Loop() { uv_loop_init(&loop_); }

Loop::~Loop() {
  drain(scaled(10s));
  // Handles the test left open would make uv_loop_close fail: walk and close them.
  uv_walk(
      &loop_, [](uv_handle_t* h, void*) { if (!uv_is_closing(h)) uv_close(h, nullptr); }, nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
}

bool Loop::run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  if (done()) return true;
  bool expired = false;
  uv_timer_t deadline;
  uv_timer_init(&loop_, &deadline);
  deadline.data = &expired;
  uv_timer_start(&deadline, [](uv_timer_t* t) { *static_cast<bool*>(t->data) = true; },
                 static_cast<std::uint64_t>(timeout.count()), 0);
  uv_unref(reinterpret_cast<uv_handle_t*>(&deadline));  // the deadline alone keeps nothing alive
  while (!done() && !expired) {
    // With nothing but the deadline left, uv_run returns at once: then nothing can change.
    if (uv_run(&loop_, UV_RUN_ONCE) == 0 && !uv_loop_alive(&loop_) && !done()) break;
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
  uv_run(&loop_, UV_RUN_NOWAIT);  // let the close callback run before `deadline` goes away
  return done();
}

bool Loop::drain(std::chrono::milliseconds timeout) {
  return run_until([this] { return !uv_loop_alive(&loop_); }, timeout) || !uv_loop_alive(&loop_);
}

Options options_for(const std::string& connect, std::chrono::milliseconds session_timeout) {
  Options o;
  o.connect = connect;
  o.session_timeout = session_timeout;
  o.backoff_initial = 20ms;
  o.backoff_max = 200ms;
  o.log_level = LogLevel::error;
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

}  // namespace zkit::test
