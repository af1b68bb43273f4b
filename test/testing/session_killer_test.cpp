// expire_session against a real server, watched through raw sessions built from the codec.
#include <doctest/doctest.h>

#include <string>

#include "helpers.hpp"
#include "proto/records.hpp"
#include "raw_session.hpp"

using namespace std::chrono_literals;
using namespace zkit::testing;
using namespace zkit::testing::detail;
using zkit::Errc;
namespace proto = zkit::proto;

namespace {

// One server for every test in this file: they use distinct paths and sessions.
Cluster& server() {
  static std::unique_ptr<Cluster> zk = test::start_or_fail();
  return *zk;
}

Deadline soon() { return deadline_after(scaled(5s)); }

// A fresh session with one ephemeral node at `path`.
RawSession victim_with_ephemeral(const std::string& address, std::string_view path) {
  auto s = RawSession::open(address, {}, soon());
  REQUIRE_OK(s);
  REQUIRE(s->response().timeout_ms > 0);
  REQUIRE(s->response().session_id != 0);
  auto acl = zkit::open_acl_unsafe();
  auto created = s->call(proto::Op::create,
                         proto::CreateRequest{.path = path, .data = "", .acl = acl,
                                              .flags = static_cast<std::int32_t>(
                                                  zkit::CreateMode::ephemeral)},
                         soon());
  REQUIRE_OK(created);
  REQUIRE(created->header.err == 0);
  return std::move(s).value();
}

std::int32_t exists_error(const std::string& address, std::string_view path) {
  auto s = RawSession::open(address, {}, soon());
  REQUIRE_OK(s);
  auto reply = s->call(proto::Op::exists, proto::PathWatchRequest{.path = path}, soon());
  REQUIRE_OK(reply);
  return reply->header.err;
}

}  // namespace

TEST_CASE("expire_session_drops_the_victim_deletes_its_ephemeral_and_refuses_its_resume") {
  const std::string address = server().address(1);
  RawSession victim = victim_with_ephemeral(address, "/victim");
  const auto id = victim.response().session_id;
  const std::string password = victim.response().password;
  REQUIRE(exists_error(address, "/victim") == 0);

  REQUIRE_OK(expire_session(address, id, password));

  CHECK(victim.connection().wait_closed_by_peer(soon()));
  CHECK(exists_error(address, "/victim") == static_cast<std::int32_t>(Errc::no_node));
  // What the victim's client sees when it reconnects: the expired answer.
  auto resumed = RawSession::open(address, {.session_id = id, .password = password}, soon());
  REQUIRE_OK(resumed);
  CHECK(resumed->response().timeout_ms <= 0);
  CHECK(resumed->response().session_id == 0);
}

TEST_CASE("expire_session_of_an_expired_session_is_session_expired") {
  const std::string address = server().address(1);
  RawSession victim = victim_with_ephemeral(address, "/twice");
  const auto id = victim.response().session_id;
  const std::string password = victim.response().password;
  REQUIRE_OK(expire_session(address, id, password));
  auto again = expire_session(address, id, password);
  CHECK(again.code() == Errc::session_expired);
}

TEST_CASE("expire_session_with_a_wrong_password_fails_and_the_session_survives") {
  const std::string address = server().address(1);
  RawSession victim = victim_with_ephemeral(address, "/wrong-password");
  const auto id = victim.response().session_id;
  const std::string password = victim.response().password;
  std::string wrong = password;
  wrong[0] = static_cast<char>(wrong[0] ^ 0x5a);

  CHECK(expire_session(address, id, wrong).code() == Errc::session_expired);
  CHECK(exists_error(address, "/wrong-password") == 0);
  auto resumed = RawSession::open(address, {.session_id = id, .password = password}, soon());
  REQUIRE_OK(resumed);
  CHECK(resumed->response().timeout_ms > 0);
  CHECK(resumed->response().session_id == id);
  REQUIRE_OK(expire_session(address, id, password));  // tidy: the ephemeral goes now
}

TEST_CASE("expire_session_skips_a_member_that_does_not_answer") {
  // The first address of the connect string is a closed port; the second is the server.
  auto closed = reserve_ports(1);
  REQUIRE_OK(closed);
  const std::string address = server().address(1);
  RawSession victim = victim_with_ephemeral(address, "/skip");
  std::string hosts = "127.0.0.1:" + std::to_string(closed->front()) + "," + address;
  REQUIRE_OK(expire_session(hosts, victim.response().session_id, victim.response().password));
  CHECK(exists_error(address, "/skip") == static_cast<std::int32_t>(Errc::no_node));
}
