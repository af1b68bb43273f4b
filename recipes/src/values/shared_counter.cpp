#include "zkit/recipes/values/shared_counter.hpp"

#include "detail/handles.hpp"
#include "detail/lifetime.hpp"
#include "detail/listeners.hpp"
#include "detail/wake.hpp"
#include "zkit/recipes/caches/node_cache.hpp"
#include "zkit/recipes/protected_create.hpp"

namespace zkit::recipes {

std::string encode_count(std::int32_t v) {
  auto u = static_cast<std::uint32_t>(v);
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((u >> (24 - 8 * i)) & 0xff);
  return out;
}

std::optional<std::int32_t> decode_count(std::string_view bytes) noexcept {
  if (bytes.size() != 4) return std::nullopt;
  std::uint32_t u = 0;
  for (char c : bytes) u = (u << 8) | static_cast<unsigned char>(c);
  return static_cast<std::int32_t>(u);
}

namespace detail {

struct CounterState : std::enable_shared_from_this<CounterState> {
  CounterState(Session& s, std::string p) : session(handles.bind(s)), path(p), cache(s, std::move(p)) {}
  SessionHandles handles;  // what `session` points to (see detail/handles.hpp)
  Session* session;
  std::string path;
  NodeCache cache;
  std::int32_t seed = 0;
  VersionedCount known;
  ListenerSet<std::int32_t> listeners;
  bool started = false;
  bool closed = false;

  // A value read at `version` (of the node created at `czxid`): kept when newer.
  void learn(std::int32_t value, std::int32_t version, std::int64_t czxid) {
    bool recreated = czxid != known_czxid;
    if (!recreated && version <= known.version) return;
    known_czxid = czxid;
    known = {value, version};
    listeners.notify(value);
  }
  std::int64_t known_czxid = 0;

  void on_cache(const CacheEvent& e) {
    switch (e.type) {
      case CacheEvent::Type::added:
      case CacheEvent::Type::updated:
        if (auto v = decode_count(e.data)) learn(*v, e.stat.version, e.stat.czxid);
        return;
      case CacheEvent::Type::removed:
        known.version = -1;  // the value stays; a re-created node is news
        known_czxid = 0;
        return;
      default:
        return;  // initialized; the connection's states reach the state listeners from the cache
    }
  }
};

namespace {

Task<Result<void>> start_impl(std::shared_ptr<CounterState> st) {
  Session& s = *st->session;
  for (int attempt = 0;; ++attempt) {
    CreateOptions persistent;
    auto made = co_await s.create(st->path, encode_count(st->seed), persistent);
    if (made || made.code() == Errc::node_exists) break;
    if (made.code() == Errc::no_node && attempt < 5) {
      auto parents = co_await create_parent_containers(s, st->path, open_acl_unsafe());
      if (!parents) co_return parents.error();
      continue;
    }
    if (!retryable(made.code()) || attempt >= 10) co_return made.error();
  }
  auto started = co_await st->cache.start();
  if (!started) co_return started.error();
  if (const NodeData* n = st->cache.current())
    if (auto v = decode_count(n->data)) st->learn(*v, n->stat.version, n->stat.czxid);
  co_return Result<void>();
}

Task<Result<bool>> try_set_impl(std::shared_ptr<CounterState> st, VersionedCount previous, std::int32_t value) {
  if (st->closed) co_return Error(Errc::closing, "the shared counter " + st->path + " is closed");
  auto r = co_await st->session->set(st->path, encode_count(value), previous.version);
  if (r) {
    if (!st->closed) st->learn(value, r->version, r->czxid);
    co_return true;
  }
  if (r.code() == Errc::bad_version || r.code() == Errc::no_node) co_return false;
  co_return r.error();
}

Task<Result<void>> set_impl(std::shared_ptr<CounterState> st, std::int32_t value) {
  if (st->closed) co_return Error(Errc::closing, "the shared counter " + st->path + " is closed");
  for (int attempt = 0;; ++attempt) {
    auto r = co_await st->session->set(st->path, encode_count(value));
    if (r) {
      if (!st->closed) st->learn(value, r->version, r->czxid);
      co_return Result<void>();
    }
    if (r.code() == Errc::no_node && attempt < 5) {
      auto parents = co_await create_parent_containers(*st->session, st->path, open_acl_unsafe());
      if (!parents) co_return parents.error();
      CreateOptions persistent;
      auto made = co_await st->session->create(st->path, encode_count(value), persistent);
      if (made) {
        if (!st->closed) st->learn(value, made->stat.version, made->stat.czxid);
        co_return Result<void>();
      }
      if (made.code() == Errc::node_exists) continue;
      co_return made.error();
    }
    if (!retryable(r.code()) || attempt >= 10) co_return r.error();
  }
}

}  // namespace

bool needs_close(const CounterState& st) { return !st.closed; }
Task<void> close_quietly(std::shared_ptr<CounterState> st) {
  st->closed = true;
  co_await st->cache.close();
}

}  // namespace detail

using detail::CounterState;

SharedCounter::SharedCounter(Session& session, std::string path, std::int32_t seed)
    : state_(std::make_shared<CounterState>(session, std::move(path))) {
  state_->seed = seed;
  state_->known.value = seed;
  state_->cache.add_listener([weak = std::weak_ptr<CounterState>(state_)](const CacheEvent& e) {
    if (auto st = weak.lock()) st->on_cache(e);
  });
}

Task<Result<void>> SharedCounter::start() {
  if (state_->started || state_->closed)
    return detail::ready(Error(Errc::bad_arguments, "the shared counter " + state_->path + " was started before"));
  state_->started = true;
  return detail::start_impl(state_);
}

SharedCounter::SharedCounter(SharedCounter&&) noexcept = default;
SharedCounter& SharedCounter::operator=(SharedCounter&& o) noexcept {
  detail::take_state(state_, o.state_);
  return *this;
}
SharedCounter::~SharedCounter() { detail::close_in_background(state_); }

std::int32_t SharedCounter::count() const noexcept { return state_->known.value; }
VersionedCount SharedCounter::versioned() const noexcept { return state_->known; }

Task<Result<bool>> SharedCounter::try_set_count(VersionedCount previous, std::int32_t value) {
  return detail::try_set_impl(state_, previous, value);
}
Task<Result<void>> SharedCounter::set_count(std::int32_t value) { return detail::set_impl(state_, value); }

Task<Result<void>> SharedCounter::rebind(Session& session) {
  state_->session = state_->handles.bind(session);
  return state_->cache.rebind(session);
}

Task<void> SharedCounter::close() { return detail::close_quietly(state_); }

SharedCounter::ListenerId SharedCounter::add_listener(Function<void(std::int32_t)> listener) {
  return state_->listeners.add(std::move(listener));
}
void SharedCounter::remove_listener(ListenerId id) { state_->listeners.remove(id); }
SharedCounter::ListenerId SharedCounter::add_state_listener(RecipeStateListener listener) {
  return state_->cache.add_state_listener(std::move(listener));
}
void SharedCounter::remove_state_listener(ListenerId id) { state_->cache.remove_state_listener(id); }

}  // namespace zkit::recipes
