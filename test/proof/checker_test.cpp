// The checker itself, on hand-made logs: it passes a clean run and catches each violation it
// exists for (an overlap, a decreasing token, two leaders in one term, a shard owned twice...).
#include <doctest/doctest.h>

#include "checker.hpp"

using namespace zkit::proof;

namespace {

constexpr std::int64_t ms = 1000000;

bool mentions(const std::vector<std::string>& v, const std::string& what) {
  for (const auto& s : v)
    if (s.find(what) != std::string::npos) return true;
  return false;
}

Records parsed(const std::string& text) {
  Records r;
  std::vector<std::string> errors;
  parse_into(text, r, errors);
  REQUIRE_MESSAGE(errors.empty(), (errors.empty() ? "" : errors.front()));
  return r;
}

}  // namespace

TEST_SUITE("proof") {

TEST_CASE("checker: records round-trip through their JSON lines") {
  std::string text = to_line(Hold{1, 7, 10, 20}) + to_line(Write{1, 7, 15, true}) + to_line(Pause{2, 1, 2}) +
                     to_line(Term{3, 9, 5, 6}) + to_line(Round{4, 2, 1, 2, 3, 4, true, ""}) +
                     to_line(Ownership{5, 6, 11, 7, 8}) + session_line(1, 0x1234, 3);
  Records r = parsed(text);
  REQUIRE(r.holds.size() == 1);
  CHECK(r.holds[0].token == 7);
  CHECK(r.holds[0].t_out == 20);
  REQUIRE(r.writes.size() == 1);
  CHECK(r.writes[0].accepted);
  CHECK(r.pauses.size() == 1);
  CHECK(r.terms.size() == 1);
  REQUIRE(r.rounds.size() == 1);
  CHECK(r.rounds[0].leave_end == 4);
  REQUIRE(r.ownerships.size() == 1);
  CHECK(r.ownerships[0].shard == 6);
  CHECK(r.sessions == 1);
  Records broken;
  std::vector<std::string> errors;
  parse_into("{\"kind\":\"hold\"\n", broken, errors);  // cut short
  CHECK(errors.size() == 1);
}

TEST_CASE("checker: mutex") {
  Records clean;
  clean.holds = {{1, 10, 0 * ms, 10 * ms}, {2, 20, 11 * ms, 20 * ms}, {1, 30, 21 * ms, 30 * ms}};
  clean.writes = {{1, 10, 1 * ms, true}, {2, 20, 12 * ms, true}, {1, 30, 22 * ms, true}};
  CHECK(check_mutex(clean).empty());

  SUBCASE("an overlap") {
    Records r = clean;
    r.holds[1].t_in = 5 * ms;
    auto bad = check_mutex(r);
    CHECK(mentions(bad, "held at once"));
    CHECK(mentions(bad, "not paused"));
  }
  SUBCASE("an overlap after the first holder lost its session: its writes must be refused") {
    Records r = clean;
    r.holds[1].t_in = 5 * ms;
    r.session_starts = {{1, 0}, {2, 0}, {1, 15 * ms}};
    r.writes[0] = {1, 10, 6 * ms, false};
    CHECK(check_mutex(r).empty());
    r.writes[0].accepted = true;
    CHECK(mentions(check_mutex(r), "stale holder's write"));
  }
  SUBCASE("a decreasing token") {
    Records r = clean;
    r.holds[2].token = 15;
    CHECK(mentions(check_mutex(r), "tokens do not increase"));
  }
  SUBCASE("a paused holder overlaps, and the fence refused its writes") {
    Records r = clean;
    r.holds[0].t_out = 15 * ms;        // it came back after worker 2 got in
    r.pauses = {{1, 2 * ms, 14 * ms}};
    r.writes.push_back({1, 10, 14 * ms, false});
    CHECK(check_mutex(r).empty());
    SUBCASE("...but one stale write got through") {
      r.writes.back().accepted = true;
      auto bad = check_mutex(r);
      CHECK(mentions(bad, "was accepted"));
      CHECK(mentions(bad, "admitted token 10"));
    }
    SUBCASE("...but the pause came after the other got in") {
      r.pauses = {{1, 12 * ms, 14 * ms}};
      CHECK(mentions(check_mutex(r), "not paused"));
    }
  }
  SUBCASE("the fence admitted a lower token after a higher one") {
    Records r = clean;
    r.writes.push_back({1, 10, 25 * ms, true});
    CHECK(mentions(check_mutex(r), "admitted token 10"));
  }
}

TEST_CASE("checker: leader latch") {
  Records clean;
  clean.terms = {{1, 10, 0, 10 * ms}, {1, 10, 12 * ms, 20 * ms}, {2, 30, 21 * ms, 30 * ms}};
  CHECK(check_latch(clean).empty());  // worker 1 led twice with its node's token: one term
  SUBCASE("two leaders in one term") {
    Records r = clean;
    r.terms[2].token = 10;
    CHECK(mentions(check_latch(r), "two leaders in one term"));
  }
  SUBCASE("two leaders at once") {
    Records r = clean;
    r.terms[2].t_start = 19 * ms;
    CHECK(mentions(check_latch(r), "led at once"));
  }
  SUBCASE("two leaders at once after the first one's session was lost: the tokens decide") {
    Records r = clean;
    r.terms[2].t_start = 19 * ms;
    r.session_starts = {{1, 0}, {2, 0}, {1, 25 * ms}};
    CHECK(check_latch(r).empty());
    r.terms[2].token = 5;
    CHECK(mentions(check_latch(r), "led at once"));
  }
  SUBCASE("a later term with a lower token") {
    Records r = clean;
    r.terms[2].token = 5;
    CHECK(mentions(check_latch(r), "do not increase"));
  }
}

TEST_CASE("checker: double barrier") {
  Records clean;
  for (int w = 0; w < 3; ++w)
    for (int n = 0; n < 2; ++n) {
      std::int64_t base = n * 100 * ms;
      clean.rounds.push_back({w, n, base + w * ms, base + 10 * ms, base + 20 * ms + w * ms, base + 30 * ms, true, ""});
    }
  CHECK(check_barrier(clean, 3, 2).empty());
  SUBCASE("one was let in before the last arrived") {
    Records r = clean;
    r.rounds[0].enter_end = 1 * ms;  // worker 0, round 0: in before worker 2 began (2 ms)
    CHECK(mentions(check_barrier(r, 3, 2), "let in"));
  }
  SUBCASE("one got out before the last began to leave") {
    Records r = clean;
    r.rounds[1].leave_end = 100 * ms + 20 * ms;  // worker 0, round 1
    CHECK(mentions(check_barrier(r, 3, 2), "got out"));
  }
  SUBCASE("a member missing, a member failed") {
    Records r = clean;
    r.rounds.pop_back();
    r.rounds[0].ok = false;
    r.rounds[0].error = "operation_timeout";
    auto bad = check_barrier(r, 3, 2);
    CHECK(mentions(bad, "2 of 3 members"));
    CHECK(mentions(bad, "failed: operation_timeout"));
  }
}

TEST_CASE("checker: partitioner") {
  Records clean;
  clean.ownerships = {{1, 0, 10, 0, 10 * ms}, {2, 0, 20, 11 * ms, 30 * ms}, {2, 1, 15, 0, 30 * ms},
                      {2, 0, 20, 31 * ms, 40 * ms}};
  CHECK(check_partitioner(clean).empty());
  SUBCASE("a shard owned twice") {
    Records r = clean;
    r.ownerships[1].t_start = 9 * ms;
    CHECK(mentions(check_partitioner(r), "shard 0 owned by workers 1 and 2 at once"));
  }
  SUBCASE("owned twice while the first owner's session was already lost: the tokens decide") {
    Records r = clean;
    r.ownerships[1].t_start = 9 * ms;
    r.session_starts = {{1, 0}, {2, 0}, {1, 12 * ms}};
    CHECK(check_partitioner(r).empty());
    r.ownerships[1].token = 5;
    CHECK(mentions(check_partitioner(r), "at once"));
  }
  SUBCASE("a new owner with a lower token") {
    Records r = clean;
    r.ownerships[1].token = 5;
    r.ownerships[3].token = 5;
    CHECK(mentions(check_partitioner(r), "is not above"));
  }
}

}  // TEST_SUITE
