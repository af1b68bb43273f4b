// max_pending bounds what a flood of requests can hold.
#include "support.hpp"

using namespace zkit;
using namespace zkit::test;

TEST_CASE("with when_full = fail, requests beyond max_pending fail at once with throttled_op") {
  Loop loop;
  Options o = options_for(shared_server().connect_string());
  o.max_pending = 100;
  o.when_full = WhenFull::fail;
  Session s = connect(loop, std::move(o));
  constexpr int kFlood = 20000;
  int ok = 0, throttled = 0, other = 0;
  std::size_t most = 0;
  for (int i = 0; i < kFlood; ++i) {
    s.exists("/", {}, [&](Result<std::optional<Stat>> r) {
      (r.ok() ? ok : r.code() == Errc::throttled_op ? throttled : other)++;
    });
    most = std::max(most, s.pending_requests());
  }
  CHECK(most == 100);
  CHECK(throttled == kFlood - 100);
  REQUIRE(loop.run_until([&] { return ok + throttled + other == kFlood; }));
  CHECK(ok == 100);
  CHECK(other == 0);
  CHECK(s.pending_requests() == 0);
}

TEST_CASE("with when_full = wait, requests beyond max_pending wait their turn and keep their order") {
  Loop loop;
  Options o = options_for(shared_server().connect_string());
  o.max_pending = 16;
  Session s = connect(loop, std::move(o));
  std::string p = unique_path("wait");
  REQUIRE(await(loop, s.create(p, "")).ok());
  constexpr int kRequests = 2000;
  std::vector<int> order;
  for (int i = 0; i < kRequests; ++i) {
    if (i % 2 == 0)
      s.set(p, std::to_string(i), -1, [&, i](Result<Stat> r) { if (r) order.push_back(i); });
    else
      s.get(p, {}, [&, i](Result<Data> r) {
        if (r && r->data == std::to_string(i - 1)) order.push_back(i);
      });
  }
  REQUIRE(loop.run_until([&] { return order.size() == kRequests || s.pending_requests() == 0; }));
  REQUIRE(order.size() == kRequests);
  for (int i = 0; i < kRequests; ++i) CHECK(order[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("awaiting_replies counts the requests written and unanswered, not the ones held back") {
  Loop loop;
  Options o = options_for(shared_server().connect_string());
  o.max_pending = 16;
  Session s = connect(loop, std::move(o));
  CHECK(s.awaiting_replies() == 0);
  constexpr int kRequests = 50;
  int answered = 0;
  std::size_t awaiting_at_first_reply = 0;
  for (int i = 0; i < kRequests; ++i)
    s.exists("/", {}, [&](Result<std::optional<Stat>>) {
      if (answered++ == 0) awaiting_at_first_reply = s.awaiting_replies();
    });
  CHECK(s.pending_requests() == kRequests);
  CHECK(s.awaiting_replies() == 16);  // the rest wait for room, unsent
  REQUIRE(loop.run_until([&] { return answered == kRequests; }));
  // The first reply frees one slot; its callback runs before the next request is written.
  CHECK(awaiting_at_first_reply == 15);
  CHECK(s.awaiting_replies() == 0);
  CHECK(s.pending_requests() == 0);
}
