#include <doctest/doctest.h>

#include "session/ensemble_config.hpp"

using zkit::HostPort;
using zkit::session::client_hosts_of_config;

TEST_CASE("the client addresses of a dynamic configuration are read from its server lines") {
  auto hosts = client_hosts_of_config(
      "server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181\n"
      "server.2=zk2:2888:3888:observer;0.0.0.0:2182\n"
      "server.3=[::1]:2888:3888;2183\n"
      "version=100000000");
  REQUIRE(hosts.size() == 3);
  CHECK(hosts[0] == HostPort{"127.0.0.1", 2181});
  CHECK(hosts[1] == HostPort{"zk2", 2182});  // 0.0.0.0: the server's own host
  CHECK(hosts[2] == HostPort{"::1", 2183});  // a bare port: the server's own host
}

TEST_CASE("a configuration a client cannot follow yields no hosts") {
  CHECK(client_hosts_of_config("").empty());               // a standalone server's
  CHECK(client_hosts_of_config("version=0\n").empty());
  // A server line without a client address: following it would lose that member.
  CHECK(client_hosts_of_config("server.1=127.0.0.1:2888:3888;127.0.0.1:2181\nserver.2=127.0.0.1:2889:3889\n").empty());
  CHECK(client_hosts_of_config("server.1=127.0.0.1:2888:3888;127.0.0.1:0\n").empty());
}
