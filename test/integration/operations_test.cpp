// Every operation against a real server, in its coroutine and callback forms.
#include "support.hpp"

using namespace zkit;
using namespace zkit::test;

TEST_CASE("create, get, set, exists and delete round-trip through the server") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("crud");

  auto created = await(loop, s.create(p, "v1"));
  REQUIRE(created.ok());
  CHECK(created->path == p);
  CHECK(created->stat.version == 0);
  CHECK(created->stat.data_length == 2);
  CHECK(created->stat.czxid == created->stat.mzxid);

  auto got = await(loop, s.get(p));
  REQUIRE(got.ok());
  CHECK(got->data == "v1");
  CHECK(got->stat == created->stat);

  auto set = await(loop, s.set(p, "v2", 0));
  REQUIRE(set.ok());
  CHECK(set->version == 1);
  CHECK(set->mzxid > created->stat.czxid);

  auto stale = await(loop, s.set(p, "v3", 0));
  CHECK(stale.code() == Errc::bad_version);

  auto ex = await(loop, s.exists(p));
  REQUIRE(ex.ok());
  REQUIRE(ex->has_value());
  CHECK((*ex)->version == 1);

  auto refused = await(loop, s.remove(p, 0));
  CHECK(refused.code() == Errc::bad_version);
  CHECK(refused.error().message() == "remove " + p + ": bad_version");  // named as the API names it
  CHECK(await(loop, s.remove(p, 1)).ok());
  auto gone = await(loop, s.exists(p));
  REQUIRE(gone.ok());
  CHECK(!gone->has_value());
  CHECK(await(loop, s.get(p)).code() == Errc::no_node);
  CHECK(await(loop, s.create(p + "/a/b", "")).code() == Errc::no_node);
}

TEST_CASE("create modes: ephemeral, sequential, container and TTL") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("modes");
  REQUIRE(await(loop, s.create(p, "")).ok());

  CreateOptions eph{.mode = CreateMode::ephemeral};
  auto e = await(loop, s.create(p + "/e", "", eph));
  REQUIRE(e.ok());
  CHECK(e->stat.ephemeral_owner == s.session_id());
  CHECK(await(loop, s.create(p + "/e/child", "")).code() == Errc::no_children_for_ephemerals);

  CreateOptions seq{.mode = CreateMode::persistent_sequential};
  auto s1 = await(loop, s.create(p + "/n-", "", seq));
  auto s2 = await(loop, s.create(p + "/n-", "", seq));
  REQUIRE(s1.ok());
  REQUIRE(s2.ok());
  CHECK(s1->path.size() == p.size() + 3 + 10);
  CHECK(s1->path < s2->path);

  CreateOptions container{.mode = CreateMode::container};
  auto c = await(loop, s.create(p + "/c", "", container));
  REQUIRE(c.ok());

  CreateOptions ttl{.mode = CreateMode::persistent_with_ttl, .ttl = std::chrono::milliseconds(60000)};
  auto t = await(loop, s.create(p + "/t", "", ttl));
  REQUIRE_MESSAGE(t.ok(), (t.ok() ? "" : t.error().message()));
  CHECK(t->stat.ephemeral_owner == 0);

  auto kids = await(loop, s.get_children(p));
  REQUIRE(kids.ok());
  CHECK(kids->names.size() == 5);
  CHECK(kids->stat.num_children == 5);
}

TEST_CASE("sync, get_acl, set_acl and digest auth") {
  Loop loop;
  Session alice = connect(loop, options_for(shared_server().connect_string()));
  Session other = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("acl");

  CHECK(await(loop, alice.sync("/")).ok());
  REQUIRE(await(loop, alice.add_auth("digest", "alice:secret")).ok());
  CreateOptions mine{.acl = creator_all_acl()};
  REQUIRE(await(loop, alice.create(p, "secret", mine)).ok());

  auto acl = await(loop, alice.get_acl(p));
  REQUIRE(acl.ok());
  REQUIRE(acl->acl.size() == 1);
  // The server expands "auth" into the digest of the session's credentials (docs §10).
  CHECK(acl->acl[0].id == Id{"digest", "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E="});
  CHECK(acl->acl[0].perms == perm_all);

  CHECK(await(loop, other.get(p)).code() == Errc::no_auth);
  auto opened = await(loop, alice.set_acl(p, read_acl_unsafe(), acl->stat.aversion));
  REQUIRE(opened.ok());
  CHECK(opened->aversion == 1);
  auto read = await(loop, other.get(p));
  REQUIRE(read.ok());
  CHECK(read->data == "secret");
  CHECK(await(loop, other.set(p, "x")).code() == Errc::no_auth);
}

TEST_CASE("the callback form completes exactly once, in request order") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("order");
  REQUIRE(await(loop, s.create(p, "")).ok());

  constexpr int kRequests = 500;
  std::vector<int> completed;
  for (int i = 0; i < kRequests; ++i) {
    if (i % 2 == 0)
      s.set(p, std::to_string(i), -1, [&, i](Result<Stat> r) { CHECK(r.ok()); completed.push_back(i); });
    else
      s.get(p, {}, [&, i](Result<Data> r) {
        REQUIRE(r.ok());
        CHECK(r->data == std::to_string(i - 1));  // sees the set sent just before it
        completed.push_back(i);
      });
  }
  REQUIRE(loop.run_until([&] { return completed.size() == kRequests; }));
  for (int i = 0; i < kRequests; ++i) CHECK(completed[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("a chroot is applied to requests and removed from replies and events") {
  Loop loop;
  std::string root = unique_path("chroot");
  Session plain = connect(loop, options_for(shared_server().connect_string()));
  REQUIRE(await(loop, plain.create(root, "")).ok());

  Session s = connect(loop, options_for(shared_server().connect_string() + root));
  CreateOptions seq{.mode = CreateMode::persistent_sequential};
  auto c = await(loop, s.create("/job-", "x", seq));
  REQUIRE(c.ok());
  CHECK(c->path.rfind("/job-", 0) == 0);
  auto seen = await(loop, plain.get_children(root));
  REQUIRE(seen.ok());
  REQUIRE(seen->names.size() == 1);
  CHECK("/" + seen->names[0] == c->path);

  std::optional<WatchEvent> event;
  REQUIRE(await(loop, s.get(c->path, [&](const WatchEvent& e) { event = e; })).ok());
  REQUIRE(await(loop, plain.set(root + c->path, "y")).ok());
  REQUIRE(loop.run_until([&] { return event.has_value(); }));
  CHECK(event->path == c->path);
  CHECK(event->type == EventType::node_data_changed);
  auto top = await(loop, s.get_children("/"));
  REQUIRE(top.ok());
  CHECK(top->names.size() == 1);
}

TEST_CASE("the blocking client offers every operation from any thread") {
  auto c = Client::open(options_for(shared_server().connect_string()));
  REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message()));
  std::string p = unique_path("client");
  REQUIRE(c->create(p, "a").ok());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto name = p + "/t" + std::to_string(t) + "-" + std::to_string(i);
        if (c->create(name, "x").ok() && c->get(name)->data == "x" && c->remove(name).ok()) ++ok;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(ok == 200);
  CHECK(c->get_children(p)->names.empty());
  CHECK(c->set(p, "b")->version == 1);
  CHECK(c->sync(p).ok());
  CHECK(c->get_acl(p)->acl == open_acl_unsafe());
  CHECK(c->exists(p + "/none")->has_value() == false);

  std::promise<WatchEvent> fired;
  REQUIRE(c->exists(p + "/later", [&](const WatchEvent& e) { fired.set_value(e); }).ok());
  REQUIRE(c->create(p + "/later", "").ok());
  auto f = fired.get_future();
  REQUIRE(f.wait_for(scaled(10s)) == std::future_status::ready);
  CHECK(f.get().type == EventType::node_created);

  c->close();
  CHECK(c->get(p).code() == Errc::closing);
  CHECK(c->state() == SessionState::closed);
}

TEST_CASE("coroutines chain operations with co_await and zkit::Task") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  std::string p = unique_path("coro");
  std::optional<std::vector<std::string>> seen;
  auto child_count = [](Session& s, std::string p) -> Task<std::size_t> {
    auto kids = co_await s.get_children(p);
    co_return kids ? kids->names.size() : 0;
  };
  spawn([](Session& s, std::string p, auto child_count, std::optional<std::vector<std::string>>& seen) -> Task<void> {
    std::vector<std::string> log;
    auto root = co_await s.create(p, "");
    log.push_back(root ? "created" : root.error().message());
    for (int i = 0; i < 3; ++i) {
      auto c = co_await s.create(p + "/" + std::to_string(i), "x");
      if (!c) log.push_back(c.error().message());
    }
    log.push_back(std::to_string(co_await child_count(s, p)));
    auto again = co_await s.create(p, "");
    log.push_back(std::string(to_string(again.code())));
    seen = std::move(log);
  }(s, p, child_count, seen));
  REQUIRE(loop.run_until([&] { return seen.has_value(); }));
  CHECK(*seen == std::vector<std::string>{"created", "3", "node_exists"});
}

TEST_CASE("a listener may add listeners and remove itself while it is being told of a change") {
  Loop loop;
  Session s = connect(loop, options_for(shared_server().connect_string()));
  std::vector<std::string> seen;
  Session::ListenerId self = 0;
  // Enough added listeners to make the listener list reallocate under the running one.
  self = s.add_listener([&, tag = std::string(64, 'x')](SessionState st) {
    for (int i = 0; i < 32; ++i) s.add_listener([](SessionState) {});
    s.remove_listener(self);
    seen.push_back(tag.substr(0, 1) + std::string(to_string(st)));  // its captures are still alive
  });
  bool closed = false;
  s.close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
  CHECK(seen == std::vector<std::string>{"xclosed"});
}
