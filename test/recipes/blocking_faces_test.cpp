// The blocking faces of ServiceRegistry / ServiceCache, DoubleBarrier and TreeCache, from plain
// threads against the real server: two Clients contending, timeouts, a Client closed while a
// call waits, and calls made on the client's own thread (refused).
#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "clients.hpp"
#include "support.hpp"
#include "zkit/recipes/blocking/double_barrier.hpp"
#include "zkit/recipes/blocking/mutex.hpp"
#include "zkit/recipes/blocking/service_discovery.hpp"
#include "zkit/recipes/blocking/tree_cache.hpp"

namespace zkit::recipes::test {
namespace {

// What listeners on the client's thread hand to the test's thread.
template <class T>
class Inbox {
 public:
  void put(T v) {
    {
      std::lock_guard g(mu_);
      items_.push_back(std::move(v));
      threads_.push_back(std::this_thread::get_id());
    }
    cv_.notify_all();
  }
  // Waits (bounded) until `pred(items)` holds.
  template <class P>
  bool wait_for(P pred, std::chrono::milliseconds timeout = scaled(20s)) {
    std::unique_lock g(mu_);
    return cv_.wait_for(g, timeout, [&] { return pred(items_); });
  }
  std::vector<T> items() {
    std::lock_guard g(mu_);
    return items_;
  }
  bool any_on(std::thread::id id) {
    std::lock_guard g(mu_);
    for (auto t : threads_)
      if (t == id) return true;
    return false;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<T> items_;
  std::vector<std::thread::id> threads_;
};

// Waits (bounded, by watches, not by sleeping) until `path` has at least `n` children.
bool await_children(Client& c, const std::string& path, std::size_t n) {
  auto deadline = std::chrono::steady_clock::now() + scaled(20s);
  auto fired = std::make_shared<std::promise<void>>();
  auto seen = fired->get_future();
  while (std::chrono::steady_clock::now() < deadline) {
    auto poke = [fired](const WatchEvent&) {
      try {
        fired->set_value();
      } catch (const std::future_error&) {  // a second event of the same round
      }
    };
    if (auto kids = c.get_children(path, poke); kids) {
      if (kids->names.size() >= n) return true;
    } else if (auto there = c.exists(path, poke); !there || there->has_value()) {
      continue;  // created meanwhile: list again
    }
    if (seen.wait_until(deadline) != std::future_status::ready) return false;
    fired = std::make_shared<std::promise<void>>();
    seen = fired->get_future();
  }
  return false;
}

ServiceInstance instance(std::string id, std::string address, int port) {
  ServiceInstance in;
  in.name = "chunk";
  in.id = std::move(id);
  in.address = std::move(address);
  in.port = port;
  return in;
}

Task<void> nothing() { co_return; }

// The children of `path`; none when it is gone (a container the server reaped).
std::vector<std::string> kids(Client& c, const std::string& path) {
  auto r = c.get_children(path);
  if (!r && r.code() == Errc::no_node) return {};
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  return r->names;
}

TEST_CASE("blocking ServiceRegistry and ServiceCache: two clients, the first list and each change on the client's thread") {
  std::string base = unique_path("blocking-services");
  Client provider = open_client();
  Client consumer = open_client();
  blocking::ServiceRegistry registry(provider, base);
  REQUIRE(registry.register_instance(instance("cs-1", "10.0.0.1", 9000)).ok());
  CHECK(registry.register_instance(instance("cs-1", "10.0.0.1", 9000)).code() == Errc::bad_arguments);
  auto mine = registry.registered();
  REQUIRE(mine.ok());
  REQUIRE(mine->size() == 1);
  CHECK(mine->front().registration_time_utc > 0);

  Inbox<std::vector<ServiceInstance>> lists;
  blocking::ServiceCache cache(consumer, base, "chunk");
  REQUIRE(cache.add_listener([&](const std::vector<ServiceInstance>& now) { lists.put(now); }).ok());
  REQUIRE(cache.start().ok());
  // The first list reached the listener before start() returned.
  auto first = lists.items();
  REQUIRE(first.size() == 1);
  REQUIRE(first[0].size() == 1);
  CHECK(first[0][0].address == "10.0.0.1");
  auto now = cache.instances();
  REQUIRE(now.ok());
  CHECK(*now == first[0]);

  // A second provider (another client) registers; the first one updates; then unregisters.
  blocking::ServiceRegistry registry2(consumer, base);
  REQUIRE(registry2.register_instance(instance("cs-2", "10.0.0.2", 9000)).ok());
  REQUIRE(lists.wait_for([](auto& l) { return l.back().size() == 2; }));
  auto names = registry.query_for_names();
  REQUIRE(names.ok());
  CHECK(*names == std::vector<std::string>{"chunk"});
  auto both = registry.query_for_instances("chunk");
  REQUIRE(both.ok());
  REQUIRE(both->size() == 2);
  CHECK((*both)[1].id == "cs-2");

  REQUIRE(registry.update_instance(instance("cs-1", "10.0.0.1", 9001)).ok());
  REQUIRE(lists.wait_for([](auto& l) { return l.back().size() == 2 && l.back()[0].port == 9001; }));
  auto one = registry2.query_for_instance("chunk", "cs-1");
  REQUIRE(one.ok());
  REQUIRE(one->has_value());
  CHECK((*one)->port == 9001);

  REQUIRE(registry.unregister_instance("chunk", "cs-1").ok());
  CHECK(registry.unregister_instance("chunk", "cs-1").code() == Errc::bad_arguments);
  REQUIRE(lists.wait_for([](auto& l) { return l.back().size() == 1 && l.back()[0].id == "cs-2"; }));
  CHECK(!lists.any_on(std::this_thread::get_id()));

  // The client's own thread is refused (it would wait on itself).
  Errc inner = Errc::ok;
  REQUIRE(consumer.run([&](Session&) {
                    inner = cache.instances().code();
                    return nothing();
                  })
              .ok());
  CHECK(inner == Errc::bad_arguments);

  REQUIRE(registry2.close().ok());
  REQUIRE(lists.wait_for([](auto& l) { return l.back().empty(); }));
  REQUIRE(cache.close().ok());
}

TEST_CASE("blocking DoubleBarrier: two clients on two threads enter and leave together; a lone member times out") {
  std::string path = unique_path("blocking-double");
  Client a = open_client();
  Client b = open_client();
  blocking::DoubleBarrier lone(a, path, 2);
  CHECK(lone.enter(200ms).code() == Errc::request_timeout);
  CHECK(kids(a, path).empty());  // the failed enter took its node away

  blocking::DoubleBarrier ma(a, path, 2), mb(b, path, 2);
  CHECK(ma.node_path() != mb.node_path());
  auto member = [](blocking::DoubleBarrier& m) {
    return std::async(std::launch::async, [&m] {
      auto in = m.enter(scaled(20s));
      if (!in) return in;
      return m.leave(scaled(20s));
    });
  };
  auto ra = member(ma);
  auto rb = member(mb);
  REQUIRE(ra.wait_for(scaled(40s)) == std::future_status::ready);
  REQUIRE(rb.wait_for(scaled(40s)) == std::future_status::ready);
  auto da = ra.get(), db = rb.get();
  CHECK_MESSAGE(da.ok(), da.error().message());
  CHECK_MESSAGE(db.ok(), db.error().message());
  CHECK(kids(a, path).empty());  // every member left, and `ready` is gone
}

TEST_CASE("closing the Client while a blocking call waits: the call returns closing, and nothing hangs") {
  std::string path = unique_path("blocking-close");
  Client watcher = open_client();
  auto waiter = std::make_unique<Client>(open_client());
  auto barrier = std::make_unique<blocking::DoubleBarrier>(*waiter, path, 2);
  // Faces with background work, destroyed after the close below.
  auto lock = std::make_unique<blocking::Mutex>(*waiter, path + "-lock");
  auto tree = std::make_unique<blocking::TreeCache>(*waiter, path + "-tree");
  auto cache = std::make_unique<blocking::ServiceCache>(*waiter, path + "-services", "svc");
  REQUIRE(tree->start().ok());
  REQUIRE(cache->start().ok());
  auto held = lock->acquire(scaled(10s));
  REQUIRE_MESSAGE(held.ok(), held.error().message());
  auto entered = std::async(std::launch::async, [&] { return barrier->enter(); });  // no timeout
  REQUIRE(await_children(watcher, path, 1));  // it waits inside enter()
  CHECK(entered.wait_for(0ms) == std::future_status::timeout);
  waiter->close();
  REQUIRE(entered.wait_for(scaled(20s)) == std::future_status::ready);
  CHECK(entered.get().code() == Errc::closing);
  CHECK(barrier->enter(100ms).code() == Errc::closing);
  CHECK(lock->acquire(100ms).code() == Errc::closing);
  CHECK(tree->children(path).code() == Errc::closing);
  CHECK(held->release().code() == Errc::closing);
  // Destroyed after the close: no hang, no crash.
  lock.reset();
  tree.reset();
  cache.reset();
  barrier.reset();
  waiter.reset();
  // The closed session's ephemeral member node went with it.
  CHECK(kids(watcher, path).empty());
}

TEST_CASE("blocking TreeCache: reads, children and ordered events from another client, on the client's thread") {
  std::string root = unique_path("blocking-tree");
  Client writer = open_client();
  Client reader = open_client();
  REQUIRE(writer.create(root, "top").ok());
  REQUIRE(writer.create(root + "/a", "1").ok());

  Inbox<CacheEvent> events;
  Errc inner = Errc::ok;
  blocking::TreeCache tree(reader, root);
  blocking::TreeCache* self = &tree;
  REQUIRE(tree.add_listener([&](const CacheEvent& e) {
                if (e.type == CacheEvent::Type::added) inner = self->children(root).code();  // the client's thread
                events.put(e);
              })
              .ok());
  CHECK(!tree.live());
  REQUIRE(tree.start().ok());
  CHECK(tree.live());
  auto first = events.items();
  REQUIRE(first.size() == 1);
  CHECK(first[0].type == CacheEvent::Type::initialized);
  auto a = tree.find(root + "/a");
  REQUIRE(a.ok());
  REQUIRE(a->has_value());
  CHECK((*a)->data == "1");
  CHECK(tree.find(root + "/none").value() == std::nullopt);
  CHECK(tree.children(root).value() == std::vector<std::string>{"a"});

  // One change at a time: changes in quick succession may reach the listener as one.
  REQUIRE(writer.create(root + "/b", "2").ok());
  REQUIRE(events.wait_for([](auto& l) { return l.size() >= 2; }));
  REQUIRE(writer.set(root + "/a", "3").ok());
  REQUIRE(events.wait_for([](auto& l) { return l.size() >= 3; }));
  REQUIRE(writer.remove(root + "/b").ok());
  REQUIRE(events.wait_for([](auto& l) { return l.size() >= 4; }));
  auto seen = events.items();
  CHECK(seen[1].type == CacheEvent::Type::added);
  CHECK(seen[1].path == root + "/b");
  CHECK(seen[2].type == CacheEvent::Type::updated);
  CHECK(seen[2].data == "3");
  CHECK(seen[3].type == CacheEvent::Type::removed);
  CHECK(inner == Errc::bad_arguments);
  CHECK(!events.any_on(std::this_thread::get_id()));
  auto all = tree.nodes();
  REQUIRE(all.ok());
  CHECK(all->size() == 2);
  CHECK(all->at(root + "/a").data == "3");

  REQUIRE(tree.close().ok());
  REQUIRE(writer.set(root + "/a", "4").ok());
  REQUIRE(reader.sync(root).ok());  // a notification would have reached the reader by now
  CHECK(tree.find(root + "/a").value()->data == "3");  // closed: the contents stay, unchanged
}

}  // namespace
}  // namespace zkit::recipes::test
