#include "zkit/uv/loop_thread.hpp"

#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <future>
#include <string>

namespace zkit::uv {

LoopThread::Inbox::Inbox() : wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

LoopThread::Inbox::~Inbox() {
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

bool LoopThread::Inbox::post(Function<void()> f) {
  bool wake_now;
  {
    std::lock_guard lock(mu_);
    if (closed_ || !draining_) return false;
    items_.push_back(std::move(f));
    // One wake-up until the drain: the drain takes the rest with it (it reads the eventfd
    // before it takes the items, so none is left behind). None while the loop wakes anyway.
    wake_now = !wake_pending_ && !wakes_soon_;
    if (wake_now) wake_pending_ = true;
  }
  if (wake_now) wake();
  return true;
}

void LoopThread::Inbox::wake() noexcept {
  // Fails only when the counter is full (2^64 - 2 unread wake-ups), which still wakes the loop.
  std::uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
}

void LoopThread::Inbox::drain() {
  std::uint64_t count;
  [[maybe_unused]] ssize_t n = ::read(wake_fd_, &count, sizeof count);
  run_queued(/*woken=*/true);
}

void LoopThread::Inbox::run_queued(bool woken) {
  std::vector<Function<void()>> items;
  {
    std::lock_guard lock(mu_);
    if (woken) wake_pending_ = false;
    if (items_.empty()) return;
    items.swap(items_);
  }
  for (auto& f : items) f();
}

void LoopThread::Inbox::before_poll(bool wakes_soon) {
  bool wake_now = false;
  {
    std::lock_guard lock(mu_);
    if (items_.empty()) {
      wakes_soon_ = wakes_soon;
    } else {
      // Posted since this turn's check, without a wake-up: running it here would leave its
      // writes for after the poll (the connection's flush has run), so the loop wakes itself.
      wakes_soon_ = false;
      wake_now = !wake_pending_;
      wake_pending_ = true;
    }
  }
  if (wake_now) wake();
}

Result<std::unique_ptr<LoopThread>> LoopThread::start(std::string name) {
  std::unique_ptr<LoopThread> t(new LoopThread);
  std::shared_ptr<State> st = t->state_;
  if (st->inbox->wake_fd_ < 0)
    return Error(Errc::connection_loss, "cannot make the loop's eventfd: " + std::string(std::strerror(errno)));
  if (int rc = uv_loop_init(&st->loop); rc != 0)
    return Error(Errc::connection_loss, "cannot make a libuv loop: " + std::string(uv_strerror(rc)));
  st->wake = Handle<uv_poll_t>(&st->loop, uv_poll_init, st->inbox->wake_fd_);
  int rc = st->wake ? uv_poll_start(st->wake.get(), UV_READABLE,
                                    [](uv_poll_t* p, int, int) { static_cast<Inbox*>(p->data)->drain(); })
                    : st->wake.error();
  if (rc != 0) {
    st->wake.close();
    uv_run(&st->loop, UV_RUN_DEFAULT);  // runs the close callback, so the loop can close
    uv_loop_close(&st->loop);
    return Error(Errc::connection_loss, "cannot watch the loop's eventfd: " + std::string(uv_strerror(rc)));
  }
  st->wake->data = st->inbox.get();
  st->inbox->draining_ = true;
  t->thread_ = std::thread([st, name = std::move(name)] {
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    uv_run(&st->loop, UV_RUN_DEFAULT);
    uv_loop_close(&st->loop);
  });
  t->id_ = t->thread_.get_id();
  return t;
}

LoopThread::~LoopThread() {
  stop();
  if (on_loop_thread() && thread_.joinable()) {
    // Destroyed from one of its own callbacks: the thread finishes the stop by itself, on the
    // State it shares.
    thread_.detach();
    return;
  }
  join();
}

bool LoopThread::run(Function<void()> f) {
  if (on_loop_thread()) {
    f();
    return true;
  }
  std::promise<void> ran;
  auto done = ran.get_future();
  if (!post([&] {
        f();
        ran.set_value();
      }))
    return false;
  done.wait();
  return true;
}

void LoopThread::skip_wakeups_while(Function<bool()> wakes_soon) {
  State& st = *state_;
  if (st.wakes_soon || !wakes_soon) return;
  st.wakes_soon = std::move(wakes_soon);
  st.take = Handle<uv_check_t>(&st.loop, uv_check_init);
  st.decide = Handle<uv_prepare_t>(&st.loop, uv_prepare_init);
  if (!st.take || !st.decide) {  // cannot fail in libuv; without both, posts keep waking
    st.take.close();
    st.decide.close();
    return;
  }
  st.take->data = &st;
  st.decide->data = &st;
  uv_check_start(st.take.get(), [](uv_check_t* c) { static_cast<State*>(c->data)->inbox->run_queued(/*woken=*/false); });
  uv_prepare_start(st.decide.get(), [](uv_prepare_t* p) {
    auto* s = static_cast<State*>(p->data);
    s->inbox->before_poll(s->wakes_soon());
  });
}

void LoopThread::stop(Function<void(Function<void()> done)> last) {
  Inbox& in = *state_->inbox;
  bool first;
  {
    std::lock_guard lock(in.mu_);
    if (in.closed_ || !in.draining_) return;
    in.closed_ = true;
    first = !in.wake_pending_;
    in.wake_pending_ = true;
    // Runs after everything posted before; holds the State, not `this` (which may be gone).
    in.items_.push_back([st = state_, last = std::move(last)]() mutable {
      auto finish = [st] {
        st->inbox->drain();  // nothing more can be posted: run what came before the stop
        {
          std::lock_guard l(st->inbox->mu_);
          st->inbox->draining_ = false;
          st->inbox->wakes_soon_ = false;
        }
        st->wake.close();
        st->take.close();
        st->decide.close();
      };
      if (last) last(finish);
      else finish();
    });
  }
  if (first) in.wake();
}

void LoopThread::join() {
  if (on_loop_thread() || !thread_.joinable()) return;
  thread_.join();
  id_ = std::thread::id();
}

}  // namespace zkit::uv
