#include "tasks.hpp"

#include <coroutine>

namespace zkit::test_support {

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

double now_ms() {
  static const auto t0 = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace zkit::test_support
