// SASL DIGEST-MD5 against a real ZooKeeper (JAAS DigestLoginModule users): the right password
// connects and a sasl ACL admits the user; a wrong one ends the session in auth_failed once;
// bad options are refused before anything is sent.
#include <algorithm>
#include <fstream>

#include "support.hpp"
#include "zkit/acl.hpp"
#include "zkit/options_json.hpp"
#include "zkit/testing/fault_proxy.hpp"

namespace zkit::test_sasl {
namespace {

Options digest_options(const std::string& user, std::string password) {
  Options o = options_for(digest_server().connect_string());
  o.sasl = digest_server().digest(user);
  o.sasl.password = std::move(password);
  return o;
}

TEST_CASE("DIGEST-MD5 with the right password connects and a sasl ACL admits that user only") {
  Loop loop;
  Journal journal;
  Options o = digest_options("bob", kBobPassword);
  journal.attach(o);
  Session bob = connect(loop, std::move(o));
  auto ids = await(loop, bob.who_am_i());
  REQUIRE_MESSAGE(ids, ids.error().message());
  CHECK(std::find(ids->begin(), ids->end(), ClientInfo{"sasl", "bob"}) != ids->end());
  CHECK(journal.count("SASL DIGEST-MD5 as \"bob\" accepted by") == 1);

  std::string path = unique_path("sasl-bob");
  AclList bob_acl{acl::sasl("bob", perm_all)};
  CreateOptions bob_only{.acl = bob_acl};
  REQUIRE(await(loop, bob.create(path, "x", bob_only)));
  auto got = await(loop, bob.get(path));
  REQUIRE_MESSAGE(got, got.error().message());
  CHECK(got->data == "x");

  // Another SASL user and a session without SASL are refused the node.
  Session carol = connect(loop, digest_options("carol", kCarolPassword));
  CHECK(await(loop, carol.get(path)).code() == Errc::no_auth);
  Session plain = connect(loop, options_for(digest_server().connect_string()));
  CHECK(await(loop, plain.get(path)).code() == Errc::no_auth);

  REQUIRE(await(loop, bob.remove(path)));
  for (Session* s : {&bob, &carol, &plain}) close(loop, *s);
}

TEST_CASE("DIGEST-MD5 with a wrong password ends in auth_failed with a clear error, without retrying") {
  Loop loop;
  auto proxy = std::move(zkit::testing::FaultProxy::start(digest_server().connect_string())).value();
  Journal journal;
  Options o = digest_options("bob", "not-bobs-password");
  o.connect = proxy->address();
  journal.attach(o);
  auto started = Session::start(loop.get(), std::move(o));
  REQUIRE(started);
  Session s = std::move(started).value();
  journal.listen(s);
  // A request made while connecting waits for SASL, and fails with it.
  auto got = await(loop, s.get("/"));
  CHECK(got.code() == Errc::auth_failed);
  REQUIRE(s.state() == SessionState::auth_failed);
  std::string message = got.error().message();
  CHECK_MESSAGE(message.find("the server refused SASL DIGEST-MD5 as \"bob\"") != std::string::npos, message);
  CHECK_MESSAGE(message.find("not-bobs-password") == std::string::npos, message);
  // The session never reported connected, and ended for good: later calls fail at once.
  CHECK(journal.states == std::vector<SessionState>{SessionState::auth_failed});
  CHECK(await(loop, s.exists("/")).code() == Errc::auth_failed);
  close(loop, s);
  // Ended sessions hold no timer: one connection was all it ever made.
  CHECK(proxy->connections_accepted() == 1);
  CHECK(journal.count("refused SASL") == 1);
}

TEST_CASE("DIGEST-MD5 options are checked before anything is sent") {
  Loop loop;
  auto with = [](SaslOptions sasl) {
    Options o = options_for(digest_server().connect_string());
    o.sasl = std::move(sasl);
    return o;
  };
  auto r = Session::start(loop.get(), with({.mechanism = SaslMechanism::digest_md5, .user = "bob"}));
  REQUIRE_FALSE(r);
  CHECK(r.code() == Errc::bad_arguments);
  CHECK(r.error().message().find("sasl.password") != std::string::npos);
  CHECK(Session::start(loop.get(), with({.mechanism = SaslMechanism::digest_md5, .password = "x"})).code() ==
        Errc::bad_arguments);
  auto m = Session::start(loop.get(), with({.mechanism = SaslMechanism::digest_md5, .user = "bob",
                                            .password_file = "/nonexistent/zkit-sasl-password"}));
  REQUIRE_FALSE(m);
  CHECK(m.error().message().find("/nonexistent/zkit-sasl-password cannot be read") != std::string::npos);
  CHECK(Session::start(loop.get(), with({.mechanism = SaslMechanism::digest_md5, .user = "bob", .password = "x",
                                         .password_file = "/nonexistent/zkit-sasl-password"}))
            .code() == Errc::bad_arguments);
}

TEST_CASE("a DIGEST-MD5 password read from a file connects") {
  Loop loop;
  std::string file = digest_server().cluster().directory() + "/carol.password";
  { std::ofstream(file) << kCarolPassword << "\n"; }
  Options o = options_for(digest_server().connect_string());
  o.sasl = {.mechanism = SaslMechanism::digest_md5, .user = "carol", .password_file = file};
  Session carol = connect(loop, std::move(o));
  auto ids = await(loop, carol.who_am_i());
  REQUIRE(ids);
  CHECK(std::find(ids->begin(), ids->end(), ClientInfo{"sasl", "carol"}) != ids->end());
  close(loop, carol);
}

TEST_CASE("SASL options from JSON take the password from a file and refuse it as a value") {
  Loop loop;
  std::string file = digest_server().cluster().directory() + "/bob.password";
  { std::ofstream(file) << kBobPassword; }
  auto o = options_from_json(R"({"sasl_mechanism":"digest-md5","sasl_user":"bob","sasl_password_file":")" + file + "\"}",
                             options_for(digest_server().connect_string()));
  REQUIRE_MESSAGE(o, o.error().message());
  Session bob = connect(loop, std::move(o).value());
  auto ids = await(loop, bob.who_am_i());
  REQUIRE(ids);
  CHECK(std::find(ids->begin(), ids->end(), ClientInfo{"sasl", "bob"}) != ids->end());
  close(loop, bob);

  auto plain = options_from_json(R"({"sasl_password":"in-the-open-77"})");
  REQUIRE_FALSE(plain);
  CHECK(plain.error().message().find("sasl_password_file") != std::string::npos);
  CHECK(plain.error().message().find("in-the-open-77") == std::string::npos);
  CHECK(options_from_json(R"({"sasl_mechanism":"plain"})").code() == Errc::bad_arguments);
}

}  // namespace
}  // namespace zkit::test_sasl
