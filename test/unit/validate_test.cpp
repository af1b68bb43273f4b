#include <doctest/doctest.h>

#include "zkit/options.hpp"

using zkit::validate_path;

TEST_CASE("paths the server accepts pass validation") {
  for (auto p : {"/", "/a", "/a/b", "/a/.b", "/zookeeper/config", "/\xc3\xa9t\xc3\xa9"})
    CHECK_MESSAGE(validate_path(p).ok(), p);
  CHECK(validate_path("/locks/", true).ok());
}

TEST_CASE("invalid paths are refused with bad_arguments") {
  for (auto p : {"", "a", "/a/", "//", "/a//b", "/a/./b", "/a/..", "/.", "/a\x01", "/a\x7f",
                 "/\xf0\x9f\x98\x80", "/\xc2\x80", "/\xff"}) {
    auto r = validate_path(p);
    REQUIRE_MESSAGE(!r.ok(), p);
    CHECK(r.error().code() == zkit::Errc::bad_arguments);
  }
  CHECK(!validate_path(std::string_view("/a\0b", 4)).ok());
  CHECK(!validate_path("/locks/").ok());
  CHECK(!validate_path("/a//", true).ok());
}

TEST_CASE("connection strings parse hosts, ports and chroot") {
  auto r = zkit::parse_connect_string("zk1:2181,10.0.0.2:2182,[::1]:2183,zk4/app/x");
  REQUIRE(r.ok());
  REQUIRE(r->hosts.size() == 4);
  CHECK(r->hosts[0] == zkit::HostPort{"zk1", 2181});
  CHECK(r->hosts[1] == zkit::HostPort{"10.0.0.2", 2182});
  CHECK(r->hosts[2] == zkit::HostPort{"::1", 2183});
  CHECK(r->hosts[3] == zkit::HostPort{"zk4", 2181});
  CHECK(r->chroot == "/app/x");
  CHECK(zkit::parse_connect_string("h:1/")->chroot.empty());
}

TEST_CASE("bad connection strings name what is wrong") {
  for (auto s : {"", "h:0", "h:65536", "h:x", ":2181", "h/a/", "h/a//b", "::1:2181", "[::1"}) {
    auto r = zkit::parse_connect_string(s);
    REQUIRE_MESSAGE(!r.ok(), s);
    CHECK(r.error().code() == zkit::Errc::bad_arguments);
  }
  CHECK(zkit::parse_connect_string("h/a/").error().message().find("chroot") != std::string::npos);
}

TEST_CASE("the usual connection-string mistakes are named, not misread") {
  struct Case {
    const char* input;
    const char* named;
  };
  for (const Case& c : {Case{"zk://10.0.0.1:2181", "no scheme"}, Case{"zk1:2181;zk2:2181", "not ';'"},
                        Case{"zk1:2181, zk2:2181", "no spaces (one at offset 9)"},
                        Case{"zk1:2181,zk2:", "no port number after ':'"}}) {
    auto r = zkit::parse_connect_string(c.input);
    REQUIRE_MESSAGE(!r.ok(), c.input);
    CHECK(r.error().code() == zkit::Errc::bad_arguments);
    CHECK_MESSAGE(r.error().message().find(c.named) != std::string::npos, r.error().message());
  }
}
