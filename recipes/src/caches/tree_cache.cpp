#include "zkit/recipes/caches/tree_cache.hpp"

#include <algorithm>
#include <deque>
#include <set>
#include <type_traits>

#include "detail/handles.hpp"
#include "detail/lifetime.hpp"
#include "detail/listeners.hpp"
#include "detail/paths.hpp"
#include "detail/states.hpp"
#include "detail/wake.hpp"

namespace zkit::recipes {

std::string_view to_string(CacheEvent::Type t) noexcept {
  switch (t) {
    case CacheEvent::Type::added: return "added";
    case CacheEvent::Type::updated: return "updated";
    case CacheEvent::Type::removed: return "removed";
    case CacheEvent::Type::initialized: return "initialized";
    case CacheEvent::Type::suspended: return "suspended";
    case CacheEvent::Type::reconnected: return "reconnected";
    case CacheEvent::Type::resynced: return "resynced";
    case CacheEvent::Type::lost: return "lost";
  }
  return "unknown";
}

namespace detail {

struct TreeState : std::enable_shared_from_this<TreeState> {
  enum class Phase { idle, loading, live, lost, closed };

  // One thing to apply to the cache, in the order it happened: a watch event (with the read
  // it needs), a state change, or a reply of the walk. Steps are applied from the front of the
  // queue as soon as they are complete, so a deletion reported after a data change is never
  // applied (or emitted) before that change's read comes back.
  struct Step {
    enum class Kind { read, remove, state, walk_get, walk_children };
    Kind kind = Kind::read;
    std::string path;
    int depth = 0;
    std::uint64_t walk_id = 0;
    SessionState state = SessionState::connected;
    std::optional<Result<Data>> data;
    std::optional<Result<Children>> kids;
    bool ready = false;
  };

  SessionHandles handles;  // what `session` points to (see detail/handles.hpp)
  Session* session = nullptr;
  std::string root;
  TreeCacheOptions options;
  std::map<std::string, NodeData> nodes;
  ListenerSet<const CacheEvent&> listeners;
  StateFeed states;
  WaitSet waiters;  // start / rebind, waiting for a walk to finish
  WatchHandle handle;

  Phase phase = Phase::idle;
  std::uint64_t generation = 0;  // bumped by rebind and close: older callbacks do nothing
  bool emit = false;             // node events are emitted (not during the first walk)
  std::optional<Error> error;    // why the session cannot serve the cache any more
  std::deque<std::shared_ptr<Step>> steps;
  bool draining = false;

  // The walk in progress.
  std::uint64_t walk_id = 0;
  bool walking = false;
  bool walk_failed = false;
  int outstanding = 0;
  std::set<std::string> seen;  // nodes read (by the walk or after an event) during the walk
  std::uint64_t walks_done = 0;

  bool closed() const noexcept { return phase == Phase::closed; }

  int depth_of(const std::string& path) const {
    if (path == root) return 0;
    std::string_view rest = std::string_view(path).substr(root == "/" ? 0 : root.size());
    return static_cast<int>(std::count(rest.begin(), rest.end(), '/'));
  }
  bool covers(const std::string& path) const {
    if (path == root) return true;
    const std::string prefix = descendant_prefix(root);
    return path.size() > prefix.size() && path.starts_with(prefix) && depth_of(path) <= options.max_depth;
  }

  void tell(CacheEvent::Type t, const NodeData* n = nullptr) {
    CacheEvent e;
    e.type = t;
    if (n) {
      e.path = n->path;
      e.data = n->data;
      e.stat = n->stat;
    }
    listeners.notify(e);
  }

  void upsert(const std::string& path, Data d) {
    if (walking) seen.insert(path);
    auto it = nodes.find(path);
    if (it == nodes.end()) {
      auto& n = nodes[path] = NodeData{path, std::move(d.data), d.stat};
      if (emit) tell(CacheEvent::Type::added, &n);
      return;
    }
    NodeData& n = it->second;
    bool changed = n.stat.mzxid != d.stat.mzxid || n.stat.czxid != d.stat.czxid;
    if (!changed) {
      if (d.stat.pzxid >= n.stat.pzxid) n.stat = d.stat;  // newer child counts
      return;
    }
    n.data = std::move(d.data);
    n.stat = d.stat;
    if (emit) tell(CacheEvent::Type::updated, &n);
  }

  // Removes `path` and everything cached below it, children first.
  void remove_tree(const std::string& path) {
    std::vector<std::string> gone;
    if (nodes.count(path)) gone.push_back(path);
    const std::string prefix = descendant_prefix(path);
    for (auto it = nodes.lower_bound(prefix); it != nodes.end() && it->first.starts_with(prefix); ++it)
      if (it->first != path) gone.push_back(it->first);
    std::sort(gone.begin(), gone.end());
    for (auto g = gone.rbegin(); g != gone.rend(); ++g) erase(*g);
  }

  void erase(const std::string& path) {
    auto it = nodes.find(path);
    if (it == nodes.end()) return;
    NodeData n = std::move(it->second);
    nodes.erase(it);
    if (emit && !closed()) tell(CacheEvent::Type::removed, &n);
  }

  std::shared_ptr<Step> push(Step::Kind kind, std::string path = {}) {
    auto step = std::make_shared<Step>();
    step->kind = kind;
    step->path = std::move(path);
    steps.push_back(step);
    return step;
  }

  // A completion that fills `step` and applies what is complete.
  template <class T>
  Callback<T> fill(std::shared_ptr<Step> step) {
    return [weak = weak_from_this(), gen = generation, step = std::move(step)](Result<T> r) {
      auto st = weak.lock();
      if (!st || st->generation != gen) return;
      if constexpr (std::is_same_v<T, Data>) step->data.emplace(std::move(r));
      else step->kids.emplace(std::move(r));
      step->ready = true;
      st->drain();
    };
  }

  void drain() {
    if (draining) return;
    draining = true;
    const std::uint64_t gen = generation;
    while (generation == gen && !steps.empty() && steps.front()->ready) {
      std::shared_ptr<Step> step = std::move(steps.front());
      steps.pop_front();
      apply(*step);
    }
    draining = false;
  }

  void apply(Step& step) {
    switch (step.kind) {
      case Step::Kind::read:
        if (*step.data) return upsert(step.path, std::move(*step.data).value());
        if (step.data->code() == Errc::no_node) return remove_tree(step.path);
        return;  // connection_loss: a walk follows the reconnection; no_auth: not ours to cache
      case Step::Kind::remove:
        return remove_tree(step.path);
      case Step::Kind::state:
        return on_state(step.state);
      case Step::Kind::walk_get:
        if (step.walk_id != walk_id || !walking) return;
        if (*step.data) upsert(step.path, std::move(*step.data).value());
        else if (step.data->code() != Errc::no_node && step.data->code() != Errc::no_auth) walk_failed = true;
        return done_one();
      case Step::Kind::walk_children:
        if (step.walk_id != walk_id || !walking) return;
        if (*step.kids) {
          std::vector<std::string> names = std::move((*step.kids)->names);
          std::sort(names.begin(), names.end());
          for (const auto& name : names) visit(child_path(step.path, name), step.depth + 1);
        } else if (step.kids->code() != Errc::no_node && step.kids->code() != Errc::no_auth) {
          walk_failed = true;
        }
        return done_one();
    }
  }

  Watcher watcher(std::uint64_t gen) {
    return [weak = weak_from_this(), gen](const WatchEvent& e) {
      auto st = weak.lock();
      if (!st || st->generation != gen || st->closed()) return;
      st->on_event(e);
    };
  }

  void on_event(const WatchEvent& e) {
    switch (e.type) {
      case EventType::none: {
        auto step = push(Step::Kind::state);
        step->state = e.state;
        step->ready = true;
        break;
      }
      case EventType::node_created:
      case EventType::node_data_changed: {
        if (!covers(e.path)) return;
        auto step = push(Step::Kind::read, e.path);
        session->get(e.path, {}, fill<Data>(step));
        break;
      }
      case EventType::node_deleted: {
        if (!covers(e.path)) return;
        push(Step::Kind::remove, e.path)->ready = true;
        break;
      }
      default:
        return;  // children changed (depth 0 watches), watch removed
    }
    drain();
  }

  void on_state(SessionState s) {
    states.on_session(s);
    switch (s) {
      case SessionState::suspended:
        tell(CacheEvent::Type::suspended);
        return;
      case SessionState::reconnected:
      case SessionState::connected:
        tell(CacheEvent::Type::reconnected);
        start_walk();
        return;
      case SessionState::expired:
      case SessionState::auth_failed:
      case SessionState::closed: {
        Errc code = s == SessionState::auth_failed ? Errc::auth_failed
                    : s == SessionState::closed    ? Errc::closing
                                                   : Errc::session_expired;
        error = Error(code, "the session of the tree cache " + root + " ended (" + std::string(to_string(s)) + ")");
        phase = Phase::lost;
        walking = false;
        handle.detach();  // the watch went with the session
        tell(CacheEvent::Type::lost);
        waiters.wake_all();
        return;
      }
      default:
        return;
    }
  }

  void start_walk() {
    ++walk_id;
    walking = true;
    walk_failed = false;
    outstanding = 0;
    seen.clear();
    visit(root, 0);
  }

  void visit(const std::string& path, int depth) {
    auto get = push(Step::Kind::walk_get, path);
    get->walk_id = walk_id;
    ++outstanding;
    session->get(path, {}, fill<Data>(get));
    if (depth >= options.max_depth) return;
    auto kids = push(Step::Kind::walk_children, path);
    kids->walk_id = walk_id;
    kids->depth = depth;
    ++outstanding;
    session->get_children(path, {}, fill<Children>(kids));
  }

  void done_one() {
    if (--outstanding > 0) return;
    walking = false;
    if (walk_failed) return;  // the connection broke: the walk starts again on reconnection
    // What the walk did not see is gone (children first).
    std::vector<std::string> gone;
    for (const auto& [path, n] : nodes)
      if (!seen.count(path)) gone.push_back(path);
    seen.clear();
    for (auto g = gone.rbegin(); g != gone.rend(); ++g) erase(*g);
    bool first = !emit;
    emit = true;
    phase = Phase::live;
    ++walks_done;
    tell(first ? CacheEvent::Type::initialized : CacheEvent::Type::resynced);
    waiters.wake_all();
  }
};

namespace {

// Sets the watch on the current session and walks; completes after the walk.
Task<Result<void>> begin(std::shared_ptr<TreeState> st) {
  const std::uint64_t gen = ++st->generation;
  const std::uint64_t target = st->walks_done + 1;
  st->phase = TreeState::Phase::loading;
  st->error.reset();
  st->walking = false;
  st->steps.clear();
  st->handle.remove();
  WatchMode mode = st->options.max_depth <= 0 ? WatchMode::persistent : WatchMode::persistent_recursive;
  auto h = co_await st->session->add_watch(st->root, mode, st->watcher(gen));
  if (st->generation != gen) co_return Error(Errc::closing, "the tree cache " + st->root + " was closed or rebound");
  if (!h) {
    st->phase = TreeState::Phase::idle;
    co_return h.error();
  }
  st->handle = std::move(h).value();
  st->start_walk();
  auto w = std::make_shared<Wake>();
  st->waiters.add(w);
  while (st->walks_done < target && !st->error && st->generation == gen && !w->stopped()) co_await w->next();
  st->waiters.remove(w);
  if (st->walks_done >= target && st->generation == gen) co_return Result<void>();
  if (st->closed() || w->stopped()) co_return Error(Errc::closing, "the tree cache " + st->root + " was closed");
  if (st->error) co_return *st->error;
  co_return Error(Errc::closing, "the tree cache " + st->root + " was rebound");
}

}  // namespace

bool needs_close(const TreeState& st) { return !st.closed(); }

// Removes the watch and stops; nothing to wait for.
Task<void> close_quietly(std::shared_ptr<TreeState> st) {
  if (st->closed()) co_return;
  ++st->generation;
  st->phase = TreeState::Phase::closed;
  st->walking = false;
  st->steps.clear();
  st->handle.remove();
  st->waiters.stop_all("closed");
}

}  // namespace detail

using detail::TreeState;

TreeCache::TreeCache(Session& session, std::string root, TreeCacheOptions options)
    : state_(std::make_shared<TreeState>()) {
  state_->session = state_->handles.bind(session);
  state_->root = std::move(root);
  state_->options = options;
}

TreeCache::TreeCache(TreeCache&&) noexcept = default;
TreeCache& TreeCache::operator=(TreeCache&& o) noexcept {
  detail::take_state(state_, o.state_);
  return *this;
}
TreeCache::~TreeCache() { detail::close_in_background(state_); }

Task<Result<void>> TreeCache::start() {
  if (state_->phase != TreeState::Phase::idle)
    return detail::ready(Error(Errc::bad_arguments, "the tree cache " + state_->root + " was started before"));
  if (auto v = validate_path(state_->root); !v) return detail::ready(v.error());
  return detail::begin(state_);
}

Task<Result<void>> TreeCache::rebind(Session& session) {
  if (state_->closed()) return detail::ready(Error(Errc::closing, "the tree cache " + state_->root + " is closed"));
  state_->session = state_->handles.bind(session);
  state_->states.rebound();
  return detail::begin(state_);
}

Task<void> TreeCache::close() { return detail::close_quietly(state_); }

const std::map<std::string, NodeData>& TreeCache::nodes() const noexcept { return state_->nodes; }

const NodeData* TreeCache::find(const std::string& path) const {
  auto it = state_->nodes.find(path);
  return it == state_->nodes.end() ? nullptr : &it->second;
}

std::vector<std::string> TreeCache::children(const std::string& path) const {
  std::vector<std::string> out;
  const std::string prefix = detail::descendant_prefix(path);
  for (auto it = state_->nodes.lower_bound(prefix); it != state_->nodes.end() && it->first.starts_with(prefix); ++it) {
    std::string_view rest = std::string_view(it->first).substr(prefix.size());
    if (!rest.empty() && rest.find('/') == std::string_view::npos) out.emplace_back(rest);
  }
  return out;
}

const std::string& TreeCache::root() const noexcept { return state_->root; }
bool TreeCache::live() const noexcept { return state_->phase == TreeState::Phase::live; }

TreeCache::ListenerId TreeCache::add_listener(Listener listener) { return state_->listeners.add(std::move(listener)); }
void TreeCache::remove_listener(ListenerId id) { state_->listeners.remove(id); }
TreeCache::ListenerId TreeCache::add_state_listener(RecipeStateListener listener) {
  return state_->states.add(std::move(listener));
}
void TreeCache::remove_state_listener(ListenerId id) { state_->states.remove(id); }

}  // namespace zkit::recipes
