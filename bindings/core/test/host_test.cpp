// zkit::bindings::Host against a real server (run by with_cluster, connect string in argv[1]):
// deferred work runs on the loop thread after the callback that deferred it, in order, and none
// is lost when the host closes with work deferred or requests pending, even when the close
// finishes within the turn that deferred it.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "host.hpp"

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "FAILED: %s\n", what);
  ++failures;
}

std::shared_ptr<zkit::bindings::Host> open(const char* connect) {
  zkit::Options o;
  o.connect = connect;
  auto h = zkit::bindings::Host::open(std::move(o));
  if (!h) {
    std::fprintf(stderr, "cannot open a host at %s: %s\n", connect, h.error().message().c_str());
    std::exit(2);
  }
  return std::move(h).value();
}

void deferred_work_runs_after_its_callback_in_order(const char* connect) {
  auto h = open(connect);
  std::vector<std::string> order;  // loop thread only until run() returns
  std::thread::id loop_id;
  bool on_loop = true;
  std::atomic<bool> done{false};
  h->post([&](zkit::Session&) {
    loop_id = std::this_thread::get_id();
    h->defer([&] {
      order.push_back("a");
      on_loop = on_loop && std::this_thread::get_id() == loop_id;
      // Deferred from deferred work: the next turn's.
      h->defer([&] {
        order.push_back("c");
        done = true;
      });
    });
    h->defer([&] { order.push_back("b"); });
    order.push_back("callback");
  });
  // A request after: its reply comes turns later, after the deferred work.
  auto got = h->wait<zkit::Data>([](zkit::Session& s, zkit::Callback<zkit::Data> cb) { s.get("/", {}, std::move(cb)); });
  check(static_cast<bool>(got), "a get after deferring");
  h->run([](zkit::Session&) {});
  check(done.load(), "work deferred from deferred work ran");
  check(order == std::vector<std::string>({"callback", "a", "b", "c"}), "deferred after the callback, in order");
  check(on_loop, "deferred work runs on the loop thread");
}

void close_loses_no_deferred_work(const char* connect) {
  for (int round = 0; round < 20; ++round) {
    auto h = open(connect);
    std::atomic<int> ran{0};
    // Deferred by a posted item just before the close, and by a request failed by the close.
    h->post([&](zkit::Session& s) {
      h->defer([&] { ++ran; });
      s.get("/", {}, [&](zkit::Result<zkit::Data>) { h->defer([&] { ++ran; }); });
    });
    h->close();
    check(ran.load() == 2, "work deferred before and during the close ran by the time close() returned");
  }
}

void deferred_work_survives_a_close_that_finishes_at_once(const char* connect) {
  // The session already closed (by the application, say): closing the host finishes within the
  // turn that ran the work before it, so that work's deferrals run from the close itself.
  auto h = open(connect);
  std::promise<void> closed;
  h->post([&](zkit::Session& s) { s.close_now([&] { closed.set_value(); }); });
  check(closed.get_future().wait_for(std::chrono::seconds(30)) == std::future_status::ready, "the session closed");
  std::atomic<bool> ran{false};
  h->post([&](zkit::Session&) { h->defer([&] { ran = true; }); });
  h->close();
  check(ran.load(), "work deferred just before a close that finished at once ran");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <connect string>\n", argv[0]);
    return 2;
  }
  deferred_work_runs_after_its_callback_in_order(argv[1]);
  close_loses_no_deferred_work(argv[1]);
  deferred_work_survives_a_close_that_finishes_at_once(argv[1]);
  if (failures == 0) std::printf("host_test: all passed\n");
  return failures == 0 ? 0 : 1;
}
