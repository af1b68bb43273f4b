// PersistentTtlNode: a container kept by a PersistentNode, and a TTL child touched every ttl/2.
#include "detail/handles.hpp"
#include "detail/lifetime.hpp"
#include "detail/paths.hpp"
#include "zkit/recipes/nodes/persistent_node.hpp"
#include "zkit/timer.hpp"

namespace zkit::recipes {

namespace detail {

struct TtlNodeState : std::enable_shared_from_this<TtlNodeState> {
  explicit TtlNodeState(PersistentNode n) : node(std::move(n)) {}
  PersistentNode node;
  SessionHandles handles;  // what `session` points to (see detail/handles.hpp)
  Session* session = nullptr;
  std::string path;
  std::string child;
  std::chrono::milliseconds ttl{0};
  std::unique_ptr<Timer> timer;
  std::uint64_t touches = 0;
  std::optional<Error> touch_error;
  bool started = false;
  bool closed = false;
  bool touching = false;

  // One touch: set the child's data; create it (with the TTL) when it is missing.
  void touch() {
    if (closed || touching) return;
    touching = true;
    Session* s = session;
    s->set(child, "", -1, [weak = weak_from_this(), s](Result<Stat> r) {
      auto st = weak.lock();
      if (!st || st->closed || st->session != s) return;
      if (r) return st->touched(Result<void>());
      if (r.code() != Errc::no_node) return st->touched(r.error());
      CreateOptions o;
      o.mode = CreateMode::persistent_with_ttl;
      o.ttl = st->ttl;
      s->create(st->child, "", o, [weak](Result<Created> c) {
        auto st = weak.lock();
        if (!st || st->closed) return;
        // node_exists: someone touched first; no_node: the container is on its way back.
        if (c || c.code() == Errc::node_exists || c.code() == Errc::no_node) return st->touched(Result<void>());
        st->touched(c.error());
      });
    });
  }

  void touched(Result<void> r) {
    touching = false;
    if (r) {
      ++touches;
      touch_error.reset();
    } else {
      touch_error = r.error();
    }
  }

  void schedule() {
    if (closed) return;
    auto period = std::max(ttl / 2, std::chrono::milliseconds(1));
    timer->start(period, [weak = weak_from_this()] {
      auto st = weak.lock();
      if (!st || st->closed) return;
      st->touch();
      st->schedule();
    });
  }
};

namespace {

Task<Result<void>> ttl_start(std::shared_ptr<TtlNodeState> st, bool rebind) {
  Result<void> r;
  if (rebind) {
    r = co_await st->node.rebind(*st->session);
  } else {
    r = co_await st->node.start();
  }
  if (r && !st->closed) st->touch();
  co_return r;
}

}  // namespace

bool needs_close(const TtlNodeState& st) { return !st.closed; }
// Stops touching (at once, also when the task is never awaited), then closes the container's
// PersistentNode (which deletes nothing: delete_on_close is off).
Task<void> close_quietly(std::shared_ptr<TtlNodeState> st) {
  st->closed = true;
  st->timer.reset();
  return [](std::shared_ptr<TtlNodeState> st) -> Task<void> { co_await st->node.close(); }(std::move(st));
}

}  // namespace detail

using detail::TtlNodeState;

PersistentTtlNode::PersistentTtlNode(Session& session, std::string path, std::string data,
                                     std::chrono::milliseconds ttl) {
  PersistentNodeOptions o;
  o.mode = CreateMode::container;
  o.delete_on_close = false;
  state_ = std::make_shared<TtlNodeState>(PersistentNode(session, path, std::move(data), o));
  state_->session = state_->handles.bind(session);
  state_->child = detail::child_path(path, kChildName);
  state_->path = std::move(path);
  state_->ttl = ttl;
  state_->timer = std::make_unique<Timer>(session);
}

PersistentTtlNode::PersistentTtlNode(PersistentTtlNode&&) noexcept = default;
PersistentTtlNode& PersistentTtlNode::operator=(PersistentTtlNode&& o) noexcept {
  detail::take_state(state_, o.state_);
  return *this;
}
PersistentTtlNode::~PersistentTtlNode() { detail::close_in_background(state_); }

Task<Result<void>> PersistentTtlNode::start() {
  if (state_->ttl.count() <= 0 || state_->started || state_->closed) {
    std::string why = state_->ttl.count() <= 0 ? " needs a ttl above zero" : " was started before";
    return [](std::string m) -> Task<Result<void>> { co_return Error(Errc::bad_arguments, m); }(
        "the TTL node " + state_->path + why);
  }
  state_->started = true;
  state_->schedule();
  return detail::ttl_start(state_, false);
}

Task<Result<void>> PersistentTtlNode::set_data(std::string data) { return state_->node.set_data(std::move(data)); }

Task<Result<void>> PersistentTtlNode::rebind(Session& session) {
  state_->session = state_->handles.bind(session);
  state_->touching = false;
  if (!state_->started && !state_->closed) {
    state_->started = true;
    state_->schedule();
  }
  return detail::ttl_start(state_, true);
}

Task<void> PersistentTtlNode::close() { return detail::close_quietly(state_); }

NodeStatus PersistentTtlNode::status() const noexcept { return state_->node.status(); }
const std::string& PersistentTtlNode::path() const noexcept { return state_->path; }
std::optional<Error> PersistentTtlNode::last_error() const {
  if (state_->touch_error) return state_->touch_error;
  return state_->node.last_error();
}
std::uint64_t PersistentTtlNode::touches() const noexcept { return state_->touches; }

PersistentTtlNode::ListenerId PersistentTtlNode::add_state_listener(RecipeStateListener listener) {
  return state_->node.add_state_listener(std::move(listener));
}
void PersistentTtlNode::remove_state_listener(ListenerId id) { state_->node.remove_state_listener(id); }

}  // namespace zkit::recipes
