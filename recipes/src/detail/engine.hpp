// The lock engine's driver (see zkit/recipes/locks/lock_engine.hpp for the algorithm), shared by
// every lock-like recipe, and small helpers around protected creates.
#pragma once

#include <memory>
#include <string>

#include "detail/handles.hpp"
#include "detail/paths.hpp"
#include "detail/removal.hpp"
#include "detail/wake.hpp"
#include "zkit/recipes/fencing.hpp"
#include "zkit/recipes/locks/lock_engine.hpp"
#include "zkit/recipes/protected_create.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes::detail {

// Engine: one lock's place and rule, shared by its acquisitions.
struct Engine {
  SessionHandles handles;  // what `session` points to (see detail/handles.hpp)
  Session* session = nullptr;
  LockSpec spec;
  LockRule rule;
};

// Grant: our node and its fencing token, once the rule says it holds.
struct Grant {
  std::string path;
  FencingToken token;
};

// Creates our node (protected, ephemeral-sequential) and waits until the rule grants it. Ends
// early when `w` is stopped (closing) or times out (request_timeout: a zero timeout tries
// once), or on an error the session will not recover from; in each of those cases our node
// is deleted (in the background). Requests that fail with connection_loss are sent again (the
// session holds them until it reconnects). The owner of `w` should wake it on session state
// changes, so a timeout that passes while disconnected is noticed.
Task<Result<Grant>> acquire_node(std::shared_ptr<Engine> engine, std::shared_ptr<Wake> w);

// protected_create raced against `w`: returns w's error as soon as it is stopped (or timed
// out while disconnected). The create itself runs on; if it lands after that, its node is
// deleted.
Task<Result<Created>> create_raced(Session* s, std::string path, std::string data,
                                   ProtectedCreateOptions options, std::shared_ptr<Wake> w);


}  // namespace zkit::recipes::detail
