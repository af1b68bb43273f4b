// What the fault cases observe a session with: a Ledger of every request and its completions,
// a steady Load of requests, one-shot watch probes, a log of state transitions, and a Victim
// that bundles them around one session connected through the proxies.
//
// Everything a zkit callback touches is held by shared_ptr inside these types, so a callback
// that runs late (a session closed by its destructor while a failed check unwinds the test)
// never reaches freed memory.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "support.hpp"

namespace zkit::faults {

// Ledger: numbers requests as they are submitted and records every completion, so a case can
// prove that each callback ran exactly once and that replies came back in request order.
// Copies share one record.
class Ledger {
 public:
  // The callback for the next request of the session. `then(result)` runs after recording.
  template <class T, class Then = std::nullptr_t>
  Callback<T> slot(Then then = nullptr) {
    std::size_t i = st_->calls.size();
    st_->calls.push_back(0);
    st_->codes.push_back(Errc::ok);
    return [st = st_, i, then = std::move(then)](Result<T> r) mutable {
      ++st->calls[i];
      st->codes[i] = r.code();
      st->order.push_back(i);
      if constexpr (!std::is_same_v<Then, std::nullptr_t>) then(r);
    };
  }

  std::size_t submitted() const noexcept { return st_->calls.size(); }
  // Requests not answered yet.
  std::size_t outstanding() const noexcept;
  Errc code(std::size_t request) const { return st_->codes.at(request); }
  std::size_t count(Errc e) const noexcept;
  // "" when every request was answered exactly once, else which were not.
  std::string once_problems() const;
  // "" when completions came in submission order, else where they did not.
  std::string order_problems() const;
  // "<n> requests: ok 120, connection_loss 3"
  std::string summary() const;

 private:
  struct State {
    std::vector<int> calls;
    std::vector<Errc> codes;
    std::vector<std::size_t> order;  // request numbers, in completion order
  };
  std::shared_ptr<State> st_ = std::make_shared<State>();
};

// Load: a bounded pipeline of requests on a session's own node (sets and gets in turn), kept
// `depth` deep: each completion submits the next one, until stop() or the session ends.
class Load {
 public:
  Load(Session& session, Ledger ledger, std::string path, std::size_t depth = 4);
  ~Load();
  Load(const Load&) = delete;
  Load& operator=(const Load&) = delete;
  void start();
  void stop();
  std::size_t in_flight() const noexcept { return st_->in_flight; }

 private:
  struct State {
    Session* session;
    Ledger ledger;
    std::string path;
    std::size_t depth;
    std::size_t in_flight = 0;
    std::size_t sent = 0;
    bool running = false;
  };
  static void fill(const std::shared_ptr<State>& st);
  std::shared_ptr<State> st_;
};

// WatchProbe: a one-shot watcher that records every call it gets.
class WatchProbe {
 public:
  Watcher watcher();
  const std::vector<WatchEvent>& events() const noexcept { return *events_; }
  std::size_t fired() const noexcept { return events_->size(); }

 private:
  std::shared_ptr<std::vector<WatchEvent>> events_ = std::make_shared<std::vector<WatchEvent>>();
};

// StateLog: the transitions a listener was told of, in order.
class StateLog {
 public:
  StateListener listener();
  const std::vector<SessionState>& seen() const noexcept { return *seen_; }
  std::size_t count(SessionState s) const noexcept;
  SessionState last() const noexcept { return seen_->empty() ? SessionState::connected : seen_->back(); }
  // "suspended reconnected closed"
  std::string describe() const;

 private:
  std::shared_ptr<std::vector<SessionState>> seen_ = std::make_shared<std::vector<SessionState>>();
};

// "" when `seen` (what a listener added once the session was connected was told) is a path
// through zkit's state machine, else the first transition it has no business making.
std::string state_path_problems(const std::vector<SessionState>& seen);

// Closes `session` and runs `loop` until close() has completed.
void close_and_wait(Loop& loop, Session& session);

// Runs `action` (on the loop thread) the first time `session` enters `state`.
void on_first(Session& session, SessionState state, std::function<void()> action);

// Changes: what make_changes did.
struct Changes {
  bool done = false;
  std::vector<std::string> failures;  // changes that failed for good, with the reason
};

// Makes the changes a Victim's watches wait for, from `writer`: sets <root>/w, creates
// <root>/w/c and creates <root>/new, all three submitted at once. One that fails with
// connection_loss (the writer hit by the same fault) is made again: a repeat fires nothing
// more, since the watches are one-shot.
void make_changes(Session& writer, std::string root, std::shared_ptr<Changes> out);

// Victim: the session a case puts through a fault, with its own nodes (<root>, the ephemeral
// <root>/eph, <root>/load, <root>/w), a Load, three one-shot watches (data and child on
// <root>/w, exists on the missing <root>/new) and a StateLog added once it was connected.
// Keep it in one place: the load and the listener hold its Session's address.
class Victim {
 public:
  Victim(Loop& loop, Options options, std::string_view name);
  Victim(const Victim&) = delete;
  Victim& operator=(const Victim&) = delete;

  Session& session() noexcept { return session_; }
  std::int64_t id() const noexcept { return id_; }
  const std::string& root() const noexcept { return root_; }
  const StateLog& states() const noexcept { return states_; }
  Ledger& ledger() noexcept { return ledger_; }
  // The member behind the proxy the session is connected to (0 while disconnected).
  int member() const;

  // Creates the nodes and sets the watches.
  void prepare();
  // Starts the load, or resumes it after pause_load().
  void start_load();
  // Starts the load and runs the loop until it has sent a few requests, so that the fault
  // lands on a busy session.
  void warm_up();
  // Stops the load and runs the loop until every request of the ledger has been answered.
  void pause_load();
  void finish_load() { pause_load(); }

  bool watches_fired() const noexcept { return data_.fired() > 0 && child_.fired() > 0 && created_.fired() > 0; }
  // Calls its three watches got, all together.
  std::size_t watch_calls() const noexcept { return data_.fired() + child_.fired() + created_.fired(); }
  // Sends a sync and checks that every watch had fired by the time it completed: a watch
  // event comes before the reply to any request sent after the change (call it once the
  // changes are made).
  void check_watches_fired_before_sync();
  // Each watch fired exactly once, for the change make_changes made.
  void check_watches_saw_changes() const;
  // Each watch fired exactly once, with EventType::none and SessionState::expired.
  void check_watches_expired() const;
  // The session resumed: connected again with the same id, and its ephemeral still its own.
  void check_resumed();
  // Each request answered exactly once, in request order.
  void check_ledger() const;
  // The states seen so far form a valid path.
  void check_state_path() const;

  // Closes the session and waits for close() to complete.
  void close();
  // Finishes the load, closes the session and checks what holds whatever the fault was: each
  // request answered once (a), in request order (c), and a valid state path (e).
  void close_and_check();

 private:
  Loop& loop_;
  Session session_;
  std::int64_t id_;
  std::string root_;
  StateLog states_;
  Ledger ledger_;
  WatchProbe data_, child_, created_;
  std::unique_ptr<Load> load_;  // after the ledger it writes to
};

}  // namespace zkit::faults
