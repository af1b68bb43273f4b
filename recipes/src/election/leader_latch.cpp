#include "zkit/recipes/election/leader_latch.hpp"

#include <algorithm>

#include "detail/handles.hpp"
#include "detail/engine.hpp"
#include "detail/lifetime.hpp"
#include "detail/listeners.hpp"
#include "detail/states.hpp"
#include "detail/wake.hpp"

namespace zkit::recipes {

namespace detail {

struct LatchState : std::enable_shared_from_this<LatchState> {
  SessionHandles handles;  // what `session` points to (see detail/handles.hpp)
  Session* session = nullptr;
  std::string path;
  std::string id;
  SuspendPolicy policy = SuspendPolicy::give_up;
  Session::ListenerId session_listener = 0;
  ListenerSet<OwnershipEvent> listeners;
  StateFeed states;
  WaitSet waiters;                            // await_leadership and close
  std::shared_ptr<Wake> run = std::make_shared<Wake>();  // the election loop

  bool started = false;
  bool closed = false;
  bool running = false;      // the election loop runs
  bool suspended = false;    // the connection is lost now
  std::optional<Error> out;  // why the latch cannot lead any more (session ended, refused)
  bool leader = false;
  FencingToken token;
  std::string node;  // our latch node, "" between attempts

  void set_leader(bool on, FencingToken t = {}) {
    if (on == leader) {
      if (on) token = t;
      return;
    }
    leader = on;
    token = on ? t : FencingToken{};
    // Leaving by close() is not a loss: the caller knows, and a listener acting on `lost`
    // (alerting, stepping down twice) must not take it for one.
    if (!closed) listeners.notify(on ? OwnershipEvent::acquired : OwnershipEvent::lost);
    waiters.wake_all();
  }

  void on_session(SessionState st) {
    states.on_session(st);
    switch (st) {
      case SessionState::suspended:
        suspended = true;
        if (leader) {
          listeners.notify(OwnershipEvent::suspended);
          if (leader && policy == SuspendPolicy::give_up) set_leader(false);
        }
        break;
      case SessionState::connected:
      case SessionState::reconnected:
        suspended = false;
        if (leader) listeners.notify(OwnershipEvent::reconnected);
        run->wake();  // look again: we may lead (again), or our node may be gone
        break;
      case SessionState::expired:
      case SessionState::auth_failed:
      case SessionState::closed:
        if (!out) {
          Errc code = st == SessionState::auth_failed ? Errc::auth_failed
                      : st == SessionState::closed    ? Errc::closing
                                                      : Errc::session_expired;
          out = Error(code, "the session of the leader latch " + path + " ended (" + std::string(to_string(st)) + ")");
        }
        set_leader(false);
        run->wake();
        waiters.wake_all();
        break;
      default:
        break;
    }
  }
};

namespace {

// The election loop (Curator's LeaderLatch reset / getChildren / checkLeadership).
Task<void> run_latch(std::shared_ptr<LatchState> st) {
  Session* s = st->session;
  auto w = st->run;
  ProtectedCreateOptions create_options;
  create_options.mode = CreateMode::ephemeral_sequential;
  const std::string base = child_path(st->path, "latch-");
  const std::vector<std::string> markers{"latch-"};
  st->running = true;

  // Ends the latch for a reason the session will not recover from.
  auto give_out = [&](const Error& e) {
    if (!st->out) st->out = e;
  };

  while (!st->closed && !st->out) {
    if (st->node.empty()) {
      auto created = co_await create_raced(s, base, st->id, create_options, w);
      if (!created) {
        if (st->closed) break;
        if (!session_alive(*s) || !retryable(created.code())) give_out(created.error());
        continue;
      }
      if (st->closed) {
        remove_in_background(s, created->path);
        break;
      }
      st->node = created->path;
      st->waiters.wake_all();  // start() waits for our first node
    }
    const std::string our_name = node_name(st->node);
    auto kids = make_slot<Children>();
    s->get_children(st->path, {}, w->fill(kids));
    while (!*kids && !w->stopped()) co_await w->next();
    if (!*kids) break;
    Result<Children>& listed = **kids;
    if (!listed) {
      if (listed.code() == Errc::no_node) {
        st->set_leader(false);
        st->node.clear();  // gone with its parent: join again
      } else if (!retryable(listed.code())) {
        give_out(listed.error());
      }
      continue;
    }
    std::vector<std::string> names = std::move(listed->names);
    sort_children(names, markers);
    auto at = std::find(names.begin(), names.end(), our_name);
    if (at == names.end()) {  // our node was deleted: join again at the back
      st->set_leader(false);
      st->node.clear();
      continue;
    }
    std::size_t index = static_cast<std::size_t>(at - names.begin());
    std::uint64_t since = w->epoch();
    // First: read our own node (and watch it) to confirm it is this session's before leading.
    // Not first: watch the node just before ours.
    std::string watched = index == 0 ? st->node : child_path(st->path, names[index - 1]);
    auto got = make_slot<Data>();
    s->get(watched, w->watcher(), w->fill(got));
    while (!*got && !w->stopped()) co_await w->next();
    if (!*got) break;
    Result<Data>& read = **got;
    if (!read) {
      if (read.code() == Errc::no_node) {
        if (index == 0) {
          st->set_leader(false);
          st->node.clear();
        }
      } else if (!retryable(read.code())) {
        give_out(read.error());
      }
      continue;  // look again at once
    }
    if (index == 0) {
      if (read->stat.ephemeral_owner != s->session_id()) {
        // Not this session's node (Curator 5 checks the same): start over with a new one.
        st->set_leader(false);
        remove_in_background(s, std::exchange(st->node, ""));
        continue;
      }
      if (session_connected(*s) && !st->suspended) st->set_leader(true, FencingToken{read->stat.czxid});
    } else {
      st->set_leader(false);
    }
    while (w->epoch() == since && !w->stopped() && !st->out) co_await w->next();
  }

  st->set_leader(false);
  std::string node = std::exchange(st->node, "");
  if (!node.empty() && !(st->out && session_gone(st->out->code()))) {
    auto removed = co_await guaranteed_remove(*s, node);
    (void)removed;
  }
  st->running = false;
  st->waiters.wake_all();
}

Task<void> close_latch(std::shared_ptr<LatchState> st) {
  if (!st->closed) {
    st->closed = true;
    st->run->stop("closed");
    st->session->remove_listener(st->session_listener);
  }
  auto w = std::make_shared<Wake>();
  st->waiters.add(w);
  while (st->running) co_await w->next();
  st->waiters.remove(w);
  st->waiters.stop_all("closed");
  st->listeners.clear();
  st->states.clear();
}

// What start() completes with: once our node is in place (so node_path() and participants()
// show us), or when the latch cannot join.
Task<Result<void>> await_joined(std::shared_ptr<LatchState> st) {
  auto w = std::make_shared<Wake>();
  st->waiters.add(w);
  while (st->node.empty() && !st->out && !st->closed && st->running) co_await w->next();
  st->waiters.remove(w);
  if (!st->node.empty()) co_return Result<void>();
  if (st->out) co_return *st->out;
  co_return Error(Errc::closing, "the leader latch " + st->path + " was closed before it joined");
}

Task<Result<FencingToken>> await_leader(std::shared_ptr<LatchState> st, std::optional<std::chrono::milliseconds> timeout,
                                        CancelToken cancel) {
  if (!st->started) co_return Error(Errc::bad_arguments, "the leader latch " + st->path + " was not started");
  auto w = std::make_shared<Wake>();
  st->waiters.add(w);
  Bounds bounds(*st->session, w, timeout, cancel);
  std::optional<Error> failed;
  while (!st->leader) {
    if (st->closed) failed = Error(Errc::closing, "the leader latch " + st->path + " is closed");
    else if (st->out) failed = *st->out;
    else if (auto e = w->ended()) failed = *e;
    if (failed) break;
    co_await w->next();
  }
  st->waiters.remove(w);
  if (failed) co_return *failed;
  co_return st->token;
}

}  // namespace

bool needs_close(const LatchState& st) { return st.started && !st.closed; }
Task<void> close_quietly(std::shared_ptr<LatchState> st) { return close_latch(std::move(st)); }

}  // namespace detail

LeaderLatch::LeaderLatch(Session& session, std::string path, std::string id, LeaderLatchOptions options)
    : state_(std::make_shared<detail::LatchState>()) {
  state_->session = state_->handles.bind(session);
  state_->path = std::move(path);
  state_->id = std::move(id);
  state_->policy = options.policy;
}

LeaderLatch::LeaderLatch(LeaderLatch&&) noexcept = default;
LeaderLatch& LeaderLatch::operator=(LeaderLatch&& o) noexcept {
  detail::take_state(state_, o.state_);
  return *this;
}
LeaderLatch::~LeaderLatch() { detail::close_in_background(state_); }

Task<Result<void>> LeaderLatch::start() {
  if (state_->started || state_->closed)
    return detail::ready(Error(Errc::bad_arguments, "the leader latch " + state_->path + " was started before"));
  state_->started = true;
  std::weak_ptr<detail::LatchState> weak = state_;
  state_->session_listener = state_->session->add_listener([weak](SessionState st) {
    if (auto self = weak.lock()) self->on_session(st);
  });
  spawn(detail::run_latch(state_));
  return detail::await_joined(state_);
}

Task<void> LeaderLatch::close() { return detail::close_latch(state_); }

bool LeaderLatch::has_leadership() const noexcept { return state_->leader && !state_->closed; }
FencingToken LeaderLatch::token() const noexcept { return state_->token; }
const std::string& LeaderLatch::id() const noexcept { return state_->id; }
const std::string& LeaderLatch::path() const noexcept { return state_->path; }
std::string LeaderLatch::node_path() const { return state_->node; }

Task<Result<FencingToken>> LeaderLatch::await_leadership() {
  return detail::await_leader(state_, std::nullopt, CancelToken());
}
Task<Result<FencingToken>> LeaderLatch::await_leadership(std::chrono::milliseconds timeout) {
  return detail::await_leader(state_, timeout, CancelToken());
}
Task<Result<FencingToken>> LeaderLatch::await_leadership(std::chrono::milliseconds timeout, CancelToken cancel) {
  return detail::await_leader(state_, timeout, std::move(cancel));
}

Task<Result<std::vector<Participant>>> LeaderLatch::participants() {
  return recipes::participants(*state_->session, state_->path, "latch-");
}

Task<Result<std::optional<Participant>>> LeaderLatch::leader() {
  return leader_of(*state_->session, state_->path, "latch-");
}

LeaderLatch::ListenerId LeaderLatch::add_listener(OwnershipListener listener) {
  return state_->listeners.add(std::move(listener));
}
void LeaderLatch::remove_listener(ListenerId id) { state_->listeners.remove(id); }
LeaderLatch::ListenerId LeaderLatch::add_state_listener(RecipeStateListener listener) {
  return state_->states.add(std::move(listener));
}
void LeaderLatch::remove_state_listener(ListenerId id) { state_->states.remove(id); }

}  // namespace zkit::recipes
