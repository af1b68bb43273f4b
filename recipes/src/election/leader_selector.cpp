#include "zkit/recipes/election/leader_selector.hpp"

#include "detail/handles.hpp"
#include "detail/lifetime.hpp"
#include "detail/lock_state.hpp"

namespace zkit::recipes {

namespace detail {

struct TermState {
  Session* session = nullptr;
  FencingToken token;
  bool valid = true;
  WaitSet waiters;

  void end() {
    if (!valid) return;
    valid = false;
    waiters.wake_all();
  }
};

struct SelectorState : std::enable_shared_from_this<SelectorState> {
  SessionHandles handles;  // what `session` points to (see detail/handles.hpp)
  Session* session = nullptr;
  std::string path;
  std::string id;
  LeaderFunction leader;
  LeaderSelectorOptions options;
  std::shared_ptr<LockState> lock;
  ListenerSet<OwnershipEvent> listeners;
  WaitSet closers;
  std::shared_ptr<TermState> term;
  int terms = 0;
  bool started = false;
  bool closed = false;
  bool running = false;  // queued or leading

  // Events of the lock while held are events of the term.
  void on_lock_event(OwnershipEvent e) {
    if (e == OwnershipEvent::lost && term) term->end();
    if (!closed) listeners.notify(e);  // leaving by close() is not a loss
  }
};

namespace {

Task<void> run_selector(std::shared_ptr<SelectorState> st) {
  st->running = true;
  do {
    auto acquired = co_await lock_acquire(st->lock, std::nullopt, CancelToken());
    if (!acquired) {
      // Closed, cancelled, the session ended, or refused (no_auth...): nothing to wait for.
      break;
    }
    auto term = std::make_shared<TermState>();
    term->session = st->session;
    term->token = *acquired;
    st->term = term;
    ++st->terms;
    st->listeners.notify(OwnershipEvent::acquired);
    if (st->closed) term->end();
    {
      LeaderTerm handle(term);
      co_await st->leader(handle);
    }
    term->end();
    st->term.reset();
    auto released = co_await lock_release(st->lock);  // also settles a hold that was lost
    (void)released;
  } while (!st->closed && st->options.requeue && session_alive(*st->session));
  st->running = false;
  st->closers.wake_all();
}

Task<void> close_selector(std::shared_ptr<SelectorState> st) {
  if (!st->closed) {
    st->closed = true;
    st->lock->waits.stop_all("closed");  // a waiting acquire ends, deleting its node first
    // The term ends (wait_lost returns) but listeners are not told `lost`: the caller left.
    if (st->term && st->term->valid) st->term->end();
  }
  auto w = std::make_shared<Wake>();
  st->closers.add(w);
  while (st->running) co_await w->next();
  st->closers.remove(w);
  co_await lock_close(st->lock);
  st->listeners.clear();
}

Task<void> wait_term(std::shared_ptr<TermState> t) {
  auto w = std::make_shared<Wake>();
  t->waiters.add(w);
  while (t->valid) co_await w->next();
  t->waiters.remove(w);
}

Task<bool> wait_term_for(std::shared_ptr<TermState> t, std::chrono::milliseconds timeout) {
  if (!t->valid) co_return true;
  auto w = std::make_shared<Wake>();
  t->waiters.add(w);
  {
    Bounds bounds(*t->session, w, timeout, CancelToken());
    while (t->valid && !w->timed_out()) co_await w->next();
  }
  t->waiters.remove(w);
  co_return !t->valid;
}

}  // namespace

bool needs_close(const SelectorState& st) { return !st.closed; }
Task<void> close_quietly(std::shared_ptr<SelectorState> st) { return close_selector(std::move(st)); }

}  // namespace detail

FencingToken LeaderTerm::token() const noexcept { return state_->token; }
bool LeaderTerm::valid() const noexcept { return state_->valid; }
Task<void> LeaderTerm::wait_lost() { return detail::wait_term(state_); }
Task<bool> LeaderTerm::wait_lost(std::chrono::milliseconds timeout) { return detail::wait_term_for(state_, timeout); }

LeaderSelector::LeaderSelector(Session& session, std::string path, std::string id,
                               LeaderFunction leader, LeaderSelectorOptions options)
    : state_(std::make_shared<detail::SelectorState>()) {
  state_->session = state_->handles.bind(session);
  state_->path = path;
  state_->id = std::move(id);
  state_->leader = std::move(leader);
  state_->options = options;
  LockSpec spec;
  spec.path = std::move(path);
  spec.marker = "lock-";
  spec.data = state_->id;
  state_->lock = detail::LockState::make(session, std::move(spec), exclusive_rule(1), options.policy);
  std::weak_ptr<detail::SelectorState> weak = state_;
  state_->lock->listeners.add([weak](OwnershipEvent e) {
    if (auto self = weak.lock()) self->on_lock_event(e);
  });
}

LeaderSelector::LeaderSelector(LeaderSelector&&) noexcept = default;
LeaderSelector& LeaderSelector::operator=(LeaderSelector&& o) noexcept {
  detail::take_state(state_, o.state_);
  return *this;
}
LeaderSelector::~LeaderSelector() { detail::close_in_background(state_); }

Task<Result<void>> LeaderSelector::start() {
  if (state_->started || state_->closed)
    return detail::ready(Error(Errc::bad_arguments, "the leader selector " + state_->path + " was started before"));
  state_->started = true;
  spawn(detail::run_selector(state_));
  return detail::ready(Result<void>());
}

bool LeaderSelector::requeue() {
  if (!state_->started || state_->closed || state_->running) return false;
  spawn(detail::run_selector(state_));
  return true;
}

Task<void> LeaderSelector::close() { return detail::close_selector(state_); }

bool LeaderSelector::has_leadership() const noexcept { return state_->term && state_->term->valid; }
FencingToken LeaderSelector::token() const noexcept {
  return has_leadership() ? state_->term->token : FencingToken{};
}
int LeaderSelector::terms() const noexcept { return state_->terms; }
const std::string& LeaderSelector::id() const noexcept { return state_->id; }
const std::string& LeaderSelector::path() const noexcept { return state_->path; }

Task<Result<std::vector<Participant>>> LeaderSelector::participants() {
  return recipes::participants(*state_->session, state_->path, "lock-");
}

Task<Result<std::optional<Participant>>> LeaderSelector::leader() {
  return leader_of(*state_->session, state_->path, "lock-");
}

LeaderSelector::ListenerId LeaderSelector::add_listener(OwnershipListener listener) {
  return state_->listeners.add(std::move(listener));
}
void LeaderSelector::remove_listener(ListenerId id) { state_->listeners.remove(id); }
LeaderSelector::ListenerId LeaderSelector::add_state_listener(RecipeStateListener listener) {
  return state_->lock->states.add(std::move(listener));
}
void LeaderSelector::remove_state_listener(ListenerId id) { state_->lock->states.remove(id); }

}  // namespace zkit::recipes
