// zkit's ServiceRegistry / ServiceCache and Curator's ServiceDiscovery (curator-x-discovery,
// JsonInstanceSerializer) on one base path: each finds the other's instances, fields intact.
#include <nlohmann/json.hpp>

#include "peers.hpp"
#include "server_view.hpp"
#include "zkit/recipes/discovery/service_registry.hpp"

using namespace zkit;
using namespace zkit::recipes;
using namespace zkit::interop;
using zkit::recipes::test::connect;
using zkit::recipes::test::run;
using zkit::recipes::test::unique_path;
using nlohmann::json;

namespace {

const ServiceInstance* find_id(const std::vector<ServiceInstance>& all, const std::string& id) {
  for (const auto& i : all)
    if (i.id == id) return &i;
  return nullptr;
}

}  // namespace

TEST_SUITE("interop") {

TEST_CASE("curator service discovery: zkit and Curator find each other's instances") {
  Loop loop;
  Session s = connect(loop);
  auto curator = start_curator(loop);
  curator->call("client c1", reply_timeout());
  const std::string base = unique_path("interop-services");
  // Two Curator views of the base path: payload class java.util.Map, and a POJO (CuratorPeer$Info).
  curator->call("discovery as_map c1 " + base + " map", reply_timeout());
  curator->call("discovery as_pojo c1 " + base + " info", reply_timeout());

  ServiceRegistry registry(s, base);
  ServiceCache cache(s, base, "chunkserver");
  REQUIRE(run(loop, cache.start()).ok());

  // zkit registers; Curator reads every field. A payload without "@class" reads as a Map.
  ServiceInstance ours{.name = "chunkserver", .id = "cs-7", .address = "127.0.0.1", .port = 9000,
                       .payload = R"({"zone":"eu-1","weight":3})", .registration_time_utc = 1700000000123};
  REQUIRE(run(loop, registry.register_instance(ours)).ok());
  json seen = json::parse(curator->call("query as_map chunkserver cs-7", reply_timeout()));
  CHECK(seen["name"] == "chunkserver");
  CHECK(seen["id"] == "cs-7");
  CHECK(seen["address"] == "127.0.0.1");
  CHECK(seen["port"] == 9000);
  CHECK(seen["registrationTimeUTC"] == 1700000000123);
  CHECK(seen["serviceType"] == "DYNAMIC");
  CHECK(seen["enabled"] == true);
  CHECK(seen["payloadClass"] == "java.util.LinkedHashMap");
  CHECK(seen["payload"] == json::parse(R"({"zone":"eu-1","weight":3})"));
  CHECK(curator->call("query-names as_map", reply_timeout()) == "chunkserver");

  // Read as a POJO, Curator needs the class name in the payload: without it the payload is a
  // Map and JsonInstanceSerializer's payloadClass.cast refuses it.
  std::string refused;
  CHECK_FALSE(curator->try_call("query as_pojo chunkserver cs-7", reply_timeout(), &refused).has_value());
  CHECK(refused.find("ClassCastException") != std::string::npos);
  ServiceInstance typed{.name = "chunkserver", .id = "cs-8", .address = "127.0.0.1", .port = 9002,
                        .payload = R"({"@class":"CuratorPeer$Info","zone":"eu-3","weight":5})"};
  REQUIRE(run(loop, registry.register_instance(typed)).ok());
  seen = json::parse(curator->call("query as_pojo chunkserver cs-8", reply_timeout()));
  CHECK(seen["payloadClass"] == "CuratorPeer$Info");
  CHECK(seen["payload"] == json::parse(R"({"zone":"eu-3","weight":5})"));
  CHECK(seen["registrationTimeUTC"] > 0);
  REQUIRE(run(loop, registry.unregister_instance("chunkserver", "cs-8")).ok());

  // Curator registers; zkit's cache hears of it and reads every field.
  curator->call(R"(register as_map chunkserver cs-9 127.0.0.2 9001 {"zone":"eu-2","weight":1})", reply_timeout());
  REQUIRE(loop.run_until([&] { return find_id(cache.instances(), "cs-9") != nullptr; }, event_timeout()));
  const ServiceInstance theirs = *find_id(cache.instances(), "cs-9");
  CHECK(theirs.name == "chunkserver");
  CHECK(theirs.address == "127.0.0.2");
  CHECK(theirs.port == 9001);
  CHECK_FALSE(theirs.ssl_port.has_value());
  CHECK(theirs.service_type == ServiceType::dynamic);
  CHECK(theirs.registration_time_utc > 0);
  CHECK(theirs.enabled);
  // Jackson writes the payload's class into it; zkit hands the payload over as it is.
  CHECK(json::parse(theirs.payload) == json::parse(R"({"@class":"java.util.LinkedHashMap","zone":"eu-2","weight":1})"));
  auto queried = run(loop, registry.query_for_instance("chunkserver", "cs-9"));
  REQUIRE(queried.ok());
  REQUIRE(queried->has_value());
  CHECK(**queried == theirs);
  auto all = run(loop, registry.query_for_instances("chunkserver"));
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].id == "cs-7");
  CHECK((*all)[1].id == "cs-9");
  // Curator's instance node is ephemeral, like zkit's dynamic ones.
  auto node = zkit::recipes::test::await(loop, s.exists(registry.instance_path("chunkserver", "cs-9")));
  REQUIRE(node.ok());
  REQUIRE(node->has_value());
  CHECK((*node)->ephemeral_owner != 0);

  // Each side's unregistration reaches the other.
  curator->call("unregister as_map chunkserver cs-9", reply_timeout());
  REQUIRE(loop.run_until([&] { return find_id(cache.instances(), "cs-9") == nullptr; }, event_timeout()));
  REQUIRE(run(loop, registry.unregister_instance("chunkserver", "cs-7")).ok());
  CHECK(curator->call("query as_map chunkserver cs-7", reply_timeout()) == "null");

  run(loop, cache.close());
  run(loop, registry.close());
  curator.reset();
  zkit::recipes::test::close(loop, s);
}

}  // TEST_SUITE
