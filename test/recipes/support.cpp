#include "support.hpp"

#include <unistd.h>

#include <atomic>

namespace zkit::recipes::test {

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
  run_until([this] { return !uv_loop_alive(&loop_); }, scaled(10s));
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
  uv_unref(reinterpret_cast<uv_handle_t*>(&deadline));
  while (!done() && !expired) {
    if (uv_run(&loop_, UV_RUN_ONCE) == 0 && !uv_loop_alive(&loop_) && !done()) break;
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
  uv_run(&loop_, UV_RUN_NOWAIT);
  return done();
}

void Loop::run_for(std::chrono::milliseconds d) {
  bool over = false;
  uv_timer_t t;
  uv_timer_init(&loop_, &t);
  t.data = &over;
  uv_timer_start(&t, [](uv_timer_t* h) { *static_cast<bool*>(h->data) = true; }, static_cast<std::uint64_t>(d.count()), 0);
  while (!over) uv_run(&loop_, UV_RUN_ONCE);
  uv_close(reinterpret_cast<uv_handle_t*>(&t), nullptr);
  uv_run(&loop_, UV_RUN_NOWAIT);
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

Session connect(Loop& loop) { return connect(loop, options_for(shared_server().connect_string())); }

void close(Loop& loop, Session& s) {
  bool closed = false;
  s.close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
}

Task<void> sleep_for(uv_loop_t* loop, std::chrono::milliseconds d) {
  struct Sleep {
    uv_timer_t timer;
    std::coroutine_handle<> waiter;
  };
  auto* s = new Sleep{};
  uv_timer_init(loop, &s->timer);
  s->timer.data = s;
  struct Awaiter {
    Awaiter(Sleep* sleep, std::chrono::milliseconds after) : s(sleep), d(after) {}
    Sleep* s;
    std::chrono::milliseconds d;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) {
      s->waiter = h;
      uv_timer_start(&s->timer, [](uv_timer_t* t) {
        auto* self = static_cast<Sleep*>(t->data);
        uv_close(reinterpret_cast<uv_handle_t*>(t), [](uv_handle_t* h) { delete static_cast<Sleep*>(h->data); });
        self->waiter.resume();
      }, static_cast<std::uint64_t>(d.count()), 0);
    }
    void await_resume() const noexcept {}
  };
  co_await Awaiter(s, d);
}

std::vector<std::string> children(Loop& loop, Session& s, const std::string& path) {
  auto r = await(loop, s.get_children(path));
  if (!r && r.code() == Errc::no_node) return {};
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
  return r->names;
}

double now_ms() {
  static const auto t0 = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace zkit::recipes::test
