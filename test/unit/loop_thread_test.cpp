// zkit::uv::LoopThread: posts in order on the loop thread, concurrent posts all woken, run()
// waits, stop(last) after the earlier posts and before the refusals, an Inbox outliving its
// thread, SIGPIPE blocked there.
#include <doctest/doctest.h>
#include <pthread.h>

#include <chrono>
#include <csignal>
#include <future>
#include <thread>
#include <vector>

#include "zkit/uv/loop_thread.hpp"

using namespace std::chrono_literals;
using zkit::Function;
using zkit::uv::LoopThread;

namespace {

std::unique_ptr<LoopThread> start_loop() {
  auto t = LoopThread::start("unit-loop");
  REQUIRE_MESSAGE(t, (t ? "" : t.error().message()));
  return std::move(*t);
}

bool pipe_blocked_here() {
  sigset_t now;
  pthread_sigmask(SIG_BLOCK, nullptr, &now);
  return sigismember(&now, SIGPIPE) == 1;
}

}  // namespace

TEST_CASE("posts run on the loop thread, in the order they were posted") {
  auto t = start_loop();
  std::vector<int> order;
  std::vector<std::thread::id> where;
  for (int i = 0; i < 200; ++i)
    REQUIRE(t->post([&, i] {
      order.push_back(i);
      where.push_back(std::this_thread::get_id());
    }));
  std::thread::id loop_id;
  REQUIRE(t->run([&] { loop_id = std::this_thread::get_id(); }));  // after all of them
  CHECK(loop_id != std::this_thread::get_id());
  REQUIRE(order.size() == 200);
  for (int i = 0; i < 200; ++i) {
    CHECK(order[i] == i);
    CHECK(where[i] == loop_id);
  }
}

TEST_CASE("posts from several threads at once, and from the loop thread itself, all wake the loop") {
  // Only the post that finds the inbox empty wakes the loop thread; one lost wake-up leaves
  // an item unrun and the wait below runs out.
  auto t = start_loop();
  // One at a time: each post finds the inbox empty and must wake the loop by itself.
  for (int i = 0; i < 2000; ++i) {
    std::promise<void> ran_one;
    REQUIRE(t->post([&] { ran_one.set_value(); }));
    REQUIRE(ran_one.get_future().wait_for(10s) == std::future_status::ready);
  }
  // A storm: most posts find items waiting and leave the waking to the first.
  constexpr int threads = 4, each = 20000;
  int ran = 0, reposted = 0;  // loop thread only
  std::promise<void> all;
  auto one = [&] {
    if (++ran == threads * each + threads * each / 100) all.set_value();
  };
  std::vector<std::thread> posters;
  for (int p = 0; p < threads; ++p)
    posters.emplace_back([&] {
      for (int i = 0; i < each; ++i)
        CHECK(t->post([&, i] {
          one();
          // Every hundredth item posts another from the loop thread, into a drained inbox.
          if (i % 100 == 0) {
            ++reposted;
            CHECK(t->post(one));
          }
        }));
    });
  for (auto& p : posters) p.join();
  REQUIRE(all.get_future().wait_for(60s) == std::future_status::ready);
  t->run([&] {
    CHECK(ran == threads * each + threads * each / 100);
    CHECK(reposted == threads * each / 100);
  });
}

TEST_CASE("run() returns once its work has run; on the loop thread it runs at once") {
  auto t = start_loop();
  int ran = 0;  // no atomics: run() itself must order the write before the read
  CHECK(t->run([&] { ran = 1; }));
  CHECK(ran == 1);

  bool inner = false, inner_first = false;
  t->run([&] {
    CHECK(t->on_loop_thread());
    t->run([&] { inner = true; });  // would wait for itself if it posted
    inner_first = inner;
  });
  CHECK(inner_first);
  CHECK_FALSE(t->on_loop_thread());
}

TEST_CASE("stop(last) runs last after earlier posts, refuses later ones, and ends the loop") {
  auto t = start_loop();
  std::vector<std::string> seen;
  std::promise<void> gate;
  // Holds the loop until everything below is posted, so the posts queue up behind it.
  REQUIRE(t->post([&, held = gate.get_future().share()] { held.wait(); seen.push_back("a"); }));
  REQUIRE(t->post([&] { seen.push_back("b"); }));
  bool refused_inside_last = false;
  t->stop([&](Function<void()> done) {
    seen.push_back("last");
    refused_inside_last = !t->post([&] { seen.push_back("posted inside last"); });
    done();
  });
  CHECK_FALSE(t->post([&] { seen.push_back("posted after stop"); }));
  CHECK_FALSE(t->run([&] { seen.push_back("run after stop"); }));
  t->stop([&](Function<void()> done) {  // a second stop does nothing
    seen.push_back("second last");
    done();
  });
  gate.set_value();
  t->join();
  CHECK(seen == std::vector<std::string>{"a", "b", "last"});
  CHECK(refused_inside_last);
}

TEST_CASE("stop(last) keeps the loop until `last` calls done, and its handles have closed") {
  auto t = start_loop();
  bool fired = false, closed = false;
  zkit::uv::Handle<uv_timer_t> timer;  // loop thread only
  t->stop([&](Function<void()> done) {
    timer = zkit::uv::Handle<uv_timer_t>(t->loop(), uv_timer_init);
    timer->data = new Function<void()>([&, done = std::move(done)]() mutable {
      fired = true;
      timer.close([&] { closed = true; });
      done();  // later than stop() itself: the loop has waited
    });
    uv_timer_start(timer.get(), [](uv_timer_t* h) {
      auto* f = static_cast<Function<void()>*>(h->data);
      (*f)();
      delete f;
    }, 1, 0);
  });
  t->join();
  CHECK(fired);
  CHECK(closed);  // the thread ended only after the timer's close callback
}

TEST_CASE("an Inbox that outlives its LoopThread refuses work") {
  std::shared_ptr<LoopThread::Inbox> inbox;
  {
    auto t = start_loop();
    inbox = t->inbox();
    bool ran = false;
    REQUIRE(inbox->post([&] { ran = true; }));
    t->run([] {});
    CHECK(ran);
  }  // stopped and joined
  bool ran_late = false;
  CHECK_FALSE(inbox->post([&] { ran_late = true; }));
  CHECK_FALSE(ran_late);
}

TEST_CASE("SIGPIPE is blocked in the loop thread and only there") {
  bool before = pipe_blocked_here();
  auto t = start_loop();
  bool in_loop = false;
  REQUIRE(t->run([&] { in_loop = pipe_blocked_here(); }));
  CHECK(in_loop);
  CHECK(pipe_blocked_here() == before);  // the caller's mask is untouched
}

TEST_CASE("a LoopThread destroyed from one of its own callbacks finishes by itself") {
  auto t = start_loop();
  std::promise<void> destroyed;
  auto done = destroyed.get_future();
  REQUIRE(t->post([&] {
    t.reset();  // cannot join itself: detaches, and the loop ends on its own
    destroyed.set_value();
  }));
  REQUIRE(done.wait_for(10s) == std::future_status::ready);
  CHECK(t == nullptr);
}

// Thread ids are reused: once the loop thread has been joined, a new thread may get its id
// (glibc hands a new thread the stack and descriptor of the last one that ended). Such a thread
// is not the loop thread, and destroying the LoopThread there must not treat it as one (that
// detach() of a joined thread threw and ended the process: a Python binding's dispatcher
// thread, started just after an old client's loop thread was joined, destroyed that old client
// in a garbage collection).
TEST_CASE("after join, a thread that reuses the loop thread's id is not the loop thread") {
  auto t = start_loop();
  std::thread::id old;
  REQUIRE(t->run([&] { old = std::this_thread::get_id(); }));
  t->stop();
  t->join();
  bool reused = false, claimed = true;
  for (int i = 0; i < 100 && !reused; ++i) {
    std::thread other([&] {
      if (std::this_thread::get_id() != old) return;
      reused = true;
      claimed = t->on_loop_thread();
      t.reset();  // destroyed on a thread with the old id: must neither detach nor throw
    });
    other.join();
  }
  REQUIRE_MESSAGE(reused, "no new thread got the joined loop thread's id in 100 tries");
  CHECK_FALSE(claimed);
  CHECK(t == nullptr);
}
