#include "zkit/uv/loop_thread.hpp"

#include <pthread.h>

#include <csignal>
#include <future>
#include <string>

namespace zkit::uv {

bool LoopThread::Inbox::post(Function<void()> f) {
  // Sent under the lock: the loop thread nulls async_ under it before closing the handle.
  std::lock_guard lock(mu_);
  if (closed_ || !async_) return false;
  items_.push_back(std::move(f));
  uv_async_send(async_);
  return true;
}

void LoopThread::Inbox::drain() {
  std::vector<Function<void()>> items;
  {
    std::lock_guard lock(mu_);
    items.swap(items_);
  }
  for (auto& f : items) f();
}

Result<std::unique_ptr<LoopThread>> LoopThread::start(std::string name) {
  std::unique_ptr<LoopThread> t(new LoopThread);
  std::shared_ptr<State> st = t->state_;
  if (int rc = uv_loop_init(&st->loop); rc != 0)
    return Error(Errc::connection_loss, "cannot make a libuv loop: " + std::string(uv_strerror(rc)));
  st->async = Handle<uv_async_t>(&st->loop, uv_async_init,
                                 [](uv_async_t* a) { static_cast<Inbox*>(a->data)->drain(); });
  if (!st->async) {
    uv_loop_close(&st->loop);
    return Error(Errc::connection_loss,
                 "cannot make a libuv async handle: " + std::string(uv_strerror(st->async.error())));
  }
  st->async->data = st->inbox.get();
  st->inbox->async_ = st->async.get();
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

void LoopThread::stop(Function<void(Function<void()> done)> last) {
  Inbox& in = *state_->inbox;
  std::lock_guard lock(in.mu_);
  if (in.closed_ || !in.async_) return;
  in.closed_ = true;
  // Runs after everything posted before; holds the State, not `this` (which may be gone).
  in.items_.push_back([st = state_, last = std::move(last)]() mutable {
    auto finish = [st] {
      st->inbox->drain();  // nothing more can be posted: run what came before the stop
      {
        std::lock_guard l(st->inbox->mu_);
        st->inbox->async_ = nullptr;
      }
      st->async.close();
    };
    if (last) last(finish);
    else finish();
  });
  uv_async_send(in.async_);
}

void LoopThread::join() {
  if (on_loop_thread() || !thread_.joinable()) return;
  thread_.join();
  id_ = std::thread::id();
}

}  // namespace zkit::uv
