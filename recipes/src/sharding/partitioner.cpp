#include "zkit/recipes/sharding/partitioner.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "detail/wake.hpp"
#include "zkit/recipes/protected_create.hpp"

namespace zkit::recipes {

namespace {

std::uint64_t fnv1a64(std::string_view s) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

// SplitMix64's output function (with its increment).
std::uint64_t mix(std::uint64_t z) noexcept {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::string child_of(const std::string& parent, std::string_view name) {
  std::string out = parent == "/" ? "/" : parent + "/";
  out += name;
  return out;
}

}  // namespace

std::string assign_shard(int shard, std::span<const std::string> members, Assignment rule) {
  if (members.empty() || shard < 0) return {};
  if (rule == Assignment::modulo) {
    std::vector<std::string> sorted(members.begin(), members.end());
    std::sort(sorted.begin(), sorted.end());
    return sorted[static_cast<std::size_t>(shard) % sorted.size()];
  }
  const std::uint64_t s = mix(static_cast<std::uint64_t>(shard) + 1);
  const std::string* best = nullptr;
  std::uint64_t best_weight = 0;
  for (const auto& m : members) {
    std::uint64_t weight = mix(fnv1a64(m) ^ s);
    if (!best || weight > best_weight || (weight == best_weight && m < *best)) {
      best = &m;
      best_weight = weight;
    }
  }
  return *best;
}

namespace detail {

struct PartitionState : std::enable_shared_from_this<PartitionState> {
  Session* session = nullptr;
  std::string path, members_dir, owners_dir, member_path, id;
  int shards = 0;
  PartitionerOptions options;
  Partitioner::ShardListener acquired_cb, released_cb;

  std::vector<std::string> members;  // sorted, as last read
  std::set<int> owned;               // in use: told acquired, not yet told released
  std::set<int> held;                // owner nodes of this session (owned or not)
  std::map<int, std::int64_t> czxid; // shard -> czxid of our owner node (its fencing token)
  int releasing = -1;                // the shard whose on_released runs now

  bool started = false;
  bool joined = false;  // our member node exists (made by this session)
  bool stopping = false;
  bool suspended = false;
  bool running = false;  // the balance loop runs
  std::uint64_t generation = 0;
  WatchHandle handle;
  std::shared_ptr<Wake> run;
  WaitSet idle;  // stop() waiting for the balance loop to end

  std::string owner_path(int shard) const { return child_of(owners_dir, std::to_string(shard)); }

  std::vector<int> want() const {
    std::vector<int> out;
    if (!std::binary_search(members.begin(), members.end(), id)) return out;
    for (int s = 0; s < shards; ++s)
      if (assign_shard(s, members, options.assignment) == id) out.push_back(s);
    return out;
  }

  void acquire(int shard, std::int64_t token) {
    czxid[shard] = token;
    if (!owned.insert(shard).second) return;
    if (acquired_cb) acquired_cb(shard);
  }
  void release(int shard) {
    if (!owned.erase(shard)) {
      czxid.erase(shard);
      return;
    }
    // The token stays readable while on_released runs: a service flushes its last writes
    // with it before letting the shard go.
    releasing = shard;
    if (released_cb) released_cb(shard);
    releasing = -1;
    if (!owned.count(shard)) czxid.erase(shard);
  }
  void release_all() {
    std::vector<int> now(owned.begin(), owned.end());
    for (int s : now) release(s);
  }

  void on_state(SessionState s) {
    switch (s) {
      case SessionState::suspended:
        suspended = true;
        if (options.policy == SuspendPolicy::give_up) release_all();
        break;
      case SessionState::connected:
      case SessionState::reconnected:
        suspended = false;
        break;
      case SessionState::expired:
      case SessionState::auth_failed:
      case SessionState::closed:
        release_all();
        held.clear();
        handle.detach();
        break;
      default:
        break;
    }
    if (run) run->wake();
  }

  Watcher watcher(std::uint64_t gen) {
    return [weak = weak_from_this(), gen](const WatchEvent& e) {
      auto st = weak.lock();
      if (!st || st->generation != gen) return;
      if (e.type == EventType::none) return st->on_state(e.state);
      bool member = e.path.starts_with(st->members_dir + "/");
      bool owner = e.path.starts_with(st->owners_dir + "/");
      bool wake = (member && (e.type == EventType::node_created || e.type == EventType::node_deleted)) ||
                  (owner && e.type == EventType::node_deleted) ||
                  (!member && !owner && e.type == EventType::node_deleted);
      if (wake && st->run) st->run->wake();
    };
  }
};

namespace {

// One request raced against the loop's Wake; waits for the reply even when the Wake stops, so
// no create lands unnoticed.
template <class T, class Send>
Task<Result<T>> ask(std::shared_ptr<Wake> w, Send send) {
  auto got = make_slot<T>();
  send(w->fill(got));
  while (!*got) co_await w->next();
  co_return std::move(**got);
}

Task<Result<void>> make_dirs(std::shared_ptr<PartitionState> st) {
  Session& s = *st->session;
  auto parents = co_await create_parent_containers(s, st->path, open_acl_unsafe());
  if (!parents) co_return parents;
  for (const std::string& dir : {st->path, st->members_dir, st->owners_dir}) {
    for (int attempt = 0;; ++attempt) {
      CreateOptions persistent;
      auto made = co_await s.create(dir, "", persistent);
      if (made || made.code() == Errc::node_exists) break;
      if (!retryable(made.code()) || attempt >= 10) co_return made.error();
    }
  }
  co_return Result<void>();
}

// Creates our member node. node_exists from another live session: that error.
Task<Result<void>> join(std::shared_ptr<PartitionState> st) {
  Session& s = *st->session;
  for (int attempt = 0;; ++attempt) {
    CreateOptions ephemeral;
    ephemeral.mode = CreateMode::ephemeral;
    auto made = co_await s.create(st->member_path, st->options.member_data, ephemeral);
    if (made) {
      st->joined = true;
      co_return Result<void>();
    }
    if (made.code() == Errc::no_node && attempt < 5) {
      auto dirs = co_await make_dirs(st);
      if (!dirs) co_return dirs;
      continue;
    }
    if (made.code() == Errc::node_exists) {
      auto there = co_await s.exists(st->member_path);
      if (there && *there && (*there)->ephemeral_owner == s.session_id()) {  // ours, from a lost reply
        st->joined = true;
        co_return Result<void>();
      }
      if (there && !*there) continue;
      if (!there && !retryable(there.code())) co_return there.error();
      if (!there) continue;
      co_return Error(Errc::node_exists, "member id " + st->id + " of " + st->path + " is used by another session");
    }
    if (!retryable(made.code()) || attempt >= 10) co_return made.error();
  }
}

// The balance loop of one generation: read the members, give away what is no longer ours,
// take what is ours and free; again whenever the watch says something changed.
Task<void> balance(std::shared_ptr<PartitionState> st, std::uint64_t gen) {
  auto w = st->run;
  Session* s = st->session;
  st->running = true;
  auto current = [&] { return st->generation == gen && !st->stopping && !w->stopped(); };
  while (current()) {
    const std::uint64_t since = w->epoch();
    bool again = false;
    if (!session_alive(*s)) break;  // on_state released everything; rebind() starts anew
    if (st->suspended) {
      while (w->epoch() == since && !w->stopped()) co_await w->next();
      continue;
    }

    auto kids = co_await ask<Children>(w, [&](Callback<Children> done) { s->get_children(st->members_dir, {}, std::move(done)); });
    if (!current()) break;
    if (!kids) {
      if (kids.code() == Errc::no_node) {
        auto dirs = co_await make_dirs(st);
        (void)dirs;
        continue;
      }
      if (retryable(kids.code())) continue;  // sent again: it waits for the next connection
      while (w->epoch() == since && !w->stopped()) co_await w->next();
      continue;
    }
    std::sort(kids->names.begin(), kids->names.end());
    st->members = std::move(kids->names);
    if (!std::binary_search(st->members.begin(), st->members.end(), st->id)) {
      // Our member node is gone (deleted by someone): join again. Until then nothing is ours.
      st->joined = false;
      st->release_all();
      auto joined = co_await join(st);
      if (!current()) break;
      if (joined) continue;
      // Held by another session (our previous one, not yet expired): wait for it to go.
    }
    const std::vector<int> want = st->want();
    auto wanted = [&](int shard) { return std::binary_search(want.begin(), want.end(), shard); };

    // Give away first: told released, then the node goes.
    std::vector<int> give;
    for (int shard : st->held)
      if (!wanted(shard)) give.push_back(shard);
    for (int shard : give) {
      st->release(shard);
      auto removed = co_await ask<void>(w, [&](Callback<void> done) { s->remove(st->owner_path(shard), -1, std::move(done)); });
      if (st->generation != gen) break;
      if (removed || removed.code() == Errc::no_node) st->held.erase(shard);
      else again = true;
      if (!current()) break;
    }
    if (!current()) break;

    // Take what is ours: nodes we still hold (after a suspension) are checked, the others
    // created, all requests at once.
    struct Take {
      int shard;
      bool check;
      Slot<Created> made = make_slot<Created>();
      Slot<std::optional<Stat>> stat = make_slot<std::optional<Stat>>();
    };
    std::vector<Take> takes;
    CreateOptions ephemeral;
    ephemeral.mode = CreateMode::ephemeral;
    for (int shard : want) {
      if (st->owned.count(shard)) continue;
      Take t{shard, st->held.count(shard) > 0};
      if (t.check) s->exists(st->owner_path(shard), {}, w->fill(t.stat));
      else s->create(st->owner_path(shard), st->id, ephemeral, w->fill(t.made));
      takes.push_back(std::move(t));
    }
    std::vector<int> verify;  // node_exists: maybe ours from a create whose reply was lost
    for (auto& t : takes) {
      if (t.check) {
        while (!*t.stat) co_await w->next();
        if (st->generation != gen) continue;
        Result<std::optional<Stat>>& r = **t.stat;
        if (r && *r && (*r)->ephemeral_owner == s->session_id()) {
          if (current() && !st->suspended) st->acquire(t.shard, (*r)->czxid);
        } else if (r) {
          st->held.erase(t.shard);  // gone: create it next time
          again = true;
        } else {
          again = true;
        }
        continue;
      }
      while (!*t.made) co_await w->next();
      if (st->generation != gen) continue;  // rebound: that session's nodes go with it
      Result<Created>& r = **t.made;
      if (r) {
        st->held.insert(t.shard);
        if (current() && !st->suspended) st->acquire(t.shard, r->stat.czxid);
      } else if (r.code() == Errc::node_exists) {
        verify.push_back(t.shard);
      } else if (r.code() == Errc::no_node) {
        auto dirs = co_await make_dirs(st);
        (void)dirs;
        again = true;
      } else {
        again = true;  // connection_loss: node_exists next time if it landed
      }
    }
    for (int shard : verify) {
      auto there = co_await ask<std::optional<Stat>>(w, [&](Callback<std::optional<Stat>> done) {
        s->exists(st->owner_path(shard), {}, std::move(done));
      });
      if (st->generation != gen) break;
      if (there && *there && (*there)->ephemeral_owner == s->session_id()) {
        st->held.insert(shard);
        if (current() && !st->suspended) st->acquire(shard, (*there)->czxid);
      } else if (there && !*there) {
        again = true;  // let go meanwhile: try at once
      }
      // Held by another member: its deletion wakes us.
    }
    if (!current()) break;
    if (again) continue;
    while (w->epoch() == since && !w->stopped()) co_await w->next();
  }
  if (st->generation == gen) st->running = false;
  st->idle.wake_all();
}

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
  if (st->generation != gen || st->stopping) co_return Error(Errc::closing, "the partitioner " + st->path + " stopped");
  st->handle = std::move(h).value();
  auto joined = co_await join(st);
  if (!joined) co_return joined;
  if (st->generation != gen || st->stopping) co_return Error(Errc::closing, "the partitioner " + st->path + " stopped");
  spawn(balance(st, gen));
  co_return Result<void>();
}

Task<void> stop_impl(std::shared_ptr<PartitionState> st, bool tell) {
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

Task<Result<void>> fail_with(Error e) { co_return e; }

}  // namespace

}  // namespace detail

using detail::PartitionState;

Partitioner::Partitioner(Session& session, std::string path, std::string member_id, int shards,
                         PartitionerOptions options)
    : state_(std::make_shared<PartitionState>()) {
  auto& st = *state_;
  st.session = &session;
  st.path = std::move(path);
  st.members_dir = child_of(st.path, "members");
  st.owners_dir = child_of(st.path, "owners");
  st.id = std::move(member_id);
  st.member_path = child_of(st.members_dir, st.id);
  st.shards = shards;
  st.options = std::move(options);
}

Partitioner::Partitioner(Partitioner&&) noexcept = default;
Partitioner& Partitioner::operator=(Partitioner&& o) noexcept {
  if (this != &o) {
    if (state_ && !state_->stopping) spawn(detail::stop_impl(state_, false));
    state_ = std::move(o.state_);
  }
  return *this;
}
Partitioner::~Partitioner() {
  if (state_ && !state_->stopping) spawn(detail::stop_impl(state_, false));
}

void Partitioner::on_acquired(ShardListener listener) { state_->acquired_cb = std::move(listener); }
void Partitioner::on_released(ShardListener listener) { state_->released_cb = std::move(listener); }

Task<Result<void>> Partitioner::start() {
  auto& st = *state_;
  if (st.started || st.stopping)
    return detail::fail_with(Error(Errc::bad_arguments, "the partitioner " + st.path + " was started before"));
  if (st.shards < 1) return detail::fail_with(Error(Errc::bad_arguments, "a partitioner needs 1 shard or more"));
  if (auto v = validate_path(st.member_path); !v || st.id.empty() || st.id.find('/') != std::string::npos)
    return detail::fail_with(Error(Errc::bad_arguments, "bad partitioner path or member id: " + st.member_path));
  st.started = true;
  return detail::begin(state_);
}

Task<void> Partitioner::stop() { return detail::stop_impl(state_, true); }

Task<Result<void>> Partitioner::rebind(Session& session) {
  auto& st = *state_;
  if (st.stopping) return detail::fail_with(Error(Errc::closing, "the partitioner " + st.path + " is stopped"));
  st.release_all();
  st.held.clear();  // the old session's nodes go with it
  st.session = &session;
  st.started = true;
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

}  // namespace zkit::recipes
