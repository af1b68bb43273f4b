// zkit::recipes::blocking::LeaderLatch: the LeaderLatch recipe for thread-based code, over a
// zkit::Client (the coroutine LeaderLatch of zkit/recipes/election/leader_latch.hpp, run on
// the client's thread: same nodes, tokens and events).
//
//   zkit::recipes::blocking::LeaderLatch latch(*client, "/election/ledger", "node-7");
//   latch.add_listener([](zkit::recipes::OwnershipEvent e) { ... });  // on the client's thread
//   if (auto r = latch.start(); !r) return fail(r.error());
//   auto term = latch.await_leadership(std::chrono::seconds(30));
//   if (term) serve_as_leader(*term);                 // the term's fencing token
//   ... latch.has_leadership() polls.
//
// Thread-safe; each call blocks until the client's thread has done it, and fails with
// bad_arguments when made on that thread. The Client must outlive the latch.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "zkit/client.hpp"
#include "zkit/recipes/election/leader_latch.hpp"
#include "zkit/recipes/election/participants.hpp"
#include "zkit/recipes/fencing.hpp"
#include "zkit/recipes/ownership.hpp"

namespace zkit::recipes::blocking {

class LeaderLatch {
 public:
  // A participant `id` in the election at `path`, as recipes::LeaderLatch(session, ...).
  LeaderLatch(Client& client, std::string path, std::string id, LeaderLatchOptions options = {});
  LeaderLatch(const LeaderLatch&) = delete;
  LeaderLatch& operator=(const LeaderLatch&) = delete;
  // Closes the latch on the client's thread (leaves the election) and waits for it.
  ~LeaderLatch();

  // Joins the election; it runs on the client's thread from now on, and node_path() and
  // participants() show us when this returns. Errors: as
  // recipes::LeaderLatch::start(), closing (the client is closed).
  Result<void> start();
  // Waits for a term, up to `timeout` or as long as it takes; its fencing token. Errors: as
  // recipes::LeaderLatch::await_leadership() (request_timeout when the time ran out).
  Result<FencingToken> await_leadership(std::chrono::milliseconds timeout);
  Result<FencingToken> await_leadership();
  // Leaves the election (no leadership loss is reported for it). Idempotent.
  Result<void> close();

  // Polls: whether this participant leads now, and the token of the current term.
  bool has_leadership();
  // The current term's token; empty when not leading.
  FencingToken token();
  // Our node while in the election, else "".
  std::string node_path();
  // Everyone in the election, in order (the first leads). Errors: as the recipe's.
  Result<std::vector<Participant>> participants();

  // Tells `listener`, on the client's thread, of acquired / suspended / reconnected / lost (not
  // for close(): leaving is not a loss): what it captures must outlive the latch.
  // Errors: closing (the client is closed).
  Result<std::uint64_t> add_listener(OwnershipListener listener);

  // The coroutine LeaderLatch underneath: use it only on the client's thread (Client::run).
  recipes::LeaderLatch& recipe() noexcept { return *latch_; }

 private:
  Client* client_;
  std::unique_ptr<recipes::LeaderLatch> latch_;  // created, used and destroyed on the client's thread
};

}  // namespace zkit::recipes::blocking
