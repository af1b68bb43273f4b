#include "zkit/recipes/locks/semaphore.hpp"

#include <algorithm>

#include "detail/handles.hpp"
#include "detail/engine.hpp"
#include "detail/lifetime.hpp"
#include "detail/states.hpp"
#include "detail/listeners.hpp"
#include "detail/wake.hpp"

namespace zkit::recipes {

namespace detail {

struct SemaphoreState : std::enable_shared_from_this<SemaphoreState> {
  SessionHandles handles;  // what `session` points to (see detail/handles.hpp)
  Session* session = nullptr;
  std::string path;
  int max_leases = 1;
  SemaphoreOptions options;
  Session::ListenerId session_listener = 0;
  ListenerSet<OwnershipEvent> listeners;
  StateFeed states;
  WaitSet waits;
  std::vector<Lease> held;
  int acquiring = 0;  // acquisitions in progress
  WaitSet idle;       // close() waits here until they are over (and their nodes deleted)
  bool closed = false;

  void settle() {
    --acquiring;
    idle.wake_all();
  }

  std::string locks_path() const { return child_path(path, "locks"); }
  std::string leases_path() const { return child_path(path, "leases"); }

  void on_session(SessionState st) {
    states.on_session(st);
    waits.wake_all();
    if (held.empty()) return;
    switch (st) {
      case SessionState::suspended:
        listeners.notify(OwnershipEvent::suspended);
        if (!held.empty() && options.policy == SuspendPolicy::give_up) lose(true);
        break;
      case SessionState::reconnected:
        listeners.notify(OwnershipEvent::reconnected);
        break;
      case SessionState::expired:
      case SessionState::auth_failed:
      case SessionState::closed:
        lose(false);
        break;
      default:
        break;
    }
  }

  void lose(bool delete_nodes) {
    auto gone = std::move(held);
    held.clear();
    if (delete_nodes)
      for (auto& l : gone) remove_in_background(session, l.path);
    listeners.notify(OwnershipEvent::lost);
  }
};

namespace {

// One acquisition of `count` leases (InterProcessSemaphoreV2.internalAcquire1Lease, with the
// inner lock held for all of them, so two multi-lease acquirers never each hold a part).
Task<Result<std::vector<Lease>>> acquire_leases(std::shared_ptr<SemaphoreState> st, int count,
                                                std::optional<std::chrono::milliseconds> timeout, CancelToken cancel) {
  if (st->closed) co_return Error(Errc::closing, "the semaphore " + st->path + " is closed");
  if (count < 1 || count > st->max_leases)
    co_return Error(Errc::bad_arguments, "cannot acquire " + std::to_string(count) + " of " +
                                             std::to_string(st->max_leases) + " leases of " + st->path);
  Session* s = st->session;
  auto w = std::make_shared<Wake>();
  st->waits.add(w);
  ++st->acquiring;
  Bounds bounds(*s, w, timeout, cancel);

  // 1. The inner lock: one acquirer at a time adds leases.
  auto lock = std::make_shared<Engine>();
  lock->session = s;
  lock->spec.path = st->locks_path();
  lock->spec.marker = "lock-";
  lock->rule = exclusive_rule(1);
  auto locked = co_await acquire_node(lock, w);
  if (!locked) {
    st->waits.remove(w);
    st->settle();
    co_return locked.error();
  }

  // 2. Our leases, one after the other: create, then wait until at most max_leases exist.
  std::vector<Lease> got;
  std::optional<Error> failed;
  const std::string leases = st->leases_path();
  const std::string base = child_path(leases, "lease-");
  ProtectedCreateOptions create_options;
  create_options.mode = CreateMode::ephemeral_sequential;
  for (int i = 0; i < count && !failed; ++i) {
    for (int round = 0;; ++round) {
      if (round >= 3) {
        failed = Error(Errc::no_node, "our lease node under " + leases + " kept vanishing");
        break;
      }
      auto created = co_await create_raced(s, base, st->options.data, create_options, w);
      if (!created) {
        failed = created.error();
        break;
      }
      Lease lease{created->path, FencingToken{created->stat.czxid}};
      const std::string name = node_name(lease.path);
      bool missing = false;
      while (!failed && !missing) {
        if (w->abandon(*s)) {
          failed = *w->ended();
          break;
        }
        std::uint64_t since = w->epoch();
        auto kids = make_slot<Children>();
        s->get_children(leases, w->watcher(), w->fill(kids));
        while (!*kids && !w->abandon(*s)) co_await w->next();
        if (!*kids) continue;
        Result<Children>& listed = **kids;
        if (!listed) {
          if (retryable(listed.code())) continue;
          if (listed.code() == Errc::no_node)
            missing = true;
          else
            failed = listed.error();
          if (session_gone(listed.code())) {
            st->waits.remove(w);
            st->settle();
            co_return listed.error();  // nothing to delete: the session took our nodes
          }
          break;
        }
        if (std::find(listed->names.begin(), listed->names.end(), name) == listed->names.end()) {
          missing = true;
          break;
        }
        if (static_cast<int>(listed->names.size()) <= st->max_leases) break;  // ours
        if (auto late = w->timed_out()) {
          failed = *late;
          break;
        }
        while (w->epoch() == since && !w->ended()) co_await w->next();
      }
      if (failed) {
        co_await drop_node(s, lease.path);
        break;
      }
      if (missing) continue;
      got.push_back(std::move(lease));
      break;
    }
  }

  // 3. Let the next acquirer in.
  if (!failed && st->closed) failed = Error(Errc::closing, "the semaphore " + st->path + " is closed");
  if (failed) {
    for (auto& l : got) co_await drop_node(s, l.path);
    co_await drop_node(s, locked->path);
  } else {
    remove_in_background(s, locked->path);
    st->held.insert(st->held.end(), got.begin(), got.end());
  }
  st->waits.remove(w);
  st->settle();
  if (failed) co_return *failed;
  co_return got;
}

Task<Result<void>> release_leases(std::shared_ptr<SemaphoreState> st, std::vector<Lease> leases) {
  Result<void> out;
  for (auto& l : leases) {
    auto at = std::find_if(st->held.begin(), st->held.end(), [&](const Lease& h) { return h.path == l.path; });
    if (at == st->held.end()) continue;  // given up, lost or released already
    st->held.erase(at);
    auto r = co_await guaranteed_remove(*st->session, l.path);
    if (!r && out) out = std::move(r);
  }
  co_return out;
}

Task<void> close_semaphore(std::shared_ptr<SemaphoreState> st) {
  if (st->closed) co_return;
  st->closed = true;
  st->waits.stop_all("closed");
  st->session->remove_listener(st->session_listener);
  st->listeners.clear();
  st->states.clear();
  auto w = std::make_shared<Wake>();
  st->idle.add(w);
  while (st->acquiring > 0) co_await w->next();
  st->idle.remove(w);
  auto held = std::move(st->held);
  st->held.clear();
  for (auto& l : held) {
    if (!session_alive(*st->session)) break;
    auto r = co_await guaranteed_remove(*st->session, l.path);
    (void)r;
  }
}

}  // namespace

bool needs_close(const SemaphoreState& st) { return !st.closed; }
Task<void> close_quietly(std::shared_ptr<SemaphoreState> st) { return close_semaphore(std::move(st)); }

}  // namespace detail

Semaphore::Semaphore(Session& session, std::string path, int max_leases, SemaphoreOptions options)
    : state_(std::make_shared<detail::SemaphoreState>()) {
  state_->session = state_->handles.bind(session);
  state_->path = std::move(path);
  state_->max_leases = std::max(1, max_leases);
  state_->options = std::move(options);
  std::weak_ptr<detail::SemaphoreState> weak = state_;
  state_->session_listener = session.add_listener([weak](SessionState st) {
    if (auto self = weak.lock()) self->on_session(st);
  });
}

Semaphore::Semaphore(Semaphore&&) noexcept = default;
Semaphore& Semaphore::operator=(Semaphore&& o) noexcept {
  detail::take_state(state_, o.state_);
  return *this;
}
Semaphore::~Semaphore() { detail::close_in_background(state_); }

Task<Result<std::vector<Lease>>> Semaphore::acquire(int count) {
  return detail::acquire_leases(state_, count, std::nullopt, CancelToken());
}
Task<Result<std::vector<Lease>>> Semaphore::acquire(int count, std::chrono::milliseconds timeout) {
  return detail::acquire_leases(state_, count, timeout, CancelToken());
}
Task<Result<std::vector<Lease>>> Semaphore::acquire(int count, CancelToken cancel) {
  return detail::acquire_leases(state_, count, std::nullopt, std::move(cancel));
}
Task<Result<std::vector<Lease>>> Semaphore::acquire(int count, std::chrono::milliseconds timeout, CancelToken cancel) {
  return detail::acquire_leases(state_, count, timeout, std::move(cancel));
}

Task<Result<void>> Semaphore::release(Lease lease) {
  std::vector<Lease> one;
  one.push_back(std::move(lease));
  return detail::release_leases(state_, std::move(one));
}
Task<Result<void>> Semaphore::release(std::vector<Lease> leases) {
  return detail::release_leases(state_, std::move(leases));
}
Task<void> Semaphore::close() { return detail::close_semaphore(state_); }

std::size_t Semaphore::leases_held() const noexcept { return state_->held.size(); }
int Semaphore::max_leases() const noexcept { return state_->max_leases; }
const std::string& Semaphore::path() const noexcept { return state_->path; }

Semaphore::ListenerId Semaphore::add_listener(OwnershipListener listener) {
  return state_->listeners.add(std::move(listener));
}
void Semaphore::remove_listener(ListenerId id) { state_->listeners.remove(id); }
Semaphore::ListenerId Semaphore::add_state_listener(RecipeStateListener listener) {
  return state_->states.add(std::move(listener));
}
void Semaphore::remove_state_listener(ListenerId id) { state_->states.remove(id); }

}  // namespace zkit::recipes
