#include "zkit/recipes/sharding/partitioner.hpp"

#include "detail/lifetime.hpp"
#include "sharding/partition_state.hpp"
#include "zkit/recipes/protected_create.hpp"

namespace zkit::recipes {

namespace detail {

namespace {

Task<Result<void>> begin(std::shared_ptr<PartitionState> st) {
  const std::uint64_t gen = ++st->generation;
  if (st->run) st->run->stop("rebound");
  st->run = std::make_shared<Wake>();
  st->suspended = false;
  st->joined = false;
  st->handle.remove();
  Session& s = *st->session;
  auto dirs = co_await make_dirs(st);
  if (!dirs) co_return dirs;
  auto h = co_await s.add_watch(st->path, WatchMode::persistent_recursive, st->watcher(gen));
  if (!h) co_return h.error();
  if (st->generation != gen || st->stopping) co_return Error(Errc::closing, "the partitioner " + st->path + " was closed");
  st->handle = std::move(h).value();
  auto joined = co_await join_group(st);
  if (!joined) co_return joined;
  if (st->generation != gen || st->stopping) co_return Error(Errc::closing, "the partitioner " + st->path + " was closed");
  spawn(balance(st, gen));
  co_return Result<void>();
}

Task<void> close_impl(std::shared_ptr<PartitionState> st, bool tell) {
  if (st->stopping) co_return;
  st->stopping = true;
  if (st->run) st->run->stop("stopped");
  // Let the balance loop finish what it has sent, so nothing lands after us.
  auto w = std::make_shared<Wake>();
  st->idle.add(w);
  while (st->running) co_await w->next();
  st->idle.remove(w);
  if (tell) st->release_all();
  else st->owned.clear();
  st->handle.remove();
  Session& s = *st->session;
  if (session_alive(s)) {
    std::vector<int> held(st->held.begin(), st->held.end());
    for (int shard : held) {
      auto removed = co_await guaranteed_remove(s, st->owner_path(shard));
      (void)removed;
    }
    if (st->joined) {
      st->joined = false;
      auto removed = co_await guaranteed_remove(s, st->member_path);
      (void)removed;
    }
  }
  st->held.clear();
}

}  // namespace

bool needs_close(const PartitionState& st) { return !st.stopping; }
// Without calling the shard listeners.
Task<void> close_quietly(std::shared_ptr<PartitionState> st) { return close_impl(std::move(st), false); }

}  // namespace detail

using detail::PartitionState;

Partitioner::Partitioner(Session& session, std::string path, std::string member_id, int shards,
                         PartitionerOptions options)
    : state_(std::make_shared<PartitionState>()) {
  auto& st = *state_;
  st.session = st.handles.bind(session);
  st.path = std::move(path);
  st.members_dir = detail::child_path(st.path, "members");
  st.owners_dir = detail::child_path(st.path, "owners");
  st.id = std::move(member_id);
  st.member_path = detail::child_path(st.members_dir, st.id);
  st.shards = shards;
  st.options = std::move(options);
}

Partitioner::Partitioner(Partitioner&&) noexcept = default;
Partitioner& Partitioner::operator=(Partitioner&& o) noexcept {
  detail::take_state(state_, o.state_);
  return *this;
}
Partitioner::~Partitioner() { detail::close_in_background(state_); }

void Partitioner::on_acquired(ShardListener listener) { state_->acquired_cb = std::move(listener); }
void Partitioner::on_released(ShardListener listener) { state_->released_cb = std::move(listener); }

Task<Result<void>> Partitioner::start() {
  auto& st = *state_;
  if (st.started || st.stopping)
    return detail::ready(Error(Errc::bad_arguments, "the partitioner " + st.path + " was started before"));
  if (st.shards < 1) return detail::ready(Error(Errc::bad_arguments, "a partitioner needs 1 shard or more"));
  if (auto v = validate_path(st.member_path); !v || st.id.empty() || st.id.find('/') != std::string::npos)
    return detail::ready(Error(Errc::bad_arguments, "bad partitioner path or member id: " + st.member_path));
  st.started = true;
  return detail::begin(state_);
}

Task<void> Partitioner::close() { return detail::close_impl(state_, true); }

Task<Result<void>> Partitioner::rebind(Session& session) {
  auto& st = *state_;
  if (st.stopping) return detail::ready(Error(Errc::closing, "the partitioner " + st.path + " is closed"));
  st.release_all();
  st.held.clear();  // the old session's nodes go with it
  st.session = st.handles.bind(session);
  st.started = true;
  st.states.rebound();
  return detail::begin(state_);
}

std::vector<int> Partitioner::owned() const { return {state_->owned.begin(), state_->owned.end()}; }
bool Partitioner::owns(int shard) const { return state_->owned.count(shard) > 0; }
FencingToken Partitioner::token(int shard) const {
  if (!owns(shard) && state_->releasing != shard) return {};
  auto it = state_->czxid.find(shard);
  return it == state_->czxid.end() ? FencingToken{} : FencingToken{it->second};
}
std::vector<int> Partitioner::assigned() const { return state_->want(); }
const std::vector<std::string>& Partitioner::members() const noexcept { return state_->members; }
bool Partitioner::balanced() const { return owned() == assigned(); }
const std::string& Partitioner::member_id() const noexcept { return state_->id; }
int Partitioner::shard_count() const noexcept { return state_->shards; }

Partitioner::ListenerId Partitioner::add_state_listener(RecipeStateListener listener) {
  return state_->states.add(std::move(listener));
}
void Partitioner::remove_state_listener(ListenerId id) { state_->states.remove(id); }

}  // namespace zkit::recipes
