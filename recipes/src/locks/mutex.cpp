#include "zkit/recipes/locks/mutex.hpp"

#include "detail/lifetime.hpp"
#include "detail/lock_state.hpp"

namespace zkit::recipes {

namespace detail {

std::shared_ptr<LockState> LockState::make(Session& s, LockSpec spec, LockRule rule,
                                           SuspendPolicy policy) {
  auto m = std::make_shared<LockState>();
  m->engine = std::make_shared<Engine>();
  m->engine->session = m->engine->handles.bind(s);
  m->engine->spec = std::move(spec);
  m->engine->rule = std::move(rule);
  m->policy = policy;
  std::weak_ptr<LockState> weak = m;
  // The listener touches nothing of its own after the call: it may be removed while it runs.
  m->session_listener = s.add_listener([weak](SessionState st) {
    if (auto self = weak.lock()) self->on_session(st);
  });
  return m;
}

void LockState::on_session(SessionState st) {
  states.on_session(st);
  waits.wake_all();  // a waiting acquire re-checks (a deadline that passed while disconnected)
  if (holds == 0) return;
  switch (st) {
    case SessionState::suspended:
      listeners.notify(OwnershipEvent::suspended);
      if (holds > 0 && policy == SuspendPolicy::give_up) lose(true);
      break;
    case SessionState::reconnected:
      listeners.notify(OwnershipEvent::reconnected);
      break;
    case SessionState::expired:
    case SessionState::auth_failed:
    case SessionState::closed:
      lose(false);  // the server deletes the node with the session
      break;
    default:
      break;
  }
}

void LockState::lose(bool delete_node) {
  if (holds == 0) return;
  owed += holds;
  holds = 0;
  ++term;
  token = {};
  downgraded = false;
  std::vector<std::string> gone = std::exchange(kept, {});
  gone.push_back(std::exchange(node, ""));
  if (delete_node)
    for (auto& n : gone) remove_in_background(&session(), std::move(n));
  listeners.notify(OwnershipEvent::lost);
}

namespace {

// The nodes a hold that just ended leaves to delete: its own, and write nodes it kept.
std::vector<std::string> end_hold(LockState& m) {
  ++m.term;
  m.token = {};
  m.downgraded = false;
  std::vector<std::string> nodes = std::exchange(m.kept, {});
  nodes.push_back(std::exchange(m.node, ""));
  return nodes;
}

}  // namespace

void LockState::watch_own_node() {
  std::weak_ptr<LockState> weak = weak_from_this();
  std::uint64_t t = term;
  session().get(
      node,
      [weak, t](const WatchEvent& ev) {
        auto self = weak.lock();
        if (!self || self->term != t || self->holds == 0) return;
        if (ev.type == EventType::node_deleted)
          self->lose(false);
        else if (ev.type == EventType::node_data_changed)
          self->watch_own_node();
      },
      [weak, t](Result<Data> r) {
        auto self = weak.lock();
        if (self && r.code() == Errc::no_node && self->term == t) self->lose(false);
      });
}

Task<Result<FencingToken>> lock_acquire(std::shared_ptr<LockState> m, std::optional<std::chrono::milliseconds> timeout,
                                        CancelToken cancel) {
  if (m->closed) co_return Error(Errc::closing, "the lock " + m->path() + " is closed");
  if (m->holds > 0) {
    ++m->holds;
    co_return m->token;
  }
  if (m->acquiring)
    co_return Error(Errc::bad_arguments,
                    "an acquire of " + m->path() + " already waits on this object (use one object per owner)");
  m->acquiring = true;
  auto w = std::make_shared<Wake>();
  m->waits.add(w);
  std::optional<Result<Grant>> granted;
  {
    Bounds bounds(m->session(), w, timeout, cancel);
    granted.emplace(co_await acquire_node(m->engine, w));
  }
  m->waits.remove(w);
  Result<Grant>& g = *granted;
  if (g && m->closed) {
    co_await drop_node(&m->session(), g->path);
    granted.emplace(Error(Errc::closing, "the lock " + m->path() + " is closed"));
  }
  m->acquiring = false;
  m->idle.wake_all();
  if (!*granted) co_return granted->error();
  m->holds = 1;
  m->node = (*granted)->path;
  m->token = (*granted)->token;
  ++m->term;
  auto writer = m->writer.lock();
  m->downgraded = writer && writer->holds > 0;
  m->watch_own_node();
  co_return m->token;
}

Task<Result<void>> lock_release(std::shared_ptr<LockState> m) {
  if (m->holds == 0) {
    if (m->owed > 0) {
      --m->owed;  // this hold was lost or closed already: nothing to do
      co_return Result<void>();
    }
    co_return Error(Errc::bad_arguments, "the lock " + m->path() + " is not held by this object");
  }
  if (--m->holds > 0) co_return Result<void>();
  std::vector<std::string> nodes = end_hold(*m);
  if (auto reader = m->reader.lock(); reader && reader->holds > 0 && reader->downgraded) {
    reader->kept.push_back(std::move(nodes.back()));  // see LockState::kept
    nodes.pop_back();
  }
  Result<void> out;
  for (auto& n : nodes) {
    auto r = co_await guaranteed_remove(m->session(), n);
    if (!r && out) out = std::move(r);
  }
  co_return out;
}

Task<void> lock_close(std::shared_ptr<LockState> m) {
  if (m->closed) co_return;
  m->closed = true;
  m->waits.stop_all("closed");
  m->session().remove_listener(m->session_listener);
  m->listeners.clear();
  m->states.clear();
  // A stopped acquire deletes its node before it ends.
  auto w = std::make_shared<Wake>();
  m->idle.add(w);
  while (m->acquiring) co_await w->next();
  m->idle.remove(w);
  if (m->holds > 0) {
    m->owed += m->holds;
    m->holds = 0;
    std::vector<std::string> nodes = end_hold(*m);
    if (auto reader = m->reader.lock(); reader && reader->holds > 0 && reader->downgraded) {
      reader->kept.push_back(std::move(nodes.back()));
      nodes.pop_back();
    }
    for (auto& n : nodes) {
      if (!session_alive(m->session())) break;
      auto r = co_await guaranteed_remove(m->session(), n);
      (void)r;
    }
  }
}

}  // namespace detail

namespace {
LockSpec mutex_spec(std::string path, std::string data, LockLayout layout) {
  LockSpec spec;
  spec.path = std::move(path);
  spec.marker = layout == LockLayout::kazoo ? "__lock__" : "lock-";
  spec.data = std::move(data);
  spec.layout = layout;
  return spec;
}
}  // namespace

Mutex::Mutex(Session& session, std::string path, MutexOptions options)
    : state_(detail::LockState::make(session, mutex_spec(std::move(path), std::move(options.data), options.layout),
                                     exclusive_rule(1), options.policy)) {}

Mutex::Mutex(Session& session, LockSpec spec, LockRule rule, MutexOptions options) {
  if (!options.data.empty()) spec.data = std::move(options.data);
  state_ = detail::LockState::make(session, std::move(spec), std::move(rule), options.policy);
}

Mutex::Mutex(Mutex&&) noexcept = default;
Mutex& Mutex::operator=(Mutex&& o) noexcept {
  detail::take_state(state_, o.state_);
  return *this;
}

Mutex::~Mutex() { detail::close_in_background(state_); }

Task<Result<FencingToken>> Mutex::acquire() { return detail::lock_acquire(state_, std::nullopt, CancelToken()); }
Task<Result<FencingToken>> Mutex::acquire(std::chrono::milliseconds timeout) {
  return detail::lock_acquire(state_, timeout, CancelToken());
}
Task<Result<FencingToken>> Mutex::acquire(CancelToken cancel) {
  return detail::lock_acquire(state_, std::nullopt, std::move(cancel));
}
Task<Result<FencingToken>> Mutex::acquire(std::chrono::milliseconds timeout, CancelToken cancel) {
  return detail::lock_acquire(state_, timeout, std::move(cancel));
}
Task<Result<void>> Mutex::release() { return detail::lock_release(state_); }
Task<void> Mutex::close() { return detail::lock_close(state_); }

bool Mutex::is_held() const noexcept { return state_->holds > 0; }
int Mutex::hold_count() const noexcept { return state_->holds; }
FencingToken Mutex::token() const noexcept { return state_->token; }
std::string Mutex::node_path() const { return state_->node; }
const std::string& Mutex::path() const noexcept { return state_->path(); }

Mutex::ListenerId Mutex::add_listener(OwnershipListener listener) { return state_->listeners.add(std::move(listener)); }
void Mutex::remove_listener(ListenerId id) { state_->listeners.remove(id); }
Mutex::ListenerId Mutex::add_state_listener(RecipeStateListener listener) {
  return state_->states.add(std::move(listener));
}
void Mutex::remove_state_listener(ListenerId id) { state_->states.remove(id); }

}  // namespace zkit::recipes
