// Closing a session while its SASL exchange waits for the server: a ScriptedPeer completes the
// handshake and never answers the SASL request (a real server always answers, so this peer is
// ours). The requests made meanwhile are held behind the exchange; close() and close_now()
// must still complete, fail each of them exactly once with `closing`, and send nothing but the
// SASL request.
#include <vector>

#include "scripted_peer.hpp"
#include "support.hpp"

namespace zkit::test_sasl {
namespace {

struct HeldSasl {
  Loop loop;
  std::vector<std::int32_t> requests;  // xids the peer saw after the handshake
  ScriptedPeer peer{loop.get(), Script{.what = Misbehaviour::pings_only,
                                       .on_request = [this](std::int32_t xid) { requests.push_back(xid); }}};
  std::vector<Result<Data>> gets;
  std::vector<Result<void>> syncs;

  Session start() {
    Options o = options_for(peer.address(), 3000ms);
    o.log_level = LogLevel::error;
    o.sasl = {.mechanism = SaslMechanism::digest_md5, .user = "bob", .password = kBobPassword};
    auto s = Session::start(loop.get(), std::move(o));
    REQUIRE_MESSAGE(s.ok(), s.error().message());
    REQUIRE(loop.run_until([&] { return !requests.empty(); }));  // the SASL request is out
    CHECK(requests.front() == -102);
    for (int i = 0; i < 3; ++i) s->get("/held-" + std::to_string(i), {}, [this](Result<Data> r) { gets.push_back(std::move(r)); });
    s->sync("/", [this](Result<void> r) { syncs.push_back(std::move(r)); });
    return std::move(s).value();
  }

  // Closes with `how` (close or close_now) and checks the held requests' one completion each.
  template <typename How>
  void close_and_check(Session& s, How how) {
    bool closed = false;
    (s.*how)([&] { closed = true; });
    REQUIRE(loop.run_until([&] { return closed; }));
    check_failed_once();
    loop.run_for(100ms);  // a late second completion would land here
    check_failed_once();
  }

  void check_failed_once() {
    REQUIRE(gets.size() == 3);
    REQUIRE(syncs.size() == 1);
    for (auto& g : gets) CHECK(g.code() == Errc::closing);
    CHECK(syncs.front().code() == Errc::closing);
    // Only SASL requests went out: the held requests and closeSession never left.
    for (std::int32_t xid : requests) CHECK(xid == -102);
  }
};

TEST_CASE("close() while the SASL exchange waits completes and fails the held requests once") {
  HeldSasl t;
  Session s = t.start();
  // closeSession waits behind the exchange, bounded by the read timeout like any unanswered close.
  t.close_and_check(s, static_cast<void (Session::*)(Function<void()>)>(&Session::close));
}

TEST_CASE("close_now() while the SASL exchange waits completes and fails the held requests once") {
  HeldSasl t;
  Session s = t.start();
  t.close_and_check(s, &Session::close_now);
}

}  // namespace
}  // namespace zkit::test_sasl
