// NodeCache, TreeCache, ServiceRegistry and ServiceCache against a real server: snapshots,
// ordered events, what a connection loss or a server restart makes them miss, session expiry.
#include <nlohmann/json.hpp>

#include "support.hpp"
#include "zkit/recipes/caches/node_cache.hpp"
#include "zkit/recipes/discovery/service_registry.hpp"
#include "zkit/recipes/caches/tree_cache.hpp"
#include "zkit/testing/fault_proxy.hpp"
#include "zkit/testing/session_killer.hpp"

using namespace zkit;
using namespace zkit::recipes::test;
using namespace zkit::recipes;
using Type = CacheEvent::Type;

namespace zkit::recipes::test {
// The server of this binary (data_main_test.cpp): TTL nodes on, containers reaped quickly.
zkit::testing::Cluster& data_server();
}

namespace {

struct Recorder {
  std::vector<CacheEvent> events;
  TreeCache::Listener listener() {
    return [this](const CacheEvent& e) { events.push_back(e); };
  }
  bool saw(Type t) const {
    return std::any_of(events.begin(), events.end(), [t](const CacheEvent& e) { return e.type == t; });
  }
  std::vector<std::string> describe(std::size_t from = 0) const {
    std::vector<std::string> out;
    for (std::size_t i = from; i < events.size(); ++i) {
      std::string s(to_string(events[i].type));
      if (!events[i].path.empty()) s += " " + events[i].path;
      if (events[i].type == Type::added || events[i].type == Type::updated) s += "=" + events[i].data;
      out.push_back(s);
    }
    return out;
  }
};

std::unique_ptr<zkit::testing::FaultProxy> proxy_to_server() {
  auto p = zkit::testing::FaultProxy::start(data_server().address(1));
  REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message()));
  return std::move(p).value();
}

}  // namespace

TEST_CASE("node cache: snapshot, then every change of one node in order") {
  Loop loop;
  Session s = connect(loop, options_for(data_server().connect_string()));
  Session writer = connect(loop, options_for(data_server().connect_string()));
  std::string p = unique_path("nodecache");
  NodeCache cache(s, p);
  Recorder rec;
  cache.add_listener(rec.listener());
  REQUIRE(run(loop, cache.start()).ok());
  CHECK(cache.current() == nullptr);
  CHECK(cache.live());

  REQUIRE(await(loop, writer.create(p, "a")).ok());
  REQUIRE(await(loop, writer.create(p + "/child", "")).ok());  // not the node's data: no event
  REQUIRE(await(loop, writer.set(p, "b")).ok());
  REQUIRE(await(loop, writer.remove(p + "/child")).ok());
  REQUIRE(await(loop, writer.remove(p)).ok());
  REQUIRE(await(loop, writer.create(p, "c")).ok());
  REQUIRE(loop.run_until([&] { return rec.events.size() >= 5; }));
  REQUIRE(await(loop, s.sync(p)).ok());
  CHECK(rec.describe() == std::vector<std::string>{"initialized", "added " + p + "=a", "updated " + p + "=b",
                                                   "removed " + p, "added " + p + "=c"});
  REQUIRE(cache.current() != nullptr);
  CHECK(cache.current()->data == "c");
  CHECK(cache.current()->stat.version == 0);
  run(loop, cache.close());
  REQUIRE(await(loop, writer.set(p, "d")).ok());
  REQUIRE(await(loop, s.sync(p)).ok());
  CHECK(rec.events.size() == 5);  // closed: no more events
  close(loop, s);
  close(loop, writer);
}

TEST_CASE("node cache: re-reads what it missed while disconnected, and reports expiry") {
  auto proxy = proxy_to_server();
  Loop loop;
  Session s = connect(loop, options_for(proxy->address()));
  Session writer = connect(loop, options_for(data_server().connect_string()));
  std::string p = unique_path("nodecache-missed");
  REQUIRE(await(loop, writer.create(p, "1")).ok());
  NodeCache cache(s, p);
  Recorder rec;
  cache.add_listener(rec.listener());
  REQUIRE(run(loop, cache.start()).ok());
  REQUIRE(cache.current() != nullptr);
  CHECK(cache.current()->data == "1");

  proxy->refuse(true);
  proxy->drop_connections();
  REQUIRE(loop.run_until([&] { return rec.saw(Type::suspended); }));
  REQUIRE(await(loop, writer.set(p, "2")).ok());  // the cache cannot hear of this one
  proxy->refuse(false);
  REQUIRE(loop.run_until([&] { return rec.saw(Type::resynced); }));
  CHECK(rec.describe() == std::vector<std::string>{"initialized", "suspended", "reconnected", "updated " + p + "=2",
                                                   "resynced"});
  CHECK(cache.current()->data == "2");

  REQUIRE(zkit::testing::expire_session(data_server().connect_string(), s.session_id(), s.session_password()).ok());
  REQUIRE(loop.run_until([&] { return rec.saw(Type::lost); }));
  CHECK_FALSE(cache.live());
  CHECK(cache.current()->data == "2");  // the last contents stay readable

  // A new session carries on.
  Session fresh = connect(loop, options_for(data_server().connect_string()));
  REQUIRE(await(loop, writer.set(p, "3")).ok());
  std::size_t before = rec.events.size();
  REQUIRE(run(loop, cache.rebind(fresh)).ok());
  CHECK(rec.describe(before) == std::vector<std::string>{"updated " + p + "=3", "resynced"});
  REQUIRE(await(loop, writer.set(p, "4")).ok());
  REQUIRE(loop.run_until([&] { return cache.current()->data == "4"; }));
  run(loop, cache.close());
  close(loop, fresh);
  close(loop, writer);
}

TEST_CASE("tree cache: initial snapshot, then adds, updates and removes in server order") {
  Loop loop;
  Session s = connect(loop, options_for(data_server().connect_string()));
  Session writer = connect(loop, options_for(data_server().connect_string()));
  std::string p = unique_path("tree");
  REQUIRE(await(loop, writer.create(p, "root")).ok());
  REQUIRE(await(loop, writer.create(p + "/x", "1")).ok());
  REQUIRE(await(loop, writer.create(p + "/x/y", "2")).ok());
  REQUIRE(await(loop, writer.create(p + "/z", "3")).ok());

  TreeCache tree(s, p);
  Recorder rec;
  tree.add_listener(rec.listener());
  REQUIRE(run(loop, tree.start()).ok());
  CHECK(rec.describe() == std::vector<std::string>{"initialized"});
  std::vector<std::string> paths;
  for (const auto& [path, n] : tree.nodes()) paths.push_back(path);
  CHECK(paths == std::vector<std::string>{p, p + "/x", p + "/x/y", p + "/z"});
  CHECK(tree.find(p + "/x/y")->data == "2");
  CHECK(tree.children(p) == std::vector<std::string>{"x", "z"});

  // One change at a time: each is seen as its own event.
  auto step = [&](auto op) {
    std::size_t before = rec.events.size();
    REQUIRE(await(loop, op()).ok());
    REQUIRE(loop.run_until([&] { return rec.events.size() > before; }));
  };
  step([&] { return writer.create(p + "/a", "a"); });
  step([&] { return writer.create(p + "/a/b", "b"); });
  step([&] { return writer.set(p + "/a/b", "c"); });
  step([&] { return writer.remove(p + "/a/b"); });
  step([&] { return writer.remove(p + "/a"); });
  CHECK(rec.describe() == std::vector<std::string>{"initialized", "added " + p + "/a=a", "added " + p + "/a/b=b",
                                                   "updated " + p + "/a/b=c", "removed " + p + "/a/b",
                                                   "removed " + p + "/a"});

  // A burst on different nodes: the events come out in the server's order, also when a
  // deletion (applied at once) follows a change (which needs a read first).
  std::size_t before = rec.events.size();
  auto w1 = writer.set(p + "/z", "4");
  auto w2 = writer.remove(p + "/x/y");
  auto w3 = writer.create(p + "/w", "w");
  auto w4 = writer.set(p + "/x", "5");
  REQUIRE(await(loop, std::move(w1)).ok());
  REQUIRE(await(loop, std::move(w2)).ok());
  REQUIRE(await(loop, std::move(w3)).ok());
  REQUIRE(await(loop, std::move(w4)).ok());
  REQUIRE(loop.run_until([&] { return rec.events.size() >= before + 4; }));
  REQUIRE(await(loop, s.sync(p)).ok());
  CHECK(rec.describe(before) == std::vector<std::string>{"updated " + p + "/z=4", "removed " + p + "/x/y",
                                                         "added " + p + "/w=w", "updated " + p + "/x=5"});
  CHECK(tree.nodes().size() == 4);

  // Depth limits: a cache of the root and its children only.
  TreeCacheOptions shallow;
  shallow.max_depth = 1;
  TreeCache top(s, p, shallow);
  REQUIRE(run(loop, top.start()).ok());
  CHECK(top.nodes().size() == 4);
  REQUIRE(await(loop, writer.create(p + "/x/deep", "")).ok());
  REQUIRE(await(loop, writer.create(p + "/v", "")).ok());
  REQUIRE(loop.run_until([&] { return top.find(p + "/v") != nullptr; }));
  CHECK(top.find(p + "/x/deep") == nullptr);
  CHECK(top.nodes().size() == 5);
  run(loop, top.close());
  run(loop, tree.close());
  close(loop, s);
  close(loop, writer);
}

TEST_CASE("tree cache: after a server restart it resyncs and emits what changed meanwhile") {
  auto& zk = data_server();
  auto proxy = proxy_to_server();
  Loop loop;
  Session s = connect(loop, options_for(proxy->address(), 10000ms));
  Session writer = connect(loop, options_for(zk.connect_string(), 10000ms));
  std::string p = unique_path("tree-restart");
  REQUIRE(await(loop, writer.create(p, "")).ok());
  REQUIRE(await(loop, writer.create(p + "/change", "0")).ok());
  REQUIRE(await(loop, writer.create(p + "/gone", "")).ok());
  REQUIRE(await(loop, writer.create(p + "/gone/leaf", "")).ok());
  REQUIRE(await(loop, writer.create(p + "/keep", "k")).ok());

  TreeCache tree(s, p);
  Recorder rec;
  tree.add_listener(rec.listener());
  REQUIRE(run(loop, tree.start()).ok());
  CHECK(tree.nodes().size() == 5);

  // The cache's connection goes first (and stays away), then the server restarts; the
  // tree changes while the cache cannot see it.
  proxy->refuse(true);
  proxy->drop_connections();
  REQUIRE(loop.run_until([&] { return rec.saw(Type::suspended); }));
  REQUIRE(zk.kill(1).ok());
  REQUIRE(zk.restart(1).ok());
  REQUIRE(loop.run_until([&] { return writer.state() == SessionState::reconnected; }));
  REQUIRE(await(loop, writer.remove(p + "/gone/leaf")).ok());
  REQUIRE(await(loop, writer.remove(p + "/gone")).ok());
  REQUIRE(await(loop, writer.set(p + "/change", "1")).ok());
  REQUIRE(await(loop, writer.create(p + "/new", "n")).ok());
  std::size_t before = rec.events.size();
  proxy->refuse(false);
  REQUIRE(loop.run_until([&] { return rec.saw(Type::resynced); }));

  auto seen = rec.describe(before);
  REQUIRE(seen.size() == 6);
  CHECK(seen[0] == "reconnected");
  // Adds and updates as the walk reads them, then removals, children first.
  std::vector<std::string> changes(seen.begin() + 1, seen.begin() + 3);
  std::sort(changes.begin(), changes.end());
  CHECK(changes == std::vector<std::string>{"added " + p + "/new=n", "updated " + p + "/change=1"});
  CHECK(seen[3] == "removed " + p + "/gone/leaf");
  CHECK(seen[4] == "removed " + p + "/gone");
  CHECK(seen[5] == "resynced");
  CHECK(tree.nodes().size() == 4);

  // And it follows live changes again.
  REQUIRE(await(loop, writer.set(p + "/keep", "k2")).ok());
  REQUIRE(loop.run_until([&] { return tree.find(p + "/keep")->data == "k2"; }));
  run(loop, tree.close());
  close(loop, s);
  close(loop, writer);
}

TEST_CASE("service instances: Curator's JSON field names, order and shapes; uri specs") {
  ServiceInstance in;
  in.name = "chunk";
  in.id = "cs-1";
  in.address = "10.0.0.1";
  in.port = 9000;
  in.payload = R"({"zone":"eu-1","weight":3})";
  in.registration_time_utc = 1700000000123;
  auto spec = parse_uri_spec("{scheme}://{address}:{port}/v1/{ name }");
  REQUIRE(spec.ok());
  in.uri_spec = *spec;
  auto text = to_json(in);
  REQUIRE(text.ok());
  auto j = nlohmann::ordered_json::parse(*text);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"name", "id", "address", "port", "sslPort", "payload", "registrationTimeUTC",
                                         "serviceType", "uriSpec", "enabled"});
  CHECK(j["sslPort"].is_null());
  CHECK(j["port"] == 9000);
  CHECK(j["serviceType"] == "DYNAMIC");
  CHECK(j["registrationTimeUTC"] == 1700000000123);
  CHECK(j["payload"]["zone"] == "eu-1");
  CHECK(j["enabled"] == true);
  CHECK(j["uriSpec"]["parts"][0] == nlohmann::ordered_json::parse(R"({"value":"scheme","variable":true})"));
  CHECK(j["uriSpec"]["parts"][1] == nlohmann::ordered_json::parse(R"({"value":"://","variable":false})"));
  CHECK(j["uriSpec"]["parts"][6]["value"] == "name");  // trimmed inside braces
  auto back = parse_service_instance(*text);
  REQUIRE(back.ok());
  CHECK(*back == in);
  CHECK(build_uri(in) == "http://10.0.0.1:9000/v1/chunk");

  // What a Java service registered through Curator looks like.
  auto java = parse_service_instance(
      R"({"name":"meta","id":"8f2c","address":"10.1.1.1","port":null,"sslPort":8443,)"
      R"("payload":{"@class":"com.example.Info","rack":"r1"},"registrationTimeUTC":1325129459728,)"
      R"("serviceType":"STATIC","uriSpec":null,"enabled":false,"futureField":1})");
  REQUIRE(java.ok());
  CHECK(java->ssl_port == 8443);
  CHECK_FALSE(java->port.has_value());
  CHECK(java->service_type == ServiceType::static_);
  CHECK_FALSE(java->enabled);
  CHECK(nlohmann::json::parse(java->payload)["@class"] == "com.example.Info");
  ServiceInstance tls = *java;
  tls.uri_spec = *parse_uri_spec("{scheme}://{address}:{ssl-port}{[}x{]}");
  CHECK(build_uri(tls) == "https://10.1.1.1:8443{x}");

  CHECK(parse_service_instance("[1]").code() == Errc::bad_arguments);
  CHECK(parse_service_instance(R"({"name":"a"})").code() == Errc::bad_arguments);
  CHECK(parse_service_instance(R"({"name":"a","id":"b","serviceType":"ODD"})").code() == Errc::bad_arguments);
  CHECK(parse_uri_spec("{a{b}}").code() == Errc::bad_arguments);
  CHECK(parse_uri_spec("a}").code() == Errc::bad_arguments);
  CHECK(parse_uri_spec("{open").code() == Errc::bad_arguments);
  in.payload = "{not json";
  CHECK(to_json(in).code() == Errc::bad_arguments);
}

TEST_CASE("service registry: register, discover, follow, survive deletion and a replaced session") {
  Loop loop;
  Session s = connect(loop, options_for(data_server().connect_string()));
  Session other = connect(loop, options_for(data_server().connect_string()));
  std::string base = unique_path("services");
  ServiceRegistry registry(s, base);
  ServiceInstance one;
  one.name = "chunk";
  one.id = "cs-1";
  one.address = "10.0.0.1";
  one.port = 9000;
  REQUIRE(run(loop, registry.register_instance(one)).ok());
  CHECK(run(loop, registry.register_instance(one)).code() == Errc::bad_arguments);

  std::string node = registry.instance_path("chunk", "cs-1");
  CHECK(node == base + "/chunk/cs-1");
  auto raw = await(loop, other.get(node));
  REQUIRE(raw.ok());
  CHECK(raw->stat.ephemeral_owner == s.session_id());
  auto parsed = parse_service_instance(raw->data);
  REQUIRE(parsed.ok());
  CHECK(parsed->id == "cs-1");
  CHECK(parsed->registration_time_utc > 0);
  CHECK(*parsed == registry.registered().at(0));

  ServiceCache cache(other, base, "chunk");
  std::vector<std::size_t> sizes;
  cache.add_listener([&](const std::vector<ServiceInstance>& now) { sizes.push_back(now.size()); });
  REQUIRE(run(loop, cache.start()).ok());
  REQUIRE(cache.instances().size() == 1);
  CHECK(sizes == std::vector<std::size_t>{1});  // the listener is told the first list
  CHECK(cache.instances()[0].address == "10.0.0.1");

  // A second instance, from another process.
  ServiceRegistry registry2(other, base);
  ServiceInstance two = one;
  two.id = "cs-2";
  two.address = "10.0.0.2";
  REQUIRE(run(loop, registry2.register_instance(two)).ok());
  REQUIRE(loop.run_until([&] { return cache.instances().size() == 2; }));
  auto all = run(loop, registry.query_for_instances("chunk"));
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].id == "cs-1");
  CHECK((*all)[1].id == "cs-2");
  auto names = run(loop, registry.query_for_names());
  REQUIRE(names.ok());
  CHECK(*names == std::vector<std::string>{"chunk"});
  auto single = run(loop, registry.query_for_instance("chunk", "cs-2"));
  REQUIRE(single.ok());
  REQUIRE(single->has_value());
  CHECK((*single)->address == "10.0.0.2");

  // An update reaches the cache.
  one.port = 9001;
  REQUIRE(run(loop, registry.update_instance(one)).ok());
  REQUIRE(loop.run_until([&] { return cache.instances()[0].port == 9001; }));

  // Deleted by someone: registered again.
  std::size_t mark = sizes.size();
  REQUIRE(await(loop, other.remove(node)).ok());
  REQUIRE(loop.run_until([&] { return sizes.size() >= mark + 2; }));
  CHECK(sizes[mark] == 1);
  CHECK(sizes[mark + 1] == 2);
  auto back = await(loop, other.exists(node));
  REQUIRE(back.ok());
  REQUIRE(back->has_value());
  CHECK((*back)->ephemeral_owner == s.session_id());

  // The session expires: the instance goes; reregister() on a new session brings it back.
  REQUIRE(zkit::testing::expire_session(data_server().connect_string(), s.session_id(), s.session_password()).ok());
  REQUIRE(loop.run_until([&] { return cache.instances().size() == 1; }));
  Session fresh = connect(loop, options_for(data_server().connect_string()));
  REQUIRE(run(loop, registry.reregister(fresh)).ok());
  REQUIRE(loop.run_until([&] { return cache.instances().size() == 2; }));
  auto again = await(loop, other.get(node));
  REQUIRE(again.ok());
  CHECK(again->stat.ephemeral_owner == fresh.session_id());
  CHECK(parse_service_instance(again->data)->port == 9001);

  REQUIRE(run(loop, registry2.unregister_instance("chunk", "cs-2")).ok());
  REQUIRE(loop.run_until([&] { return cache.instances().size() == 1; }));
  CHECK(cache.instances()[0].id == "cs-1");
  CHECK(!sizes.empty());
  run(loop, registry.close());
  REQUIRE(loop.run_until([&] { return cache.instances().empty(); }));
  run(loop, cache.close());
  close(loop, fresh);
  close(loop, other);
}
