// session::Pipeline without a server: request order, the unsent queue, max_pending, deadlines,
// credentials, and every completion running exactly once.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "proto/jute.hpp"
#include "proto/records.hpp"
#include "session/pipeline.hpp"

using std::chrono::milliseconds;
using zkit::Errc;
using zkit::proto::Op;
using zkit::session::Pipeline;
using zkit::session::Reply;

namespace {

struct FakeLink : zkit::session::Sink {
  std::string out;
  int added = 0;
  std::string& frames() override { return out; }
  void frames_added() override { ++added; }
  // The xids of the frames written so far, in order (taken off the buffer).
  std::vector<std::int32_t> take_xids() {
    std::vector<std::int32_t> xids;
    std::size_t at = 0;
    while (at < out.size()) {
      zkit::proto::Reader r(out.data() + at, out.size() - at);
      auto size = static_cast<std::size_t>(r.i32());
      xids.push_back(r.i32());
      at += 4 + size;
    }
    out.clear();
    return xids;
  }
};

struct Outcome {
  int calls = 0;
  Errc err = Errc::ok;
  std::string path;
};

// A request with `path` whose completion records how it ended.
void submit(Pipeline& p, Outcome& o, std::string_view path = "/p", milliseconds now = milliseconds(0)) {
  p.submit(Op::get_data, path, now,
           [&](std::string& buf, std::int32_t xid) { zkit::proto::write_request(buf, xid, Op::get_data); },
           [&o](Reply& r) {
             ++o.calls;
             o.err = r.err;
             o.path = std::string(r.path);
             return true;
           });
}

zkit::proto::Reader empty() { return zkit::proto::Reader(nullptr, 0); }

}  // namespace

TEST_CASE("requests leave in call order and replies must come back in it") {
  Pipeline p({});
  FakeLink link;
  p.attach(link, {});
  Outcome a, b;
  submit(p, a, "/a");
  submit(p, b, "/b");
  auto xids = link.take_xids();
  REQUIRE(xids.size() == 2);
  CHECK(xids[1] == xids[0] + 1);
  CHECK_FALSE(p.on_reply(xids[1], Errc::ok, empty(), 1).empty());  // out of order: the link must close
  CHECK(a.calls == 0);
  CHECK(p.on_reply(xids[0], Errc::ok, empty(), 1).empty());
  CHECK(a.calls == 1);
  CHECK(a.path == "/a");
  CHECK(p.on_reply(xids[1], Errc::no_node, empty(), 1).empty());
  CHECK(b.err == Errc::no_node);
  CHECK(p.pending() == 0);
}

TEST_CASE("requests made while disconnected wait, and leave after the credentials and watches") {
  Pipeline p({});
  Outcome a;
  submit(p, a);
  p.add_auth("digest", "u:p", milliseconds(0), [](Reply&) { return true; });
  FakeLink link;
  p.attach(link, [](std::string& out) { zkit::proto::write_request(out, zkit::proto::kSetWatchesXid, Op::set_watches); });
  auto xids = link.take_xids();
  REQUIRE(xids.size() == 3);
  CHECK(xids[0] == zkit::proto::kAuthXid);
  CHECK(xids[1] == zkit::proto::kSetWatchesXid);
  CHECK(xids[2] > 0);
}

TEST_CASE("a connection that ends fails what was written on it; what was never written waits") {
  Pipeline p({.max_pending = 1, .when_full = zkit::WhenFull::wait});
  FakeLink link;
  p.attach(link, {});
  Outcome written, held;
  submit(p, written);
  submit(p, held);  // over max_pending: not written yet
  CHECK(link.take_xids().size() == 1);
  p.detach();
  p.fail_written(Errc::connection_loss, "gone");
  CHECK(written.calls == 1);
  CHECK(written.err == Errc::connection_loss);
  CHECK(held.calls == 0);
  FakeLink next;
  p.attach(next, {});
  CHECK(next.take_xids().size() == 1);  // the held one leaves on the next connection
  p.fail_all(Errc::session_expired, "expired");
  CHECK(held.calls == 1);
  CHECK(held.err == Errc::session_expired);
  CHECK(written.calls == 1);
}

TEST_CASE("max_pending with when_full = fail refuses at once") {
  Pipeline p({.max_pending = 1, .when_full = zkit::WhenFull::fail});
  Outcome a, b;
  submit(p, a);
  submit(p, b);
  CHECK(a.calls == 0);
  CHECK(b.calls == 1);
  CHECK(b.err == Errc::throttled_op);
}

TEST_CASE("a request past its deadline fails once; its late reply is dropped") {
  Pipeline p({.request_timeout = milliseconds(100)});
  FakeLink link;
  p.attach(link, {});
  Outcome late, next;
  submit(p, late, "/late", milliseconds(0));
  submit(p, next, "/next", milliseconds(50));
  auto xids = link.take_xids();
  p.expire(milliseconds(120));
  CHECK(late.calls == 1);
  CHECK(late.err == Errc::request_timeout);
  CHECK(late.path == "/late");
  CHECK(next.calls == 0);
  CHECK(p.on_reply(xids[0], Errc::ok, empty(), 1).empty());  // still matched, not completed again
  CHECK(late.calls == 1);
  CHECK(p.on_reply(xids[1], Errc::ok, empty(), 1).empty());
  CHECK(next.calls == 1);
  CHECK(next.err == Errc::ok);
}

TEST_CASE("a refused credential fails its add_auth and is reported for the session to end") {
  Pipeline p({});
  FakeLink link;
  p.attach(link, {});
  int calls = 0;
  Errc got = Errc::ok;
  p.add_auth("digest", "bad", milliseconds(0), [&](Reply& r) {
    ++calls;
    got = r.err;
    return true;
  });
  std::string scheme;
  CHECK(p.on_auth_reply(Errc::auth_failed, scheme) == Pipeline::AuthReply::refused);
  CHECK(scheme == "digest");
  CHECK(calls == 1);
  CHECK(got == Errc::auth_failed);
  CHECK(p.on_auth_reply(Errc::ok, scheme) == Pipeline::AuthReply::unexpected);
  p.fail_all(Errc::auth_failed, "refused");
  CHECK(calls == 1);  // answered already: not told twice
}

TEST_CASE("a reply's path stays valid while its completion submits more requests") {
  // Enough path text that the path buffer would be compacted by the next submission.
  Pipeline p({});
  FakeLink link;
  p.attach(link, {});
  std::vector<Outcome> early(60);
  for (int i = 0; i < 60; ++i) submit(p, early[static_cast<std::size_t>(i)], "/" + std::string(100, 'a' + i % 26));
  std::string last_path = "/last-" + std::string(100, 'z');
  std::string seen_after_submit;
  Outcome extra;
  p.submit(Op::get_data, last_path, milliseconds(0),
           [&](std::string& buf, std::int32_t xid) { zkit::proto::write_request(buf, xid, Op::get_data); },
           [&](Reply& r) {
             for (int i = 0; i < 10; ++i) submit(p, extra, "/" + std::string(200, 'x'));
             seen_after_submit = std::string(r.path);
             return true;
           });
  auto xids = link.take_xids();
  for (std::size_t i = 0; i < xids.size(); ++i) REQUIRE(p.on_reply(xids[i], Errc::ok, empty(), 1).empty());
  CHECK(seen_after_submit == last_path);
}

TEST_CASE("a body that does not decode comes back with connection_loss, once") {
  Pipeline p({});
  FakeLink link;
  p.attach(link, {});
  int calls = 0;
  std::vector<Errc> errs;
  p.submit(Op::get_data, "/m", milliseconds(0),
           [&](std::string& buf, std::int32_t xid) { zkit::proto::write_request(buf, xid, Op::get_data); },
           [&](Reply& r) {
             ++calls;
             errs.push_back(r.err);
             return r.err != Errc::ok;  // the ok reply "fails to decode"
           });
  auto xids = link.take_xids();
  CHECK_FALSE(p.on_reply(xids[0], Errc::ok, empty(), 1).empty());
  p.detach();
  p.fail_written(Errc::connection_loss, "malformed");
  CHECK(calls == 2);
  CHECK(errs == std::vector<Errc>{Errc::ok, Errc::connection_loss});
}

TEST_CASE("credentials the server never answers fail their add_auth at the deadline, and stay") {
  Pipeline p({.request_timeout = milliseconds(100)});
  FakeLink link;
  p.attach(link, {});
  int calls = 0;
  Errc got = Errc::ok;
  p.add_auth("digest", "u:p", milliseconds(0), [&](Reply& r) {
    ++calls;
    got = r.err;
    return true;
  });
  p.expire(milliseconds(99));
  CHECK(calls == 0);
  p.expire(milliseconds(100));
  CHECK(calls == 1);
  CHECK(got == Errc::request_timeout);
  p.detach();
  FakeLink next;
  p.attach(next, {});
  CHECK(next.take_xids() == std::vector<std::int32_t>{zkit::proto::kAuthXid});  // still replayed
  std::string scheme;
  CHECK(p.on_auth_reply(Errc::ok, scheme) == Pipeline::AuthReply::accepted);
  CHECK(calls == 1);  // told once
}
