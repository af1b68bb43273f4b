// ACL helpers against the real server: each scheme's entry admits whom it names and refuses
// the rest; zkCli's notation reads back what the server stores.
#include "support.hpp"
#include "zkit/acl.hpp"

namespace zkit::test_tls {
namespace {

TEST_CASE("acl::digest hashes as ZooKeeper does: the user who adds that password is admitted") {
  Loop loop;
  Session owner = connect(loop);
  std::string path = unique_path("acl-digest");
  AclList alice_acl{acl::digest("alice", "wonder-land", perm_all)};
  CreateOptions alice_only{.acl = alice_acl};
  REQUIRE(await(loop, owner.create(path, "x", alice_only)));
  CHECK(await(loop, owner.get(path)).code() == Errc::no_auth);

  Session alice = connect(loop);
  REQUIRE(await(loop, alice.add_auth("digest", "alice:wonder-land")));
  auto got = await(loop, alice.get(path));
  REQUIRE_MESSAGE(got, got.error().message());
  CHECK(got->data == "x");

  Session mallory = connect(loop);
  REQUIRE(await(loop, mallory.add_auth("digest", "alice:guess")));
  CHECK(await(loop, mallory.get(path)).code() == Errc::no_auth);
  // The kit's super user is configured with ZooKeeper's own digest of super:super.
  CHECK(acl::digest_id("super", "super") == "super:gG7s8t3oDEtIqF6DM9LlI/R+9Ss=");
  for (Session* s : {&owner, &alice, &mallory}) close(loop, *s);
}

TEST_CASE("acl::ip with a CIDR admits loopback clients and another range refuses them") {
  Loop loop;
  Session s = connect(loop);
  std::string inside = unique_path("acl-ip-in"), outside = unique_path("acl-ip-out");
  auto loopback = acl::ip("127.0.0.0/8", perm_all);
  auto elsewhere = acl::ip("10.0.0.0/8", perm_all);
  REQUIRE(loopback);
  REQUIRE(elsewhere);
  AclList inside_acl{*loopback}, outside_acl{*elsewhere};
  REQUIRE(await(loop, s.create(inside, "in", {.acl = inside_acl})));
  REQUIRE(await(loop, s.create(outside, "out", {.acl = outside_acl})));
  CHECK(await(loop, s.get(inside)));
  CHECK(await(loop, s.get(outside)).code() == Errc::no_auth);
  CHECK(acl::ip("127.0.0.1/33", perm_read).code() == Errc::invalid_acl);
  CHECK(acl::ip("not-an-address", perm_read).code() == Errc::invalid_acl);
  CHECK(acl::ip("::1/128", perm_read));
  close(loop, s);
}

TEST_CASE("acl::auth (creator-all) gives the node to the creating identity only") {
  Loop loop;
  Session creator = connect(loop);
  REQUIRE(await(loop, creator.add_auth("digest", "carol:c4rol")));
  std::string path = unique_path("acl-auth");
  AclList creator_acl{acl::auth(perm_all)};
  REQUIRE(await(loop, creator.create(path, "", {.acl = creator_acl})));
  auto stored = await(loop, creator.get_acl(path));
  REQUIRE(stored);
  REQUIRE(stored->acl.size() == 1);
  CHECK(stored->acl[0] == acl::digest("carol", "c4rol", perm_all));
  Session other = connect(loop);
  CHECK(await(loop, other.get(path)).code() == Errc::no_auth);
  close(loop, other);
  close(loop, creator);
}

TEST_CASE("a read-only world entry lets everyone read and nobody write") {
  Loop loop;
  Session s = connect(loop);
  std::string path = unique_path("acl-read");
  AclList read_only{acl::world(perm_read)};
  REQUIRE(await(loop, s.create(path, "r", {.acl = read_only})));
  CHECK(await(loop, s.get(path)));
  CHECK(await(loop, s.set(path, "w")).code() == Errc::no_auth);
  close(loop, s);
}

TEST_CASE("zkCli notation parses into entries the server stores and reads back unchanged") {
  Loop loop;
  Session s = connect(loop);
  std::string path = unique_path("acl-text");
  std::string text = "world:anyone:r," + acl::to_text(acl::digest("dave", "pw", perm_all)) +
                     ",ip:127.0.0.0/8:cdrwa";
  auto parsed = acl::parse(text);
  REQUIRE_MESSAGE(parsed, parsed.error().message());
  REQUIRE(parsed->size() == 3);
  auto created = await(loop, s.create(path, "", {.acl = *parsed}));
  REQUIRE_MESSAGE(created, created.error().message());
  REQUIRE(await(loop, s.add_auth("digest", "dave:pw")));  // ADMIN to see digest ids unmasked
  auto stored = await(loop, s.get_acl(path));
  REQUIRE(stored);
  std::string back;
  for (const Acl& a : stored->acl) back += (back.empty() ? "" : ",") + acl::to_text(a);
  CHECK(back == text);
  close(loop, s);
}

TEST_CASE("x509 subjects keep their commas in zkCli notation") {
  auto parsed = acl::parse("x509:O=zk-tests,CN=test-client:rw,world:anyone:r");
  REQUIRE_MESSAGE(parsed, parsed.error().message());
  REQUIRE(parsed->size() == 2);
  CHECK((*parsed)[0] == acl::x509("O=zk-tests,CN=test-client", perm_read | perm_write));
  CHECK(acl::to_text((*parsed)[0]) == "x509:O=zk-tests,CN=test-client:rw");
}

TEST_CASE("sasl entries parse, and a server without the SASL provider refuses them as invalid") {
  auto parsed = acl::parse("sasl:bob:a");
  REQUIRE(parsed);
  CHECK((*parsed)[0] == acl::sasl("bob", perm_admin));
  Loop loop;
  Session s = connect(loop);
  CHECK(await(loop, s.create(unique_path("acl-sasl"), "", {.acl = *parsed})).code() == Errc::invalid_acl);
  close(loop, s);
}

TEST_CASE("malformed ACL text is refused, naming the entry") {
  CHECK(acl::parse("world:anyone:rx").code() == Errc::invalid_acl);
  CHECK(acl::parse("digest:alice:r").code() == Errc::invalid_acl);
  CHECK(acl::parse("nosuch:id:r").code() == Errc::invalid_acl);
  auto bad = acl::parse("world:anyone:r,ip:300.1.1.1:r");
  REQUIRE_FALSE(bad);
  CHECK_MESSAGE(bad.error().message().find("300.1.1.1") != std::string::npos, bad.error().message());
  CHECK(acl::perms_text(perm_all) == "cdrwa");
  CHECK(*acl::parse_perms("ar") == (perm_admin | perm_read));
}

}  // namespace
}  // namespace zkit::test_tls
