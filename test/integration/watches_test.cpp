// One-shot watches: what fires them, ordering against replies, and session end.
#include "support.hpp"

using namespace zkit;
using namespace zkit::test;

namespace {
struct Recorder {
  std::vector<WatchEvent> events;
  Watcher watcher() {
    return [this](const WatchEvent& e) { events.push_back(e); };
  }
};
}  // namespace

TEST_CASE("data, exists and child watches fire once for the change they watch") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  Session writer = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("watch");

  Recorder created, data, children, deleted;
  auto missing = await(loop, s.exists(p, created.watcher()));
  REQUIRE(missing.ok());
  CHECK(!missing->has_value());
  REQUIRE(await(loop, writer.create(p, "1")).ok());
  REQUIRE(loop.run_until([&] { return created.events.size() == 1; }));
  CHECK(created.events[0].type == EventType::node_created);
  CHECK(created.events[0].path == p);

  REQUIRE(await(loop, s.get(p, data.watcher())).ok());
  REQUIRE(await(loop, s.get_children(p, children.watcher())).ok());
  REQUIRE(await(loop, writer.set(p, "2")).ok());
  REQUIRE(await(loop, writer.set(p, "3")).ok());  // one-shot: no second event
  REQUIRE(await(loop, writer.create(p + "/c", "")).ok());
  REQUIRE(loop.run_until([&] { return children.events.size() == 1; }));
  REQUIRE(await(loop, s.sync(p)).ok());
  CHECK(data.events.size() == 1);
  CHECK(data.events[0].type == EventType::node_data_changed);
  CHECK(children.events[0].type == EventType::node_children_changed);

  REQUIRE(await(loop, s.exists(p, deleted.watcher())).ok());
  REQUIRE(await(loop, writer.remove(p + "/c")).ok());
  REQUIRE(await(loop, writer.remove(p)).ok());
  REQUIRE(loop.run_until([&] { return deleted.events.size() == 1; }));
  CHECK(deleted.events[0].type == EventType::node_deleted);
  CHECK(created.events.size() == 1);
}

TEST_CASE("several local watches on one path all fire from the server's single event") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("fanout");
  REQUIRE(await(loop, s.create(p, "")).ok());
  Recorder a, b, c;
  REQUIRE(await(loop, s.get(p, a.watcher())).ok());
  REQUIRE(await(loop, s.get(p, b.watcher())).ok());
  REQUIRE(await(loop, s.exists(p, c.watcher())).ok());
  REQUIRE(await(loop, s.remove(p)).ok());
  REQUIRE(loop.run_until([&] { return a.events.size() + b.events.size() + c.events.size() == 3; }));
  CHECK(a.events.at(0).type == EventType::node_deleted);
  CHECK(b.events.at(0).type == EventType::node_deleted);
  CHECK(c.events.at(0).type == EventType::node_deleted);
}

TEST_CASE("a watch event arrives before the reply to a request sent after the change") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  Session writer = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("before");
  REQUIRE(await(loop, s.create(p, "0")).ok());
  std::vector<std::string> log;
  REQUIRE(await(loop, s.get(p, [&](const WatchEvent&) { log.push_back("event"); })).ok());
  REQUIRE(await(loop, writer.set(p, "1")).ok());  // applied: the event is on its way
  s.get(p, {}, [&](Result<Data> r) {
    REQUIRE(r.ok());
    CHECK(r->data == "1");
    log.push_back("reply");
  });
  REQUIRE(loop.run_until([&] { return log.size() == 2; }));
  CHECK(log == std::vector<std::string>{"event", "reply"});
}

TEST_CASE("closing a session fires pending watches once with the closed state") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("closewatch");
  Recorder r;
  REQUIRE(await(loop, s.exists(p, r.watcher())).ok());
  bool closed = false;
  s.close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].type == EventType::none);
  CHECK(r.events[0].state == SessionState::closed);
}

TEST_CASE("a watch that was never set because its request failed never fires") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  Recorder r;
  CHECK(await(loop, s.get(unique_path("absent"), r.watcher())).code() == Errc::no_node);
  bool closed = false;
  s.close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
  CHECK(r.events.empty());
}
