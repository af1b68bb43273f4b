// zkit::uv::LoopThread: a libuv loop on a thread of its own, and the one inbox through which
// other threads hand it work. zkit::Client, the testing kit's FaultProxy and the tools run
// their loops on it.
//
// Rules it keeps:
// - Work posted from any thread runs on the loop thread, in the order it was posted.
// - SIGPIPE is blocked in the loop thread: a write to a peer that has just gone then fails with
//   EPIPE (and is handled) instead of ending the process; other threads' signals are untouched.
// - stop() runs one last piece of work, which ends the loop when it is done; posts after stop()
//   are refused. The loop ends once its last handle has closed, so that last piece of work
//   closes whatever handles it owns.
//
//   auto t = zkit::uv::LoopThread::start();
//   if (!t) return fail(t.error());
//   (*t)->run([&] { session = zkit::Session::start((*t)->loop(), options); });
//   ...
//   (*t)->stop([&](zkit::Function<void()> done) { session->close(std::move(done)); });
#pragma once

#include <uv.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "zkit/function.hpp"
#include "zkit/result.hpp"
#include "zkit/uv/handle.hpp"

namespace zkit::uv {

class LoopThread {
 public:
  // Where work is posted. Shared, so that something handed out by the loop's owner (a watch
  // handle, say) can still post after the LoopThread is gone: it is then refused.
  //
  // The loop thread is woken through an eventfd of the inbox's own, written only by the post
  // that finds the inbox empty, not through a uv_async_t: libuv's loop thread spins (and then
  // yields) when it wakes while uv_async_send is still between its write and its last store,
  // a visible share of a busy binding's loop thread on a 2-core machine.
  class Inbox {
   public:
    Inbox();
    ~Inbox();
    Inbox(const Inbox&) = delete;
    Inbox& operator=(const Inbox&) = delete;
    // Queues `f` for the loop thread; false (and `f` dropped unrun) once the loop is stopping.
    bool post(Function<void()> f);

   private:
    friend class LoopThread;
    void wake() noexcept;
    // The eventfd's poll callback: reads it, then runs what is queued.
    void drain();
    // Runs what is queued: from drain (`woken`: the eventfd was just read, so the next post
    // must write it again) or from libuv's check phase, every turn, leaving the eventfd alone.
    void run_queued(bool woken);
    // Just before the loop thread blocks (libuv's prepare phase): whether posts may skip the
    // wake-up from now on, given whether the loop will wake soon by itself.
    void before_poll(bool wakes_soon);
    // Lives as long as the inbox, so a post may write to it outside the lock while the loop
    // thread closes its poll handle.
    int wake_fd_ = -1;
    std::mutex mu_;
    std::vector<Function<void()>> items_;
    bool closed_ = false;
    bool draining_ = false;      // under mu_: the loop thread watches wake_fd_ and drains
    bool wake_pending_ = false;  // under mu_: wake_fd_ was (or is being) written, not yet drained
    bool wakes_soon_ = false;    // under mu_: the loop said before its last poll it will wake anyway
  };

  // Makes the loop and starts its thread. Fails with connection_loss and libuv's reason when
  // the loop or its inbox cannot be made.
  static Result<std::unique_ptr<LoopThread>> start(std::string name = "zkit-loop");
  // stop() without a last piece of work, then join(); on the loop thread itself (from one of
  // its callbacks) the thread cannot be joined and is detached to finish.
  ~LoopThread();
  LoopThread(const LoopThread&) = delete;
  LoopThread& operator=(const LoopThread&) = delete;

  // The loop; touch it only on the loop thread.
  uv_loop_t* loop() noexcept { return &state_->loop; }
  // Whether the calling thread is the loop thread.
  bool on_loop_thread() const noexcept { return std::this_thread::get_id() == id_; }
  // The inbox other threads post work through.
  const std::shared_ptr<Inbox>& inbox() const noexcept { return state_->inbox; }

  // Inbox::post on this loop's inbox.
  bool post(Function<void()> f) { return state_->inbox->post(std::move(f)); }
  // Runs `f` on the loop thread and waits until it has run (at once when called on the loop
  // thread). False when the loop is stopping and `f` did not run.
  bool run(Function<void()> f);

  // Loop thread only; once. Before each time the loop thread blocks, it asks `wakes_soon()`
  // whether something other than a post is sure to wake it soon (a reply it awaits); while
  // that holds, posts skip the eventfd and what they queue runs in the loop's next turn,
  // whatever woke it. A binding's host says "32 or more replies are due": a request queued
  // behind them is answered after them anyway (replies come in order), so sending it in the
  // next reply's turn costs it nothing, and a loop thread busy with a pipeline is woken by
  // its replies alone instead of once per post as well. stop() still wakes the loop at once.
  // `wakes_soon` must not post.
  void skip_wakeups_while(Function<bool()> wakes_soon);

  // Refuses later posts; after the work posted before, runs `last(done)` on the loop thread;
  // once `done` has been called the inbox closes, and the loop ends when its other handles have
  // closed too. Idempotent: later calls do nothing (their `last` is dropped).
  void stop(Function<void(Function<void()> done)> last = {});
  // Waits for the loop thread to end (after stop()). Does nothing on the loop thread itself.
  void join();

 private:
  // What the thread runs on: shared with the thread, so a LoopThread destroyed from its own
  // callback (and detached) leaves the loop alive until the thread is done with it.
  struct State {
    uv_loop_t loop{};
    std::shared_ptr<Inbox> inbox = std::make_shared<Inbox>();
    Handle<uv_poll_t> wake;  // readable when the inbox's eventfd was written; closed first
    // With skip_wakeups_while: the check runs what was posted without a wake-up, the prepare
    // asks `wakes_soon`. Closed with `wake`.
    Handle<uv_check_t> take;
    Handle<uv_prepare_t> decide;
    Function<bool()> wakes_soon;
  };
  LoopThread() = default;

  std::shared_ptr<State> state_ = std::make_shared<State>();
  std::thread thread_;
  // The loop thread's id while it may run; the "no thread" id once joined, because thread ids
  // are reused (so on_loop_thread() is false after join()). Read from any thread
  // (on_loop_thread), written by start() and join().
  std::atomic<std::thread::id> id_{};
};

}  // namespace zkit::uv
