// Bad input is refused before anything is sent, and the session carries on unharmed.
#include "support.hpp"

using namespace zkit;
using namespace zkit::test;

TEST_CASE("invalid paths, ACLs, modes and sizes fail at once and the session stays connected") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  std::vector<SessionState> states;
  s.add_listener([&](SessionState st) { states.push_back(st); });

  auto refused_now = [&](auto&& start) {
    bool called = false;
    Errc code = Errc::ok;
    start([&](auto r) { called = true; code = r.code(); });
    CHECK_MESSAGE(called, "not refused synchronously");
    return code;
  };
  CHECK(refused_now([&](auto cb) { s.get("no-slash", {}, std::move(cb)); }) == Errc::bad_arguments);
  CHECK(refused_now([&](auto cb) { s.get("/a/", {}, std::move(cb)); }) == Errc::bad_arguments);
  CHECK(refused_now([&](auto cb) { s.remove("/a/../b", -1, std::move(cb)); }) == Errc::bad_arguments);
  CHECK(refused_now([&](auto cb) { s.create("/a\x01", "", {}, std::move(cb)); }) == Errc::bad_arguments);
  const AclList no_entries;
  CHECK(refused_now([&](auto cb) { s.create("/a", "", CreateOptions{.acl = no_entries}, std::move(cb)); }) ==
        Errc::invalid_acl);
  const AclList bad_bits{Acl{64, Id{"world", "anyone"}}};
  CHECK(refused_now([&](auto cb) { s.create("/a", "", CreateOptions{.acl = bad_bits}, std::move(cb)); }) ==
        Errc::invalid_acl);
  CHECK(refused_now([&](auto cb) {
          s.create("/a", "", CreateOptions{.mode = CreateMode::persistent_with_ttl}, std::move(cb));
        }) == Errc::bad_arguments);
  CHECK(refused_now([&](auto cb) {
          s.create("/a", "", CreateOptions{.ttl = std::chrono::milliseconds(5)}, std::move(cb));
        }) == Errc::bad_arguments);

  // One byte over the server's limit: the server would drop the connection; zkit refuses.
  std::string p = unique_path("big");
  std::size_t largest = 0xfffff - 8 - (4 + p.size()) - 4 - 4;  // docs §11.7
  std::string too_big(largest + 1, 'x');
  CHECK(refused_now([&](auto cb) { s.set(p, too_big, -1, std::move(cb)); }) == Errc::bad_arguments);
  REQUIRE(await(loop, s.create(p, "")).ok());
  auto fits = await(loop, s.set(p, std::string(largest, 'y')));
  REQUIRE_MESSAGE(fits.ok(), (fits.ok() ? "" : fits.error().message()));
  auto back = await(loop, s.get(p));
  REQUIRE(back.ok());
  CHECK(back->data.size() == largest);
  CHECK(states.empty());
  CHECK(s.state() == SessionState::connected);
}

TEST_CASE("bad options are refused by Session::start and Client::open") {
  Loop loop;
  auto bad_chroot = Session::start(loop.get(), options_for("127.0.0.1:1/a//b"));
  REQUIRE(!bad_chroot.ok());
  CHECK(bad_chroot.error().code() == Errc::bad_arguments);
  CHECK(bad_chroot.error().message().find("chroot") != std::string::npos);
  auto no_host = Session::start(loop.get(), options_for(""));
  CHECK(no_host.code() == Errc::bad_arguments);
  auto zero = options_for("127.0.0.1:1");
  zero.session_timeout = std::chrono::milliseconds(0);
  CHECK(Session::start(loop.get(), std::move(zero)).code() == Errc::bad_arguments);
  CHECK(Client::open(options_for("127.0.0.1:99999")).code() == Errc::bad_arguments);
}
