// zkit::recipes::LeaderSelector: run a function as leader, one participant at a time;
// leadership lasts as long as the function runs (Curator's LeaderSelector, same znodes).
//
//   zkit::recipes::LeaderSelector selector(session, "/election/scheduler", "node-7",
//       [&](zkit::recipes::LeaderTerm& term) -> zkit::Task<void> {
//         while (term.valid()) {
//           co_await schedule_jobs(term.token());         // fence writes with the token
//           if (co_await term.wait_lost(std::chrono::seconds(1))) break;
//         }
//       },                                                 // returning gives leadership up
//       {.requeue = true});                                // then queue up again
//   if (auto started = co_await selector.start(); !started) co_return started.error();
//   ...
//   co_await selector.close();
//
// Nodes: a Mutex on <path>: `<path>/_c_<uuid>-lock-<seq>` holding the participant id as data.
// The lock's holder runs the function; when it returns, the node is deleted and the next in
// line takes over.
//
// A coroutine cannot be interrupted: when leadership is lost (see zkit/recipes/ownership.hpp:
// with the default policy, as soon as the connection drops) the term becomes invalid,
// LeaderTerm::wait_lost() returns and listeners are told `lost`. The function must then
// stop acting as leader and return. close() waits for it to return.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "zkit/recipes/fencing.hpp"
#include "zkit/recipes/ownership.hpp"
#include "zkit/recipes/election/participants.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes {

namespace detail {
struct SelectorState;
struct TermState;
}  // namespace detail

// LeaderTerm: one leadership term, handed to the leader function.
class LeaderTerm {
 public:
  // A term over its shared state (the selector makes them).
  explicit LeaderTerm(std::shared_ptr<detail::TermState> s) : state_(std::move(s)) {}

  // The term's fencing token (the czxid of our lock node).
  FencingToken token() const noexcept;
  // True until leadership is lost or the selector closes.
  bool valid() const noexcept;
  // Waits until the term ends (lost or closing); returns at once if it has.
  Task<void> wait_lost();
  // Waits up to `timeout`: true when the term ended, false when the time passed with the term
  // still valid. (A sleep that a lost leadership cuts short.)
  Task<bool> wait_lost(std::chrono::milliseconds timeout);

 private:
  std::shared_ptr<detail::TermState> state_;
};

// The leader function: runs while this participant leads; returning ends the term.
using LeaderFunction = Function<Task<void>(LeaderTerm&)>;

// LeaderSelectorOptions: requeueing, and how a lost connection is treated.
struct LeaderSelectorOptions {
  // Queue up again each time the function returns (Curator's autoRequeue).
  bool requeue = false;
  SuspendPolicy policy = SuspendPolicy::give_up;  // what a lost connection does to a term (zkit/recipes/ownership.hpp)
};

class LeaderSelector {
 public:
  // A participant `id` in the election at `path`; `leader` runs for each term this participant leads.
  LeaderSelector(Session& session, std::string path, std::string id,
                 LeaderFunction leader, LeaderSelectorOptions options = {});

  LeaderSelector(LeaderSelector&&) noexcept;
  LeaderSelector& operator=(LeaderSelector&&) noexcept;
  LeaderSelector(const LeaderSelector&) = delete;
  LeaderSelector& operator=(const LeaderSelector&) = delete;
  // Not closed yet: closes in the background (a running leader function is told the term
  // ended; the node is deleted when it returns).
  ~LeaderSelector();

  // Queues up for leadership (once): from this call on, in the background; the task completes
  // at once. Errors: bad_arguments (started before, or closed).
  Task<Result<void>> start();
  // Queues up again after the function returned (when `requeue` is off). Returns false when
  // already queued or leading, or closed.
  bool requeue();
  // Leaves: stops waiting, ends a running term (wait_lost() returns; listeners are not told
  // `lost`: leaving is not a loss), waits for the function to return, then deletes our node.
  // Idempotent.
  Task<void> close();

  // Whether the leader function runs now with a valid term.
  bool has_leadership() const noexcept;
  // The current term's token; empty when not leading.
  FencingToken token() const noexcept;
  // Terms this selector has led so far.
  int terms() const noexcept;
  // The participant id.
  const std::string& id() const noexcept;
  // The election's path.
  const std::string& path() const noexcept;

  // Names a listener, for remove_listener / remove_state_listener.
  using ListenerId = std::uint64_t;
  // Tells `listener` of acquired / suspended / reconnected / lost for each term.
  ListenerId add_listener(OwnershipListener listener);
  // Removes a listener that add_listener returned.
  void remove_listener(ListenerId id);
  // Tells `listener` of the session's suspended / reconnected / lost, leading or not
  // (zkit/recipes/ownership.hpp).
  ListenerId add_state_listener(RecipeStateListener listener);
  // Removes a listener that add_state_listener returned.
  void remove_state_listener(ListenerId id);

  // Every participant in order; the first leads (asks the server).
  Task<Result<std::vector<Participant>>> participants();
  // The participant that leads now, nullopt when none does (asks the server).
  Task<Result<std::optional<Participant>>> leader();

 private:
  std::shared_ptr<detail::SelectorState> state_;
};

}  // namespace zkit::recipes
