#include "zkit/recipes/locks/multi_lock.hpp"

#include <algorithm>
#include <optional>

#include "detail/lifetime.hpp"
#include "detail/listeners.hpp"
#include "detail/wake.hpp"

namespace zkit::recipes {

namespace detail {

struct MultiLockState : std::enable_shared_from_this<MultiLockState> {
  std::vector<std::string> paths;
  std::vector<Mutex> members;  // one per path, in acquisition order
  ListenerSet<OwnershipEvent> listeners;

  int holds = 0;  // acquisitions not yet released
  int owed = 0;   // releases owed for holds that were lost or closed
  std::vector<FencingToken> tokens;
  bool suspended_told = false;  // `suspended` is told once per hold, whichever member saw it
  bool acquiring = false;
  std::optional<CancelSource> stop;  // the acquire in progress; close() cancels it
  WaitSet idle;                      // close() waits here for that acquire to end
  bool closed = false;

  void on_member(OwnershipEvent e);
  // A member was lost while we held: the whole set is, and the rest is released at once.
  void lose();
};

namespace {

// Runs a member's release to its end in the background (its frame keeps the lock's state).
Task<void> release_quietly(Task<Result<void>> release) {
  auto r = co_await std::move(release);
  (void)r;
}

Error about(const std::string& path, const Error& e) { return Error(e.code(), path + ": " + e.message()); }

// Releases the first `count` members, last first; the first error, naming its path.
Task<Result<void>> release_members(std::shared_ptr<MultiLockState> m, std::size_t count) {
  Result<void> out;
  for (std::size_t i = count; i-- > 0;) {
    auto r = co_await m->members[i].release();
    if (!r && out) out = about(m->paths[i], r.error());
  }
  co_return out;
}

Result<void> check_paths(const std::vector<std::string>& paths) {
  if (paths.empty()) return Error(Errc::bad_arguments, "a multi-lock needs at least one path");
  std::vector<std::string> sorted = paths;
  std::sort(sorted.begin(), sorted.end());
  // Two members on one path would wait for each other until the timeout.
  if (auto d = std::adjacent_find(sorted.begin(), sorted.end()); d != sorted.end())
    return Error(Errc::bad_arguments, "a multi-lock names " + *d + " twice");
  return {};
}

}  // namespace

void MultiLockState::on_member(OwnershipEvent e) {
  if (holds == 0) return;  // an acquire in progress looks at its members itself
  switch (e) {
    case OwnershipEvent::suspended:
      if (!std::exchange(suspended_told, true)) listeners.notify(OwnershipEvent::suspended);
      break;
    case OwnershipEvent::reconnected:
      if (std::exchange(suspended_told, false)) listeners.notify(OwnershipEvent::reconnected);
      break;
    case OwnershipEvent::lost:
      lose();
      break;
    case OwnershipEvent::acquired:
      break;
  }
}

void MultiLockState::lose() {
  owed += std::exchange(holds, 0);
  tokens.clear();
  suspended_told = false;
  // Every member gets its release now, in reverse order: held ones delete their nodes, lost
  // ones settle the release they are owed. Started synchronously, so an acquire that follows
  // finds every member free.
  for (std::size_t i = members.size(); i-- > 0;) spawn(release_quietly(members[i].release()));
  listeners.notify(OwnershipEvent::lost);
}

Task<Result<std::vector<FencingToken>>> multi_acquire(std::shared_ptr<MultiLockState> m,
                                                      std::optional<std::chrono::milliseconds> timeout,
                                                      CancelToken cancel) {
  using Clock = std::chrono::steady_clock;
  if (m->closed) co_return Error(Errc::closing, "the multi-lock is closed");
  if (m->holds > 0) {
    ++m->holds;
    co_return m->tokens;
  }
  if (m->acquiring) co_return Error(Errc::bad_arguments, "an acquire already waits on this multi-lock");
  if (auto ok = check_paths(m->paths); !ok) co_return ok.error();
  m->acquiring = true;
  CancelSource stop;
  m->stop = stop;
  auto subscription = cancel.subscribe([stop]() mutable { stop.cancel(); });
  const auto deadline = timeout ? std::optional(Clock::now() + *timeout) : std::nullopt;

  // A restart needs a member lost during the acquisition (a connection loss): a handful in a
  // row means the session cannot keep anything, and the caller should hear about it.
  constexpr int kMaxRestarts = 8;
  std::optional<Result<std::vector<FencingToken>>> out;
  for (int attempt = 0; !out; ++attempt) {
    std::vector<FencingToken> got;
    std::optional<Error> failed;
    for (std::size_t i = 0; i < m->members.size(); ++i) {
      std::optional<std::chrono::milliseconds> left;
      if (deadline)
        left = std::max(std::chrono::milliseconds(0),
                        std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()));
      Result<FencingToken> r = Error(Errc::closing);
      if (left) r = co_await m->members[i].acquire(*left, stop.token());
      else r = co_await m->members[i].acquire(stop.token());
      if (!r) {
        failed = m->closed ? Error(Errc::closing, "the multi-lock is closed") : about(m->paths[i], r.error());
        break;
      }
      got.push_back(*r);
    }
    bool all_held = !failed && !m->closed;
    for (std::size_t i = 0; all_held && i < got.size(); ++i) all_held = m->members[i].is_held();
    if (all_held) {
      out.emplace(std::move(got));
      break;
    }
    auto released = co_await release_members(m, got.size());
    (void)released;  // what failed the acquisition is the error that matters
    if (m->closed) out.emplace(Error(Errc::closing, "the multi-lock is closed"));
    else if (failed) out.emplace(*failed);
    else if (attempt >= kMaxRestarts)
      out.emplace(Error(Errc::connection_loss, "multi-lock members kept being lost while acquiring"));
  }
  cancel.unsubscribe(subscription);
  m->stop.reset();
  m->acquiring = false;
  m->idle.wake_all();
  if (!*out) co_return std::move(*out);
  m->holds = 1;
  m->tokens = **out;
  m->suspended_told = false;
  co_return std::move(*out);
}

Task<Result<void>> multi_release(std::shared_ptr<MultiLockState> m) {
  if (m->holds == 0) {
    if (m->owed > 0) {
      --m->owed;  // lost (its members were released then) or closed: nothing to do
      co_return Result<void>();
    }
    co_return Error(Errc::bad_arguments, "the multi-lock is not held by this object");
  }
  if (--m->holds > 0) co_return Result<void>();
  m->tokens.clear();
  m->suspended_told = false;
  co_return co_await release_members(m, m->members.size());
}

Task<void> multi_close(std::shared_ptr<MultiLockState> m) {
  if (m->closed) co_return;
  m->closed = true;
  m->listeners.clear();
  if (m->stop) m->stop->cancel();
  auto w = std::make_shared<Wake>();
  m->idle.add(w);
  while (m->acquiring) co_await w->next();  // it releases what it took before it ends
  m->idle.remove(w);
  if (m->holds > 0) {
    m->owed += std::exchange(m->holds, 0);
    m->tokens.clear();
    auto r = co_await release_members(m, m->members.size());
    (void)r;
  }
  for (auto& member : m->members) co_await member.close();
}

bool needs_close(const MultiLockState& m) { return !m.closed; }
Task<void> close_quietly(std::shared_ptr<MultiLockState> m) { return multi_close(std::move(m)); }

}  // namespace detail

MultiLock::MultiLock(Session& session, std::vector<std::string> paths, MutexOptions options)
    : state_(std::make_shared<detail::MultiLockState>()) {
  state_->paths = std::move(paths);
  state_->members.reserve(state_->paths.size());
  std::weak_ptr<detail::MultiLockState> weak = state_;
  for (const auto& p : state_->paths) {
    state_->members.emplace_back(session, p, options);
    state_->members.back().add_listener([weak](OwnershipEvent e) {
      if (auto self = weak.lock()) self->on_member(e);
    });
  }
}

MultiLock::MultiLock(MultiLock&&) noexcept = default;
MultiLock& MultiLock::operator=(MultiLock&& o) noexcept {
  detail::take_state(state_, o.state_);
  return *this;
}

MultiLock::~MultiLock() { detail::close_in_background(state_); }

Task<Result<std::vector<FencingToken>>> MultiLock::acquire() {
  return detail::multi_acquire(state_, std::nullopt, CancelToken());
}
Task<Result<std::vector<FencingToken>>> MultiLock::acquire(std::chrono::milliseconds timeout) {
  return detail::multi_acquire(state_, timeout, CancelToken());
}
Task<Result<std::vector<FencingToken>>> MultiLock::acquire(CancelToken cancel) {
  return detail::multi_acquire(state_, std::nullopt, std::move(cancel));
}
Task<Result<std::vector<FencingToken>>> MultiLock::acquire(std::chrono::milliseconds timeout, CancelToken cancel) {
  return detail::multi_acquire(state_, timeout, std::move(cancel));
}
Task<Result<void>> MultiLock::release() { return detail::multi_release(state_); }
Task<void> MultiLock::close() { return detail::multi_close(state_); }

bool MultiLock::is_held() const noexcept { return state_->holds > 0; }
int MultiLock::hold_count() const noexcept { return state_->holds; }
std::vector<FencingToken> MultiLock::tokens() const { return state_->tokens; }
std::vector<std::string> MultiLock::node_paths() const {
  std::vector<std::string> out;
  if (state_->holds == 0) return out;
  for (const auto& m : state_->members) out.push_back(m.node_path());
  return out;
}
const std::vector<std::string>& MultiLock::paths() const noexcept { return state_->paths; }

MultiLock::ListenerId MultiLock::add_listener(OwnershipListener listener) {
  return state_->listeners.add(std::move(listener));
}
void MultiLock::remove_listener(ListenerId id) { state_->listeners.remove(id); }

}  // namespace zkit::recipes
