// zkit/recipes.hpp: every zkit recipe in one include, for programs that use several of them.
// Each family has its own folder under zkit/recipes/ (include just the header you need to keep
// builds lean):
//
//   #include "zkit/recipes.hpp"
//   zkit::recipes::Mutex lock(session, "/locks/ledger");
//   zkit::recipes::LeaderLatch latch(session, "/election/indexer", "node-7");
//
// Long-lived recipes (elections, caches, kept nodes, counters, the partitioner) share one
// lifecycle: `co_await x.start()` once (Task<Result<void>>), `co_await x.close()` always
// (Task<void>), and add_state_listener() for suspended / reconnected / lost (RecipeState, in
// zkit/recipes/ownership.hpp).
#pragma once

// Shared pieces
#include "zkit/recipes/cancel.hpp"
#include "zkit/recipes/fencing.hpp"
#include "zkit/recipes/ownership.hpp"
#include "zkit/recipes/protected_create.hpp"

// Locks
#include "zkit/recipes/locks/lock_engine.hpp"
#include "zkit/recipes/locks/multi_lock.hpp"
#include "zkit/recipes/locks/mutex.hpp"
#include "zkit/recipes/locks/read_write_lock.hpp"
#include "zkit/recipes/locks/semaphore.hpp"

// Leader election
#include "zkit/recipes/election/leader_latch.hpp"
#include "zkit/recipes/election/leader_selector.hpp"
#include "zkit/recipes/election/participants.hpp"

// Barriers
#include "zkit/recipes/barriers/barrier.hpp"
#include "zkit/recipes/barriers/double_barrier.hpp"

// Caches
#include "zkit/recipes/caches/node_cache.hpp"
#include "zkit/recipes/caches/tree_cache.hpp"

// Nodes kept in place, and service discovery built on them
#include "zkit/recipes/discovery/service_registry.hpp"
#include "zkit/recipes/nodes/persistent_node.hpp"

// Shared values
#include "zkit/recipes/values/atomic_long.hpp"
#include "zkit/recipes/values/shared_counter.hpp"

// Sharding
#include "zkit/recipes/sharding/partitioner.hpp"
