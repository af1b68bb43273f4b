// Timer: a uv::Handle<uv_timer_t> and the callback it fires; the handle's close frees both.
#include "zkit/timer.hpp"

#include <algorithm>
#include <cstdint>

#include "zkit/uv/handle.hpp"

namespace zkit {

struct Timer::State {
  uv::Handle<uv_timer_t> timer;
  Function<void()> fire;
};

Timer::Timer(const Session& session) : Timer(session.loop()) {}

Timer::Timer(uv_loop_t* loop) : state_(new State{uv::Handle<uv_timer_t>(loop, uv_timer_init), {}}) {
  state_->timer->data = state_;
}

Timer::Timer(Timer&& o) noexcept : state_(std::exchange(o.state_, nullptr)) {}

Timer& Timer::operator=(Timer&& o) noexcept {
  if (this != &o) {
    this->~Timer();
    state_ = std::exchange(o.state_, nullptr);
  }
  return *this;
}

Timer::~Timer() {
  if (!state_) return;
  // The callback may be running now (it destroys its own Timer): the State goes only once the
  // handle has closed, and the callback already holds its own `fire`.
  State* s = std::exchange(state_, nullptr);
  s->fire = nullptr;
  s->timer.close([s] { delete s; });
}

void Timer::start(std::chrono::milliseconds after, Function<void()> fire) {
  state_->fire = std::move(fire);
  auto ms = static_cast<std::uint64_t>(std::max<std::int64_t>(0, after.count()));
  uv_timer_start(
      state_->timer.get(),
      [](uv_timer_t* t) {
        // Moved out first: the callback may destroy or restart the Timer.
        Function<void()> f = std::move(static_cast<State*>(t->data)->fire);
        if (f) f();
      },
      ms, 0);
}

void Timer::stop() {
  uv_timer_stop(state_->timer.get());
  state_->fire = nullptr;
}

bool Timer::active() const noexcept {
  return state_ && uv_is_active(state_->timer.base()) != 0;
}

}  // namespace zkit
