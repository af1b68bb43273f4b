#include "zkit/recipes/barriers/barrier.hpp"

#include "detail/wake.hpp"
#include "zkit/recipes/protected_create.hpp"

namespace zkit::recipes {

namespace {

Task<Result<void>> set_impl(std::shared_ptr<Session> held, std::string path) {
  Session* s = held.get();
  for (int attempt = 0;; ++attempt) {
    CreateOptions persistent;
    auto made = co_await s->create(path, "", persistent);
    if (made || made.code() == Errc::node_exists) co_return Result<void>();
    if (made.code() == Errc::no_node && attempt < 5) {
      auto parents = co_await create_parent_containers(*s, path, open_acl_unsafe());
      if (!parents) co_return parents.error();
      continue;
    }
    // A create whose reply was lost comes back as node_exists next time.
    if (!detail::retryable(made.code()) || attempt >= 10) co_return made.error();
  }
}

Task<Result<bool>> is_set_impl(std::shared_ptr<Session> held, std::string path) {
  Session* s = held.get();
  for (int attempt = 0;; ++attempt) {
    auto r = co_await s->exists(path);
    if (r) co_return r->has_value();
    if (!detail::retryable(r.code()) || attempt >= 10) co_return r.error();
  }
}

Task<Result<void>> wait_impl(std::shared_ptr<Session> held, std::string path,
                             std::optional<std::chrono::milliseconds> timeout, CancelToken cancel) {
  Session* s = held.get();
  auto w = std::make_shared<detail::Wake>();
  detail::Bounds bounds(*s, w, timeout, std::move(cancel));
  for (;;) {
    if (auto e = w->ended()) co_return *e;
    const std::uint64_t since = w->epoch();
    auto got = detail::make_slot<std::optional<Stat>>();
    s->exists(path, w->watcher(), w->fill(got));
    while (!*got && !w->abandon(*s)) co_await w->next();
    if (!*got) co_return *w->ended();
    Result<std::optional<Stat>>& r = **got;
    if (!r) {
      if (detail::retryable(r.code()) && detail::session_alive(*s)) continue;
      co_return r.error();
    }
    if (!r->has_value()) co_return Result<void>();
    // Up: until the watch fires (deleted, changed, or the session ended), then look again.
    while (w->epoch() == since && !w->ended()) co_await w->next();
  }
}

}  // namespace

Barrier::Barrier(Session& session, std::string path)
    : session_(std::make_shared<Session>(session.borrow())), path_(std::move(path)) {}

Task<Result<void>> Barrier::set() { return set_impl(session_, path_); }
namespace {
Task<Result<void>> remove_impl(std::shared_ptr<Session> held, std::string path) {
  co_return co_await guaranteed_remove(*held, path);
}
}  // namespace

Task<Result<void>> Barrier::remove() { return remove_impl(session_, path_); }
Task<Result<bool>> Barrier::is_set() { return is_set_impl(session_, path_); }

Task<Result<void>> Barrier::wait() { return wait_impl(session_, path_, std::nullopt, {}); }
Task<Result<void>> Barrier::wait(std::chrono::milliseconds timeout) {
  return wait_impl(session_, path_, timeout, {});
}
Task<Result<void>> Barrier::wait(CancelToken cancel) {
  return wait_impl(session_, path_, std::nullopt, std::move(cancel));
}
Task<Result<void>> Barrier::wait(std::chrono::milliseconds timeout, CancelToken cancel) {
  return wait_impl(session_, path_, timeout, std::move(cancel));
}

}  // namespace zkit::recipes
