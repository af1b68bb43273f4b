// PartitionState: what a Partitioner is behind its handle, and the steps that run it: the
// group's nodes (membership.cpp), the balance loop (balance.cpp), start and close
// (partitioner.cpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "detail/handles.hpp"
#include "detail/paths.hpp"
#include "detail/states.hpp"
#include "detail/wake.hpp"
#include "zkit/recipes/sharding/partitioner.hpp"

namespace zkit::recipes::detail {

struct PartitionState : std::enable_shared_from_this<PartitionState> {
  SessionHandles handles;  // what `session` points to (see detail/handles.hpp)
  Session* session = nullptr;
  std::string path, members_dir, owners_dir, member_path, id;
  int shards = 0;
  PartitionerOptions options;
  Partitioner::ShardListener acquired_cb, released_cb;

  std::vector<std::string> members;  // sorted, as last read
  std::set<int> owned;               // in use: told acquired, not yet told released
  std::set<int> held;                // owner nodes of this session (owned or not)
  std::map<int, std::int64_t> czxid; // shard -> czxid of our owner node (its fencing token)
  int releasing = -1;                // the shard whose on_released runs now

  bool started = false;
  bool joined = false;  // our member node exists (made by this session)
  bool stopping = false;
  bool suspended = false;
  bool running = false;  // the balance loop runs
  std::uint64_t generation = 0;
  WatchHandle handle;
  std::shared_ptr<Wake> run;
  WaitSet idle;  // close() waiting for the balance loop to end
  StateFeed states;

  std::string owner_path(int shard) const { return child_path(owners_dir, std::to_string(shard)); }

  std::vector<int> want() const {
    std::vector<int> out;
    if (!std::binary_search(members.begin(), members.end(), id)) return out;
    for (int s = 0; s < shards; ++s)
      if (assign_shard(s, members, options.assignment) == id) out.push_back(s);
    return out;
  }

  void acquire(int shard, std::int64_t token) {
    czxid[shard] = token;
    if (!owned.insert(shard).second) return;
    if (acquired_cb) acquired_cb(shard);
  }
  void release(int shard) {
    if (!owned.erase(shard)) {
      czxid.erase(shard);
      return;
    }
    // The token stays readable while on_released runs: a service flushes its last writes
    // with it before letting the shard go.
    releasing = shard;
    if (released_cb) released_cb(shard);
    releasing = -1;
    if (!owned.count(shard)) czxid.erase(shard);
  }
  void release_all() {
    std::vector<int> now(owned.begin(), owned.end());
    for (int s : now) release(s);
  }

  void on_state(SessionState s) {
    states.on_session(s);
    switch (s) {
      case SessionState::suspended:
        suspended = true;
        if (options.policy == SuspendPolicy::give_up) release_all();
        break;
      case SessionState::connected:
      case SessionState::reconnected:
        suspended = false;
        break;
      case SessionState::expired:
      case SessionState::auth_failed:
      case SessionState::closed:
        release_all();
        held.clear();
        handle.detach();
        break;
      default:
        break;
    }
    if (run) run->wake();
  }

  Watcher watcher(std::uint64_t gen) {
    return [weak = weak_from_this(), gen](const WatchEvent& e) {
      auto st = weak.lock();
      if (!st || st->generation != gen) return;
      if (e.type == EventType::none) return st->on_state(e.state);
      bool member = e.path.starts_with(st->members_dir + "/");
      bool owner = e.path.starts_with(st->owners_dir + "/");
      bool wake = (member && (e.type == EventType::node_created || e.type == EventType::node_deleted)) ||
                  (owner && e.type == EventType::node_deleted) ||
                  (!member && !owner && e.type == EventType::node_deleted);
      if (wake && st->run) st->run->wake();
    };
  }
};

// Creates the group's nodes (`path`, `members`, `owners`) where they are missing.
Task<Result<void>> make_dirs(std::shared_ptr<PartitionState> st);
// Creates our member node. node_exists from another live session: that error.
Task<Result<void>> join_group(std::shared_ptr<PartitionState> st);
// The balance loop of generation `gen` (see balance.cpp).
Task<void> balance(std::shared_ptr<PartitionState> st, std::uint64_t gen);

}  // namespace zkit::recipes::detail
