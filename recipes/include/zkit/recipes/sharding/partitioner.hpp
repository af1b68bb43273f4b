// zkit::recipes::Partitioner: shards 0..N-1 spread over the live members of a group, each
// shard owned by at most one member at any time, rebalanced as members come and go.
//
//   zkit::recipes::Partitioner shards(session, "/storage/partitions", "node-7", 64);
//   shards.on_acquired([&](int shard) { open_shard(shard); });    // now ours
//   shards.on_released([&](int shard) { close_shard(shard); });   // stop using it: handed over
//   if (auto r = co_await shards.start(); !r) return r.error();
//   ...
//   co_await shards.close();   // hands every shard over, then leaves the group
//
// Nodes under `path` (each created persistent when missing):
//   <path>/members/<member id>   ephemeral, one per live member (data: options.member_data);
//   <path>/owners/<shard>        ephemeral, the shard's current owner (data: its member id).
// Assignment: the member ids are sorted (byte order), and shard i goes to member
// i mod M (Assignment::modulo: even, but a change of membership moves most shards), or to the
// member with the highest rendezvous weight (Assignment::rendezvous: only the shards of a member
// that left, or a share of each member's shards for one that joined, move):
//   weight(member, shard) = mix(fnv1a64(member id) ^ mix(shard + 1)), ties to the smaller id,
//   where fnv1a64 is 64-bit FNV-1a and mix is SplitMix64's finaliser (see partitioner.cpp).
// Any process (in any language) that sees the same members computes the same assignment.
//
// Exclusive ownership: a member uses a shard only while it holds the shard's owner node. It
// creates the node only when the node is free (the create fails while another member holds
// it, and it tries again when the node is deleted), and it gives a shard away by calling
// on_released first and deleting the node after. So the previous owner has stopped using a
// shard before the next one's create can succeed: no shard has two owners at once, as long as
// the servers expire a session no sooner than its timeout after last hearing from it. ZooKeeper
// can expire one sooner (seen right after a leader change, docs/proofs.md): then the old
// owner hears of it a little after the new owner began. So each ownership carries a fencing
// token (token(shard): the owner node's czxid, higher for every new owner), and storage that
// checks it refuses a write from an owner that lost the shard without knowing it yet.
// Connection loss (zkit/recipes/ownership.hpp): with SuspendPolicy::give_up (the default),
// `suspended` releases every shard locally at once (on_released; the nodes stay, as they
// still belong to the session), since the session may expire and the nodes pass to others
// while this member cannot hear about it. When the session resumes, the shards whose nodes
// are still ours are acquired again. With keep_until_expired the shards stay acquired until
// the session expires. When the session ends, every shard is released (on_released) and the
// partitioner waits for rebind().
//
// Use on the loop thread of the session; the session must outlive the object (or rebind()).
// The partitioner sets a persistent recursive watch on `path`: do not put a plain persistent
// watch on `path` itself in the same session.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "zkit/recipes/fencing.hpp"
#include "zkit/recipes/ownership.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes {

namespace detail {
struct PartitionState;
}

enum class Assignment {
  modulo,      // sorted members, shard i -> member i mod M
  rendezvous,  // highest random weight (see above)
};

// The member that owns `shard` under `rule`, given every live member id (in any order);
// "" when there is none.
std::string assign_shard(int shard, std::span<const std::string> members, Assignment rule);

// PartitionerOptions: how shards are assigned, and how a lost connection is treated.
struct PartitionerOptions {
  Assignment assignment = Assignment::modulo;  // the rule that maps shards to members
  SuspendPolicy policy = SuspendPolicy::give_up;  // what a lost connection does to owned shards (zkit/recipes/ownership.hpp)
  std::string member_data{};  // stored in our member node
};

class Partitioner {
 public:
  // Told a shard number.
  using ShardListener = Function<void(int shard)>;

  // Member `member_id` (a node name, unique in the group) of the group at `path`, which has
  // `shards` shards.
  Partitioner(Session& session, std::string path, std::string member_id, int shards,
              PartitionerOptions options = {});
  Partitioner(Partitioner&&) noexcept;
  Partitioner& operator=(Partitioner&&) noexcept;
  Partitioner(const Partitioner&) = delete;
  Partitioner& operator=(const Partitioner&) = delete;
  // Not closed yet: closes in the background (without calling the listeners).
  ~Partitioner();

  // Told when a shard becomes ours (we hold its owner node) and when it stops being ours
  // (before its node is deleted, or when the connection or session is lost). Set them before
  // start(). Each runs on the loop thread and must not block; by the time on_released
  // returns the shard must no longer be used.
  void on_acquired(ShardListener listener);
  // Told when a shard stops being ours; see on_acquired.
  void on_released(ShardListener listener);

  // Joins the group (creates the member node and the watch) and completes; shards follow in
  // the background. Errors: bad_arguments (a bad path or member id, shards < 1, started
  // twice), node_exists (another live session uses this member id), the session's errors.
  Task<Result<void>> start();
  // Releases every shard (on_released, then deletes its node), leaves the group (deletes the
  // member node) and completes. Idempotent.
  Task<void> close();
  // Continues on another session (after the old one ended): joins again there.
  Task<Result<void>> rebind(Session& session);

  // The shards this member owns now, sorted.
  std::vector<int> owned() const;
  // Whether this member owns `shard` now.
  bool owns(int shard) const;
  // The fencing token of an owned shard: the czxid of its owner node, which grows with every
  // new owner (see zkit/recipes/fencing.hpp); also inside on_released for the shard being
  // released (to flush with it); empty when the shard is not ours.
  FencingToken token(int shard) const;
  // The shards the current membership gives this member (owned, or waiting for the previous
  // owner to let go).
  std::vector<int> assigned() const;
  // The members as last read, sorted.
  const std::vector<std::string>& members() const noexcept;
  // Whether every assigned shard is owned and nothing else is.
  bool balanced() const;
  // This member's id.
  const std::string& member_id() const noexcept;
  // The number of shards.
  int shard_count() const noexcept;

  // Names a listener, for remove_state_listener.
  using ListenerId = std::uint64_t;
  // Tells `listener` of suspended / reconnected / lost (zkit/recipes/ownership.hpp); what they
  // do to the shards is said above.
  ListenerId add_state_listener(RecipeStateListener listener);
  // Removes a listener that add_state_listener returned.
  void remove_state_listener(ListenerId id);

 private:
  std::shared_ptr<detail::PartitionState> state_;
};

}  // namespace zkit::recipes
