// The lock engine: the one algorithm behind Mutex, ReadWriteLock, Semaphore's inner lock and
// LeaderSelector (Curator's LockInternals + LockInternalsDriver).
//
// LeaderLatch uses the same znode layout and the same steps (create, list, sort, watch the
// predecessor) but not this engine: the engine ends an acquisition with a grant or deletes its
// node, while a latch keeps its node for as long as it is in the election, across connection
// losses and terms (it leads again with the same node, and the same token, once the session
// resumes), like Curator's LeaderLatch. So it runs its own loop (election/leader_latch.cpp).
//
// A contender
//   1. creates an EPHEMERAL_SEQUENTIAL node `<path>/_c_<uuid>-<marker><10-digit sequence>` with
//      a protected create (missing parents become containers);
//   2. lists the children of <path> and sorts them by sequence number: the text after the
//      last occurrence of a marker in the name (Curator's fixForSorting);
//   3. asks its rule whether its node holds the lock. If not, the rule names the ONE child to
//      watch; the engine sets a data watch on it (get) and waits. When that node changes or
//      goes (or was already gone: no_node), it goes back to 2.
// Only the node that matters is watched, so a release wakes one waiter, not the whole herd.
// Recipes differ only in the rule:
//
//   rule                       holds when                               watches
//   exclusive_rule(1)          it is first                              the node just before it
//   exclusive_rule(n)          it is among the first n                  the node n places before it
//   shared_rule("__WRIT__")    no node with that marker is before it    the nearest such node before it
//
// A rule of your own: a Function that gets the sorted child names and the index of ours.
//
//   zkit::recipes::LockSpec spec{.path = "/locks/printer"};       // marker "lock-"
//   zkit::recipes::Mutex m(session, spec, zkit::recipes::exclusive_rule(2));  // 2 at a time
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "zkit/function.hpp"
#include "zkit/recipes/fencing.hpp"

namespace zkit::recipes {

// LockDecision: a rule's verdict for our node.
struct LockDecision {
  bool holds = false;  // whether our node holds the lock
  std::string watch;  // when !holds: the child name (not path) to wait on
};

// LockRule: decides from the children sorted by sequence (names, not paths) and the index of
// our node among them. Called on the loop thread; must not block.
using LockRule = Function<LockDecision(const std::vector<std::string>& sorted, std::size_t ours)>;

// Holds when our index < max_leases; else watches the node max_leases places before ours
// (Curator's StandardLockInternalsDriver.getsTheLock). max_leases < 1 counts as 1.
LockRule exclusive_rule(int max_leases = 1);
// Holds when no child whose name contains `writer_marker` sorts before ours; else watches the
// nearest such child before ours (a reader of InterProcessReadWriteLock).
LockRule shared_rule(std::string writer_marker);

// The sort key of a child: the text after the last occurrence of `marker`, or the whole name
// when the marker does not occur (Curator's StandardLockInternalsDriver.fixForSorting).
std::string_view sequence_of(std::string_view child, std::string_view marker) noexcept;
// Sorts child names by sequence, applying each marker in turn (Curator's
// SortingLockInternalsDriver); ties (names without a marker) fall back to the whole name.
void sort_children(std::vector<std::string>& children, const std::vector<std::string>& markers);

// LockLayout: how contenders name their nodes, and so whom a lock excludes. Processes exclude
// each other only when they use the same layout on the same path.
enum class LockLayout {
  // Curator's and zkit's: `_c_<uuid>-<marker><seq>`, protected creates, container parents.
  curator,
  // kazoo's (kazoo.recipe.lock.Lock): `<uuid-hex><marker><seq>` with marker "__lock__", where
  // the uuid is 32 hex digits without dashes; persistent parents (kazoo's ensure_path); only
  // children ending in a sort marker and a 10-digit sequence are contenders, the others are
  // ignored (kazoo's contender pattern).
  kazoo,
};

// LockSpec: where a lock lives and how its nodes are named.
struct LockSpec {
  std::string path;                        // the lock's node; contenders are its children
  std::string marker = "lock-";            // our node is "_c_<uuid>-" + marker + sequence
  std::vector<std::string> sort_markers{}; // markers to sort by; empty: {marker}
  std::string data{};                      // our node's data (a participant id, say)
  // Before granting, check that our node's ephemeralOwner is this session (LeaderLatch does).
  bool verify_owner = false;
  LockLayout layout = LockLayout::curator;  // node names: Curator's (default) or kazoo's
};

// Whether `child` is a contender in the kazoo layout: it ends in one of `markers` followed by
// a 10-digit sequence (kazoo's `(?:__lock__|...)(-?\d{10})$`).
bool is_kazoo_contender(std::string_view child, const std::vector<std::string>& markers) noexcept;

}  // namespace zkit::recipes
