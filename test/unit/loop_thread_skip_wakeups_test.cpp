// zkit::uv::LoopThread::skip_wakeups_while: a post made while a reply is due runs in the
// reply's turn instead of waking the loop; nothing posted is stranded, whichever phase of the
// loop posts it; stop() still wakes the loop at once; a storm of pipelined posts all run.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include "zkit/uv/loop_thread.hpp"

using namespace std::chrono_literals;
using zkit::Function;
using zkit::uv::Handle;
using zkit::uv::LoopThread;

namespace {

// Answers each byte written to it with the same byte, in order, as a server answers requests.
// A held peer answers one byte per release().
class EchoPeer {
 public:
  explicit EchoPeer(bool held) : held_(held) {
    int fds[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    loop_fd_ = fds[0];
    peer_fd_ = fds[1];
    thread_ = std::thread([this] { serve(); });
  }
  ~EchoPeer() {
    stopping_ = true;
    permits_.release(1 << 20);
    shutdown(loop_fd_, SHUT_WR);  // the peer reads the end of the stream and returns
    thread_.join();
    close(loop_fd_);
    close(peer_fd_);
  }
  int loop_fd() const { return loop_fd_; }
  void release() { permits_.release(); }

 private:
  void serve() {
    char buf[256];
    for (;;) {
      ssize_t n = read(peer_fd_, buf, sizeof buf);
      if (n <= 0) return;
      for (ssize_t i = 0; i < n; ++i) {
        if (held_ && !stopping_) permits_.acquire();
        if (write(peer_fd_, &buf[i], 1) != 1) return;
      }
    }
  }
  bool held_;
  int loop_fd_ = -1, peer_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::counting_semaphore<1 << 30> permits_{0};
  std::thread thread_;
};

// A loop thread that writes "requests" to an EchoPeer and counts the replies due, with
// skip_wakeups_while(one or more replies due). Rounds: send one request, wait until the loop
// has decided to sleep on it, then act while it sleeps. A round starts through a socket of its
// own, not a post: a post's wake-up still pending would wake the loop the test wants asleep.
struct Rig {
  explicit Rig(bool held) : peer(held) {
    auto started = LoopThread::start("skip-wakeups");
    REQUIRE_MESSAGE(started, (started ? "" : started.error().message()));
    t = std::move(*started);
    REQUIRE(fcntl(peer.loop_fd(), F_SETFL, O_NONBLOCK) == 0);
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, rounds) == 0);
    REQUIRE(t->run([this] {
      // Both started before skip_wakeups_while, so libuv runs them after the inbox's own check
      // and prepare handles (libuv runs the most recently started handle of a phase first).
      // The late prepare says the loop is asleep only once the inbox has recorded its decision.
      late_prepare = Handle<uv_prepare_t>(t->loop(), uv_prepare_init);
      late_prepare->data = this;
      uv_prepare_start(late_prepare.get(), [](uv_prepare_t* p) {
        auto* rig = static_cast<Rig*>(p->data);
        std::lock_guard lock(rig->mu);
        if (rig->due >= 1 && rig->asleep) std::exchange(rig->asleep, nullptr)->set_value();
      });
      round_starts = Handle<uv_poll_t>(t->loop(), uv_poll_init, rounds[0]);
      round_starts->data = this;
      uv_poll_start(round_starts.get(), UV_READABLE, [](uv_poll_t* p, int, int) {
        auto* rig = static_cast<Rig*>(p->data);
        char c;
        while (read(rig->rounds[0], &c, 1) == 1) rig->send('r');
      });
      late_check = Handle<uv_check_t>(t->loop(), uv_check_init);
      late_check->data = this;
      uv_check_start(late_check.get(), [](uv_check_t* c) {
        auto* rig = static_cast<Rig*>(c->data);
        if (auto f = std::exchange(rig->in_late_check, {})) f();
      });
      replies = Handle<uv_poll_t>(t->loop(), uv_poll_init, peer.loop_fd());
      replies->data = this;
      uv_poll_start(replies.get(), UV_READABLE, [](uv_poll_t* p, int, int) {
        auto* rig = static_cast<Rig*>(p->data);
        char buf[256];
        ssize_t n;
        while ((n = read(rig->peer.loop_fd(), buf, sizeof buf)) > 0) {
          rig->due -= static_cast<int>(n);
          for (ssize_t i = 0; i < n; ++i) rig->on_reply(buf[i]);
        }
      });
      t->skip_wakeups_while([this] { return due >= 1; });
    }));
  }
  ~Rig() {
    if (t) stop_and_join();
    close(rounds[0]);
    close(rounds[1]);
  }
  void stop_and_join() {
    t->stop([this](Function<void()> done) {
      replies.close();
      round_starts.close();
      late_check.close();
      late_prepare.close();
      done();
    });
    t->join();
  }

  // Loop thread only (so CHECK, not REQUIRE).
  void send(char tag) {
    ++due;
    CHECK(write(peer.loop_fd(), &tag, 1) == 1);
  }
  // Sends one held request and returns once the loop has told the inbox it will wake anyway.
  void send_and_wait_until_asleep() {
    auto p = std::make_shared<std::promise<void>>();  // outlives a failed wait
    auto f = p->get_future();
    {
      std::lock_guard lock(mu);
      asleep = p;
    }
    REQUIRE(write(rounds[1], "g", 1) == 1);
    REQUIRE(f.wait_for(10s) == std::future_status::ready);
  }

  EchoPeer peer;
  std::unique_ptr<LoopThread> t;
  int rounds[2] = {-1, -1};  // the test writes [1]; the loop reads [0] and sends a request
  std::mutex mu;
  std::shared_ptr<std::promise<void>> asleep;  // under mu: set at the loop's next sleep on a reply
  // Loop thread only:
  Handle<uv_poll_t> replies, round_starts;
  Handle<uv_check_t> late_check;
  Handle<uv_prepare_t> late_prepare;
  int due = 0;
  Function<void(char)> on_reply = [](char) {};
  Function<void()> in_late_check;
};

}  // namespace

TEST_CASE("while a reply is due, another thread's post runs in the reply's turn, without a wake-up") {
  // Without the skip, the post's own wake-up runs it before the reply it was posted ahead of
  // (the peer answers only after the post).
  std::string order;  // loop thread only; read after each round's wait; outlives the loop
  Rig rig(/*held=*/true);
  rig.on_reply = [&](char) { order += 'r'; };
  for (int round = 0; round < 100; ++round) {
    order.clear();
    rig.send_and_wait_until_asleep();
    auto ran = std::make_shared<std::promise<void>>();
    REQUIRE(rig.t->post([&order, ran] {
      order += 'x';
      ran->set_value();
    }));
    rig.peer.release();
    REQUIRE(ran->get_future().wait_for(10s) == std::future_status::ready);
    REQUIRE_MESSAGE(order == "rx", "round " << round);
  }
}

TEST_CASE("a post from the turn that takes the last reply, after the inbox's check, still runs") {
  // The loop had said it would wake anyway, so the post skips the wake-up; by the time the
  // loop is about to block again no reply is due, and only its own wake-up runs the post.
  Rig rig(/*held=*/true);
  for (int round = 0; round < 100; ++round) {
    auto ran = std::make_shared<std::promise<void>>();
    rig.on_reply = [&rig, ran](char) {
      if (rig.due == 0) rig.in_late_check = [&rig, ran] { CHECK(rig.t->post([ran] { ran->set_value(); })); };
    };
    rig.send_and_wait_until_asleep();
    rig.peer.release();
    REQUIRE_MESSAGE(ran->get_future().wait_for(10s) == std::future_status::ready, "round " << round);
  }
}

TEST_CASE("stop() wakes a loop that sleeps on a reply due") {
  Rig rig(/*held=*/true);
  rig.send_and_wait_until_asleep();
  auto joined = std::async(std::launch::async, [&] { rig.stop_and_join(); });
  bool in_time = joined.wait_for(10s) == std::future_status::ready;
  if (!in_time) rig.peer.release();  // let the reply wake it, so the test can end
  joined.wait();
  rig.t.reset();
  CHECK(in_time);
}

TEST_CASE("pipelined posts from several threads against a live peer all run") {
  // Each poster keeps up to 64 requests outstanding, so the loop mostly sleeps on replies due
  // and runs posts in the replies' turns; one stranded post leaves its poster's window shut.
  Rig rig(/*held=*/false);
  constexpr int posters = 3, each = 20000, window = 64;
  std::vector<std::unique_ptr<std::counting_semaphore<window>>> windows;
  for (int p = 0; p < posters; ++p) windows.push_back(std::make_unique<std::counting_semaphore<window>>(window));
  int answered = 0;  // loop thread only
  std::promise<void> all;
  rig.on_reply = [&](char tag) {
    windows[tag]->release();
    if (++answered == posters * each) all.set_value();
  };
  std::vector<std::thread> threads;
  std::atomic<int> stalled{0};
  for (int p = 0; p < posters; ++p)
    threads.emplace_back([&, p] {
      for (int i = 0; i < each; ++i) {
        if (!windows[p]->try_acquire_for(10s)) {
          ++stalled;
          return;
        }
        if (!rig.t->post([&rig, p] { rig.send(static_cast<char>(p)); })) return;
      }
    });
  for (auto& th : threads) th.join();
  REQUIRE(stalled == 0);
  REQUIRE(all.get_future().wait_for(60s) == std::future_status::ready);
  rig.t->run([&] { CHECK(rig.due == 0); });
}
