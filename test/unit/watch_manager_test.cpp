// watch::Manager without a server: what each read asks of the server, when a server watch may
// go, how events are dispatched, and how re-registration is split into packets.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "proto/jute.hpp"
#include "proto/opcodes.hpp"
#include "watch/manager.hpp"

using zkit::EventType;
using zkit::SessionState;
using zkit::WatcherKind;
using zkit::WatchEvent;
using zkit::WatchMode;
using zkit::watch::Kind;
using zkit::watch::Manager;

namespace {

// The session's side: records the removeWatches the manager asks for.
struct Dropper : zkit::watch::ServerWatchDropper {
  std::vector<std::string> dropped;
  void drop_server_watch(const std::string& p) override { dropped.push_back(p); }
};

struct Fixture : Dropper {
  zkit::proto::Chroot chroot;
  Manager m{chroot, *this};
  std::vector<WatchEvent> seen;
  zkit::Watcher recorder() {
    return [this](const WatchEvent& e) { seen.push_back(e); };
  }
  std::uint64_t persistent(const std::string& path, WatchMode mode) {
    m.begin_add(path, mode);
    m.end_add(path);
    return m.add_persistent(path, mode, recorder());
  }
};

// One SetWatches frame, decoded: its opcode and every list of paths.
struct Packet {
  zkit::proto::Op op;
  std::int64_t zxid = 0;
  std::vector<std::vector<std::string>> lists;
  std::size_t path_bytes = 0;
};

std::vector<Packet> split_packets(const std::string& out) {
  std::vector<Packet> packets;
  std::size_t at = 0;
  while (at < out.size()) {
    zkit::proto::Reader len(out.data() + at, 4);
    auto size = static_cast<std::size_t>(len.i32());
    zkit::proto::Reader r(out.data() + at + 4, size);
    at += 4 + size;
    Packet p;
    CHECK(r.i32() == zkit::proto::kSetWatchesXid);
    p.op = static_cast<zkit::proto::Op>(r.i32());
    p.zxid = r.i64();
    int lists = p.op == zkit::proto::Op::set_watches2 ? 5 : 3;
    for (int k = 0; k < lists; ++k) {
      auto& list = p.lists.emplace_back();
      for (std::int32_t n = r.count(4), i = 0; i < n; ++i) {
        list.emplace_back(r.bytes());
        p.path_bytes += list.back().size();
      }
    }
    CHECK(r.ok());
    CHECK(r.at_end());
    packets.push_back(std::move(p));
  }
  return packets;
}

}  // namespace

TEST_CASE("a read rides on a persistent watch instead of setting the server's flag") {
  Fixture f;
  CHECK(f.m.arm("/a", false).server_flag == false);  // no watcher: nothing to arm
  auto plain = f.m.arm("/a", true);
  CHECK(plain.server_flag);
  CHECK_FALSE(plain.rides);
  f.persistent("/a", WatchMode::persistent);
  auto riding = f.m.arm("/a", true);
  CHECK_FALSE(riding.server_flag);  // would downgrade the persistent watch on a 3.8 server
  CHECK(riding.rides);
  CHECK(f.m.arm("/b", true).server_flag);  // other paths are unaffected
}

TEST_CASE("an add_watch awaiting its reply already makes reads ride (ZOOKEEPER-4466)") {
  Fixture f;
  f.m.begin_add("/a", WatchMode::persistent_recursive);
  CHECK(f.m.arm("/a", true).rides);
  CHECK(f.m.persistent_mode("/a") == WatchMode::persistent_recursive);
  f.m.end_add("/a");
  CHECK_FALSE(f.m.persistent_mode("/a").has_value());
}

TEST_CASE("removing the only watch of a path drops the server watch at once") {
  Fixture f;
  auto id = f.persistent("/a", WatchMode::persistent);
  f.m.remove_persistent(id);
  CHECK(f.dropped == std::vector<std::string>{"/a"});
}

TEST_CASE("a server watch is kept while one-shot watchers use it, and dropped after the last fires") {
  Fixture f;
  auto id = f.persistent("/a", WatchMode::persistent);
  f.m.add(Kind::data, "/a", f.recorder());
  f.m.add(Kind::child, "/a", f.recorder());
  f.m.remove_persistent(id);
  CHECK(f.dropped.empty());
  f.m.on_event(EventType::node_data_changed, "/a");  // fires the data watcher only
  CHECK(f.dropped.empty());
  f.m.on_event(EventType::node_children_changed, "/a");
  CHECK(f.dropped == std::vector<std::string>{"/a"});
  CHECK(f.seen.size() == 2);
}

TEST_CASE("a server watch is kept while a riding read is outstanding") {
  Fixture f;
  auto id = f.persistent("/a", WatchMode::persistent);
  REQUIRE(f.m.arm("/a", true).rides);
  f.m.remove_persistent(id);
  CHECK(f.dropped.empty());
  f.m.read_done("/a");
  CHECK(f.dropped == std::vector<std::string>{"/a"});
}

TEST_CASE("a kept server watch is not dropped when a new persistent watch takes the path") {
  Fixture f;
  auto id = f.persistent("/a", WatchMode::persistent);
  f.m.add(Kind::data, "/a", f.recorder());
  f.m.remove_persistent(id);
  f.persistent("/a", WatchMode::persistent);
  f.m.on_event(EventType::node_data_changed, "/a");
  CHECK(f.dropped.empty());
}

TEST_CASE("events reach persistent watchers first, recursive ones on ancestors, then one-shot ones") {
  Fixture f;
  std::vector<std::string> order;
  f.m.add_persistent("/a", WatchMode::persistent_recursive, [&](const WatchEvent& e) { order.push_back("recursive " + e.path); });
  f.m.add(Kind::exist, "/a/b", [&](const WatchEvent& e) { order.push_back("one-shot " + e.path); });
  f.m.add(Kind::child, "/a", [&](const WatchEvent& e) {
    CHECK(e.type == EventType::node_children_changed);
    order.push_back("children of " + e.path);
  });
  f.m.on_event(EventType::node_created, "/a/b");
  // The recursive watch hides the server's children-changed event from the one-shot child
  // watch on /a: the manager makes it from the child's creation.
  CHECK(order == std::vector<std::string>{"recursive /a/b", "one-shot /a/b", "children of /a"});
  f.m.on_event(EventType::node_created, "/a/b");
  CHECK(order.size() == 4);  // one-shot watches fired once
}

TEST_CASE("event paths lose the chroot; registrations keep server paths") {
  Dropper session;
  zkit::proto::Chroot chroot("/app");
  Manager m(chroot, session);
  std::string seen;
  m.add(Kind::data, "/app/x", [&](const WatchEvent& e) { seen = e.path; });
  m.on_event(EventType::node_deleted, "/app/x");
  CHECK(seen == "/x");
}

TEST_CASE("remove_watches fires each removed watcher once with its removal event") {
  Fixture f;
  f.m.add(Kind::data, "/a", f.recorder());
  f.m.add(Kind::child, "/a", f.recorder());
  f.persistent("/a", WatchMode::persistent);
  CHECK(f.m.has("/a", WatcherKind::data));
  CHECK(f.m.removal_stays_local("/a", WatcherKind::data));  // would cut the persistent watch
  CHECK_FALSE(f.m.removal_stays_local("/a", WatcherKind::any));
  f.m.fire_removed("/a", WatcherKind::any);
  std::multiset<EventType> types;
  for (auto& e : f.seen) types.insert(e.type);
  CHECK(types == std::multiset<EventType>{EventType::data_watch_removed, EventType::child_watch_removed,
                                          EventType::persistent_watch_removed});
  CHECK_FALSE(f.m.has("/a", WatcherKind::any));
  CHECK(f.m.empty());
}

TEST_CASE("the end of the session runs every watch once with the final state") {
  Fixture f;
  f.m.add(Kind::data, "/a", f.recorder());
  f.persistent("/b", WatchMode::persistent);
  f.m.end(SessionState::expired);
  REQUIRE(f.seen.size() == 2);
  for (auto& e : f.seen) {
    CHECK(e.type == EventType::none);
    CHECK(e.state == SessionState::expired);
  }
  f.m.on_event(EventType::node_deleted, "/a");
  CHECK(f.seen.size() == 2);
}

TEST_CASE("re-registration: SetWatches without persistent watches, SetWatches2 with them") {
  Fixture f;
  std::string out;
  f.m.write_reregistration(out, 42);
  CHECK(out.empty());  // nothing watched: nothing sent
  f.m.add(Kind::data, "/d", f.recorder());
  f.m.add(Kind::exist, "/e", f.recorder());
  f.m.add(Kind::child, "/c", f.recorder());
  f.m.write_reregistration(out, 42);
  auto packets = split_packets(out);
  REQUIRE(packets.size() == 1);
  CHECK(packets[0].op == zkit::proto::Op::set_watches);
  CHECK(packets[0].zxid == 42);
  CHECK(packets[0].lists == std::vector<std::vector<std::string>>{{"/d"}, {"/e"}, {"/c"}});
  f.persistent("/p", WatchMode::persistent);
  f.persistent("/r", WatchMode::persistent_recursive);
  out.clear();
  f.m.write_reregistration(out, 43);
  packets = split_packets(out);
  REQUIRE(packets.size() == 1);
  CHECK(packets[0].op == zkit::proto::Op::set_watches2);
  CHECK(packets[0].lists[3] == std::vector<std::string>{"/p"});
  CHECK(packets[0].lists[4] == std::vector<std::string>{"/r"});
}

TEST_CASE("re-registration splits thousands of watches into packets under 128 KiB of paths") {
  Fixture f;
  std::set<std::string> expected;
  for (int i = 0; i < 3000; ++i) {
    std::string path = "/" + std::string(100, 'n') + "/" + std::to_string(i);
    f.m.add(i % 3 == 0 ? Kind::data : i % 3 == 1 ? Kind::exist : Kind::child, path, f.recorder());
    expected.insert(path);
  }
  std::string out;
  f.m.write_reregistration(out, 7);
  auto packets = split_packets(out);
  CHECK(packets.size() >= 3);  // about 320 KB of paths
  std::set<std::string> got;
  for (auto& p : packets) {
    // The limit may be passed by the one path that crosses it.
    CHECK(p.path_bytes <= zkit::watch::kSetWatchesPacketBytes + 200);
    for (auto& list : p.lists)
      for (auto& path : list) CHECK(got.insert(path).second);  // each path once
  }
  CHECK(got == expected);
}
