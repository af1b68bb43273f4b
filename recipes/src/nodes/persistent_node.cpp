#include "zkit/recipes/nodes/persistent_node.hpp"

#include "detail/handles.hpp"
#include "detail/lifetime.hpp"
#include "detail/listeners.hpp"
#include "detail/removal.hpp"
#include "detail/states.hpp"
#include "detail/wake.hpp"
#include "zkit/recipes/protected_create.hpp"

namespace zkit::recipes {

std::string_view to_string(NodeStatus s) noexcept {
  switch (s) {
    case NodeStatus::idle: return "idle";
    case NodeStatus::creating: return "creating";
    case NodeStatus::in_place: return "in_place";
    case NodeStatus::blocked: return "blocked";
    case NodeStatus::lost: return "lost";
    case NodeStatus::failed: return "failed";
    case NodeStatus::closed: return "closed";
  }
  return "unknown";
}

namespace detail {

namespace {

bool is_ephemeral(CreateMode m) noexcept {
  return m == CreateMode::ephemeral || m == CreateMode::ephemeral_sequential;
}
bool is_sequential(CreateMode m) noexcept {
  return m == CreateMode::persistent_sequential || m == CreateMode::ephemeral_sequential ||
         m == CreateMode::persistent_sequential_with_ttl;
}

Error session_end_error(const Session& s, const std::string& what) {
  SessionState st = s.state();
  Errc code = st == SessionState::auth_failed ? Errc::auth_failed
              : st == SessionState::closed    ? Errc::closing
                                              : Errc::session_expired;
  return Error(code, "the session of " + what + " ended (" + std::string(to_string(st)) + ")");
}

}  // namespace

struct PersistentNodeState : std::enable_shared_from_this<PersistentNodeState> {
  SessionHandles handles;  // what `session` points to (see detail/handles.hpp)
  Session* session = nullptr;
  std::string base_path;  // the path asked for (the prefix of a sequential node)
  std::string data;
  PersistentNodeOptions options;

  std::string node;          // the node's actual path, "" while none is known
  std::string protected_id;  // sequential modes: the id of our protected creates
  bool adopt = false;        // the node existed when we created: write our data into it
  bool watch_armed = false;  // an exists watch is set on `node` for this generation

  NodeStatus status = NodeStatus::idle;
  std::optional<Error> error;
  std::uint64_t generation = 0;  // bumped by rebind and close: older keepers stop
  std::shared_ptr<Wake> run;     // the current keeper's wake
  ListenerSet<NodeStatus> listeners;
  WaitSet waiters;  // start / wait_in_place / rebind
  StateFeed states;
  Session::ListenerId session_listener = 0;  // on `session`

  bool closed() const noexcept { return status == NodeStatus::closed; }

  void set_status(NodeStatus s, std::optional<Error> e = std::nullopt) {
    if (e) error = std::move(e);
    else if (s == NodeStatus::in_place || s == NodeStatus::creating) error.reset();
    if (s == status) return;
    status = s;
    listeners.notify(s);
    waiters.wake_all();
  }

  // Follows `session`'s states for the state listeners (a listener left on an older session
  // after rebind() ignores it).
  void listen() {
    Session* s = session;
    session_listener = s->add_listener([weak = weak_from_this(), s](SessionState state) {
      auto st = weak.lock();
      if (st && st->session == s && !st->closed()) st->states.on_session(state);
    });
  }

  Watcher node_watcher(std::uint64_t gen) {
    return [weak = weak_from_this(), gen](const WatchEvent&) {
      auto st = weak.lock();
      if (!st || st->generation != gen) return;
      st->watch_armed = false;
      st->run->wake();
    };
  }
};

namespace {

// Keeps the node in place for one generation (until rebind or close).
Task<void> keep(std::shared_ptr<PersistentNodeState> st, std::uint64_t gen) {
  auto w = st->run;
  Session* s = st->session;
  const std::string what = "the persistent node " + st->base_path;
  const CreateMode mode = st->options.mode;
  auto current = [&] { return st->generation == gen && !st->closed() && !w->stopped(); };

  while (current()) {
    if (st->status == NodeStatus::failed) break;
    if (!session_alive(*s)) {
      st->set_status(NodeStatus::lost, session_end_error(*s, what));
      break;
    }
    const std::uint64_t since = w->epoch();

    // Is the node we know of still there, and ours?
    if (!st->node.empty()) {
      bool arm = !st->watch_armed;
      auto got = make_slot<std::optional<Stat>>();
      s->exists(st->node, arm ? st->node_watcher(gen) : Watcher{}, w->fill(got));
      if (arm) st->watch_armed = true;
      while (!*got && !w->stopped()) co_await w->next();
      if (!*got || !current()) break;
      Result<std::optional<Stat>>& r = **got;
      if (!r) {
        if (arm) st->watch_armed = false;  // a failed exists sets no watch
        if (retryable(r.code()) || !session_alive(*s)) continue;
        st->set_status(NodeStatus::failed, r.error());
        break;
      }
      if (*r) {
        const Stat& stat = **r;
        if (is_ephemeral(mode) && stat.ephemeral_owner != s->session_id()) {
          // Another session's ephemeral (often our previous session's): wait until it goes.
          st->set_status(NodeStatus::blocked);
        } else {
          if (st->adopt) {
            auto set = make_slot<Stat>();
            s->set(st->node, st->data, -1, w->fill(set));
            while (!*set && !w->stopped()) co_await w->next();
            if (!*set || !current()) break;
            if (!**set) {
              if (retryable((*set)->code()) || (*set)->code() == Errc::no_node || !session_alive(*s)) continue;
              st->set_status(NodeStatus::failed, (*set)->error());
              break;
            }
            st->adopt = false;
          }
          st->set_status(NodeStatus::in_place);
        }
        // Until the watch (or close / rebind) says something changed.
        while (w->epoch() == since && !w->stopped()) co_await w->next();
        continue;
      }
      // Gone: create it again (a sequential node under a new name).
      if (is_sequential(mode)) st->node.clear();
    }

    st->set_status(NodeStatus::creating);
    if (is_sequential(mode)) {
      ProtectedCreateOptions po;
      po.mode = mode;
      po.acl = st->options.acl;
      po.id = st->protected_id;
      auto made = co_await protected_create(*s, st->base_path, st->data, po);
      // close() came while the create was on its way: do not leave the node behind.
      if (st->closed() && made && st->options.delete_on_close) remove_in_background(s, made->path);
      if (!current()) break;
      if (!made) {
        if (retryable(made.code()) || !session_alive(*s)) continue;
        st->set_status(NodeStatus::failed, made.error());
        break;
      }
      st->node = made->path;
      st->watch_armed = false;
      continue;  // check it and set the watch
    }

    CreateOptions co;
    co.mode = mode;
    co.acl = st->options.acl;
    co.ttl = st->options.ttl;
    auto made = make_slot<Created>();
    s->create(st->base_path, st->data, co, w->fill(made));
    while (!*made && !w->stopped()) co_await w->next();
    if (!*made) break;
    Result<Created>& r = **made;
    if (st->closed() && r && st->options.delete_on_close) remove_in_background(s, r->path);
    if (!current()) break;
    if (r) {
      st->node = r->path;
      st->watch_armed = false;
      continue;
    }
    switch (r.code()) {
      case Errc::node_exists:
        // Ours (a create whose reply was lost), another session's ephemeral, or a persistent
        // node to adopt: the check above tells which.
        st->node = st->base_path;
        st->watch_armed = false;
        st->adopt = !is_ephemeral(mode);
        continue;
      case Errc::no_node: {
        auto parents = co_await create_parent_containers(*s, st->base_path, st->options.acl);
        if (!current()) break;
        if (!parents && !retryable(parents.code()) && session_alive(*s)) {
          st->set_status(NodeStatus::failed, parents.error());
          break;
        }
        continue;
      }
      default:
        if (retryable(r.code()) || !session_alive(*s)) continue;
        st->set_status(NodeStatus::failed, r.error());
        break;
    }
    if (st->status == NodeStatus::failed) break;
  }
}

Task<Result<void>> wait_in_place_impl(std::shared_ptr<PersistentNodeState> st) {
  auto w = std::make_shared<Wake>();
  st->waiters.add(w);
  Result<void> out;
  for (;;) {
    if (st->status == NodeStatus::in_place) break;
    if (st->status == NodeStatus::closed || w->stopped()) {
      out = Error(Errc::closing, "the persistent node " + st->base_path + " is closed");
      break;
    }
    if (st->status == NodeStatus::failed || st->status == NodeStatus::lost) {
      out = st->error ? *st->error : Error(Errc::session_expired, "the persistent node " + st->base_path + " is lost");
      break;
    }
    if (st->status == NodeStatus::idle) {
      out = Error(Errc::bad_arguments, "the persistent node " + st->base_path + " is not started");
      break;
    }
    co_await w->next();
  }
  st->waiters.remove(w);
  co_return out;
}

void begin(const std::shared_ptr<PersistentNodeState>& st) {
  ++st->generation;
  if (st->run) st->run->stop("rebound");
  st->run = std::make_shared<Wake>();
  st->watch_armed = false;
  st->adopt = false;
  st->set_status(NodeStatus::creating);
  spawn(keep(st, st->generation));
}

Task<Result<void>> set_data_impl(std::shared_ptr<PersistentNodeState> st, std::string data) {
  if (st->closed()) co_return Error(Errc::closing, "the persistent node " + st->base_path + " is closed");
  st->data = std::move(data);
  if (st->status != NodeStatus::in_place || st->node.empty()) co_return Result<void>();
  std::string copy = st->data;
  auto r = co_await st->session->set(st->node, copy);
  if (r) co_return Result<void>();
  if (r.code() == Errc::no_node) {  // deleted meanwhile: the keeper creates it with the new data
    if (st->run) st->run->wake();
    co_return Result<void>();
  }
  co_return r.error();
}

Task<void> close_impl(std::shared_ptr<PersistentNodeState> st) {
  if (st->closed()) co_return;
  bool owned = st->status == NodeStatus::in_place || st->status == NodeStatus::creating;
  std::string node = st->node;
  ++st->generation;
  st->set_status(NodeStatus::closed);
  if (st->run) st->run->stop("closed");
  st->waiters.stop_all("closed");
  st->listeners.clear();
  st->states.clear();
  st->session->remove_listener(st->session_listener);
  if (st->options.delete_on_close && owned && !node.empty() && session_alive(*st->session)) {
    auto removed = co_await guaranteed_remove(*st->session, node);
    (void)removed;
  }
}

}  // namespace

bool needs_close(const PersistentNodeState& st) { return !st.closed(); }
Task<void> close_quietly(std::shared_ptr<PersistentNodeState> st) { return close_impl(std::move(st)); }

}  // namespace detail

using detail::PersistentNodeState;

PersistentNode::PersistentNode(Session& session, std::string path, std::string data, PersistentNodeOptions options)
    : state_(std::make_shared<PersistentNodeState>()) {
  state_->session = state_->handles.bind(session);
  state_->base_path = std::move(path);
  state_->data = std::move(data);
  state_->options = std::move(options);
  state_->protected_id = new_protected_id();
  state_->listen();
}

PersistentNode::PersistentNode(PersistentNode&&) noexcept = default;
PersistentNode& PersistentNode::operator=(PersistentNode&& o) noexcept {
  detail::take_state(state_, o.state_);
  return *this;
}

PersistentNode::~PersistentNode() { detail::close_in_background(state_); }

Task<Result<void>> PersistentNode::start() {
  auto& st = state_;
  if (st->status != NodeStatus::idle) {
    return [](std::shared_ptr<PersistentNodeState> st) -> Task<Result<void>> {
      co_return Error(Errc::bad_arguments, "the persistent node " + st->base_path +
                                               (st->closed() ? " is closed" : " was started before"));
    }(st);
  }
  if (auto v = validate_path(st->base_path, detail::is_sequential(st->options.mode)); !v ||
      st->options.mode == CreateMode::persistent_sequential_with_ttl) {
    Error e = v ? Error(Errc::bad_arguments, "persistent_sequential_with_ttl cannot be created protected; use persistent_with_ttl")
                : v.error();
    return [](Error e) -> Task<Result<void>> { co_return e; }(std::move(e));
  }
  detail::begin(st);
  return detail::wait_in_place_impl(st);
}

Task<Result<void>> PersistentNode::wait_in_place() { return detail::wait_in_place_impl(state_); }

Task<Result<void>> PersistentNode::set_data(std::string data) { return detail::set_data_impl(state_, std::move(data)); }

Task<Result<void>> PersistentNode::rebind(Session& session) {
  auto& st = state_;
  if (st->closed()) {
    return [](std::string path) -> Task<Result<void>> {
      co_return Error(Errc::closing, "the persistent node " + path + " is closed");
    }(st->base_path);
  }
  if (!st->session->same_session(session)) {
    st->session = st->handles.bind(session);
    st->states.rebound();
    st->listen();
  }
  if (detail::is_sequential(st->options.mode)) {
    // The old node (an ephemeral) goes with its session; a new one gets a new name.
    st->node.clear();
    st->protected_id = new_protected_id();
  }
  detail::begin(st);
  return detail::wait_in_place_impl(st);
}

Task<void> PersistentNode::close() { return detail::close_impl(state_); }

NodeStatus PersistentNode::status() const noexcept { return state_->status; }
std::string PersistentNode::path() const {
  return state_->status == NodeStatus::in_place ? state_->node : std::string();
}
const std::string& PersistentNode::data() const noexcept { return state_->data; }
std::optional<Error> PersistentNode::last_error() const { return state_->error; }

PersistentNode::ListenerId PersistentNode::add_listener(Function<void(NodeStatus)> listener) {
  return state_->listeners.add(std::move(listener));
}
void PersistentNode::remove_listener(ListenerId id) { state_->listeners.remove(id); }
PersistentNode::ListenerId PersistentNode::add_state_listener(RecipeStateListener listener) {
  return state_->states.add(std::move(listener));
}
void PersistentNode::remove_state_listener(ListenerId id) { state_->states.remove(id); }

}  // namespace zkit::recipes
