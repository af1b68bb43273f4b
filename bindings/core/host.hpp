// zkit::bindings::Host: one Session on a loop thread of its own, for the language bindings.
//
// zkit::Client is blocking only; a binding also needs the callback face from other threads
// (C's *_async calls, Python's *_async and asyncio). A Host posts work to its loop thread,
// where the Session runs it, and offers a blocking wait over the same callback, so every face
// of every binding goes through the Session's one completion path.
//
//   auto h = zkit::bindings::Host::open({.connect = "127.0.0.1:2181"});
//   (*h)->post([](zkit::Session& s) { s.sync("/", [](zkit::Result<void>) {}); });
//   auto d = (*h)->wait<zkit::Data>([](zkit::Session& s, zkit::Callback<zkit::Data> done) {
//     s.get("/a", {}, std::move(done));
//   });
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "zkit/session.hpp"
#include "zkit/task.hpp"
#include "zkit/uv/handle.hpp"
#include "zkit/uv/loop_thread.hpp"

namespace zkit::bindings {

class Host : public std::enable_shared_from_this<Host> {
 public:
  // While this many replies are due, posts leave the loop thread asleep: the next reply's turn
  // runs them, and a request queued behind so many is answered after them anyway.
  static constexpr std::size_t kRepliesAheadToSkipWakeups = 32;

  // Starts the loop thread and the session and waits until it is connected (as Client::open).
  static Result<std::shared_ptr<Host>> open(Options options);
  // Closes (as close()) and joins the loop thread.
  ~Host();
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  // Runs `f(session)` on the loop thread, after everything posted before it. False when the
  // host is closed: `f` is then dropped unrun.
  bool post(Function<void(Session&)> f);

  // Runs `f(session)` on the loop thread and waits until it ran (at once on the loop thread).
  // False when the host is closed and `f` did not run.
  bool run(Function<void(Session&)> f);

  // Runs `start(session, done)` on the loop thread and waits for `done`'s Result. On the loop
  // thread itself it would wait on itself: it fails at once with bad_arguments.
  template <class T, class Start>
  Result<T> wait(Start&& start) {
    if (thread_->on_loop_thread())
      return Error(Errc::bad_arguments,
                   "a blocking zkit call was made on the client's own loop thread (from a callback or "
                   "watcher): it would wait on itself; use the asynchronous form there");
    auto promise = std::make_shared<std::promise<Result<T>>>();
    auto future = promise->get_future();
    bool posted = post([&start, promise](Session& s) {
      start(s, Callback<T>([promise](Result<T> r) { promise->set_value(std::move(r)); }));
    });
    if (!posted) return Error(Errc::closing, "the client is closed");
    return future.get();
  }

  // Runs a coroutine on the loop thread to completion and waits for its value (recipes).
  template <class T, class Make>
  Result<T> run_task(Make&& make) {
    return wait<T>([&make](Session& s, Callback<T> done) {
      spawn(drive<T>(make(s), std::move(done)));
    });
  }

  // Starts a coroutine on the loop thread; `done` gets its value there.
  template <class T>
  bool spawn_task(Function<Task<Result<T>>(Session&)> make, Callback<T> done) {
    return post([make = std::move(make), done = std::move(done)](Session& s) mutable {
      spawn(drive<T>(make(s), std::move(done)));
    });
  }

  // Loop thread only: runs `f` at the end of this loop turn's I/O (libuv's check phase), after
  // every callback of the current read, in the order deferred. Cheaper than a post from the
  // loop thread to itself (no wake-up, no extra turn). Once the host has closed, `f` runs now.
  void defer(Function<void()> f);

  // Closes the session (pending requests fail with `closing`, each callback once) and ends the
  // loop thread; idempotent. On the loop thread it only starts the close.
  void close();

  bool on_loop_thread() const noexcept { return thread_->on_loop_thread(); }
  // Where the session stands, as last reported by the loop thread. Thread-safe.
  SessionState state() const noexcept { return state_.load(); }
  std::int64_t session_id() const noexcept { return session_id_.load(); }
  std::string session_password() const;
  std::chrono::milliseconds negotiated_timeout() const noexcept {
    return std::chrono::milliseconds(timeout_ms_.load());
  }
  // Blocks until the state is not `from` any more or `timeout` passed; returns the state.
  SessionState wait_state_change(SessionState from, std::chrono::milliseconds timeout) const;

 private:
  Host() = default;
  template <class T>
  static Task<void> drive(Task<Result<T>> task, Callback<T> done) {
    Result<T> r = co_await task;
    done(std::move(r));
  }
  void on_state(SessionState s);
  void run_deferred();
  // The last step of the loop thread: closes the session, then the check handle.
  void close_session(Function<void()> done);

  std::unique_ptr<uv::LoopThread> thread_;
  std::optional<Session> session_;  // touched on the loop thread only (and after join)
  ListenerId listener_ = 0;
  uv::Handle<uv_check_t> check_;               // loop thread only; closed with the session
  std::vector<Function<void()>> deferred_;     // loop thread only
  std::atomic<SessionState> state_{SessionState::connecting};
  std::atomic<std::int64_t> session_id_{0};
  std::atomic<std::int64_t> timeout_ms_{0};
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::string password_;  // under mu_
  std::once_flag closed_;
};

}  // namespace zkit::bindings
