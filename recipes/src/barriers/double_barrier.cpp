#include "zkit/recipes/barriers/double_barrier.hpp"

#include <algorithm>

#include "detail/ask.hpp"
#include "detail/paths.hpp"
#include "detail/wake.hpp"
#include "zkit/recipes/protected_create.hpp"

namespace zkit::recipes {

namespace {

using detail::ask;
using detail::child_path;
using detail::Wake;

Task<Result<void>> enter_impl(std::shared_ptr<Session> held, std::string path, std::string node, int count,
                              std::optional<std::chrono::milliseconds> timeout, CancelToken cancel) {
  Session* s = held.get();
  if (count < 1) co_return Error(Errc::bad_arguments, "a double barrier needs a member count of 1 or more");
  if (auto v = validate_path(path); !v) co_return v.error();
  auto w = std::make_shared<Wake>();
  detail::Bounds bounds(*s, w, timeout, std::move(cancel));
  const std::string ready = child_path(path, DoubleBarrier::kReadyNode);
  bool created = false;
  Result<void> out;
  for (;;) {
    if (auto e = w->ended()) {
      out = *e;
      break;
    }
    const std::uint64_t since = w->epoch();
    auto there = co_await ask<std::optional<Stat>>(*s, w, [&](Callback<std::optional<Stat>> done) {
      s->exists(ready, w->watcher(), std::move(done));
    });
    if (!there) {
      out = there.error();
      break;
    }
    if (!created) {
      CreateOptions ephemeral;
      ephemeral.mode = CreateMode::ephemeral;
      auto made = co_await ask<Created>(*s, w, [&](Callback<Created> done) { s->create(node, "", ephemeral, std::move(done)); });
      if (!made && made.code() == Errc::no_node) {
        auto parents = co_await create_parent_containers(*s, node, open_acl_unsafe());
        if (!parents) {
          out = parents.error();
          break;
        }
        continue;
      }
      if (!made && made.code() != Errc::node_exists) {  // node_exists: ours, from a lost reply
        out = made.error();
        break;
      }
      created = true;
    }
    if (there->has_value()) break;  // ready: everyone is in
    auto kids = co_await ask<Children>(*s, w, [&](Callback<Children> done) { s->get_children(path, {}, std::move(done)); });
    if (!kids) {
      out = kids.error();
      break;
    }
    auto members = std::count_if(kids->names.begin(), kids->names.end(),
                                 [](const std::string& n) { return n != DoubleBarrier::kReadyNode; });
    if (members >= count) {
      CreateOptions persistent;
      auto made = co_await ask<Created>(*s, w, [&](Callback<Created> done) { s->create(ready, "", persistent, std::move(done)); });
      if (!made && made.code() != Errc::node_exists) {
        out = made.error();
        break;
      }
      break;
    }
    // Not enough yet: wait for `ready` (our watch on it fires when it is made).
    while (w->epoch() == since && !w->ended()) co_await w->next();
  }
  if (!out && created && detail::session_alive(*s)) {
    auto removed = co_await guaranteed_remove(*s, node);  // do not count as a member
    (void)removed;
  }
  co_return out;
}

Task<Result<void>> leave_impl(std::shared_ptr<Session> held, std::string path, std::string node,
                              std::optional<std::chrono::milliseconds> timeout, CancelToken cancel) {
  Session* s = held.get();
  auto w = std::make_shared<Wake>();
  detail::Bounds bounds(*s, w, timeout, std::move(cancel));
  const std::string our = node.substr(node.rfind('/') + 1);
  bool ours_there = true;  // our node still has to be deleted
  for (;;) {
    if (auto e = w->ended()) co_return *e;
    const std::uint64_t since = w->epoch();
    auto kids = co_await ask<Children>(*s, w, [&](Callback<Children> done) { s->get_children(path, {}, std::move(done)); });
    std::vector<std::string> members;
    if (kids) {
      for (auto& n : kids->names)
        if (n != DoubleBarrier::kReadyNode) members.push_back(std::move(n));
    } else if (kids.code() != Errc::no_node) {
      co_return kids.error();
    }
    std::sort(members.begin(), members.end());
    if (members.empty()) break;
    bool present = std::find(members.begin(), members.end(), our) != members.end();
    if (!present) ours_there = false;  // gone already (deleted by us, or with an old session)
    if (members.size() == 1 && present) {
      ours_there = false;
      auto removed = co_await guaranteed_remove(*s, node);
      if (!removed) co_return removed.error();
      break;
    }
    // Wait for the highest remaining member to go (after deleting our own).
    const std::string highest = child_path(path, members.back());
    auto there = co_await ask<std::optional<Stat>>(*s, w, [&](Callback<std::optional<Stat>> done) {
      s->exists(highest, w->watcher(), std::move(done));
    });
    if (!there) co_return there.error();
    if (ours_there) {
      ours_there = false;
      auto removed = co_await guaranteed_remove(*s, node);
      if (!removed) co_return removed.error();
    }
    if (there->has_value())
      while (w->epoch() == since && !w->ended()) co_await w->next();
  }
  // Everyone left: take `ready` down for the next round.
  auto removed = co_await guaranteed_remove(*s, child_path(path, DoubleBarrier::kReadyNode));
  if (!removed && removed.code() != Errc::not_empty) co_return removed.error();
  co_return Result<void>();
}

}  // namespace

DoubleBarrier::DoubleBarrier(Session& session, std::string path, int member_count)
    : session_(std::make_shared<Session>(session.borrow())), path_(std::move(path)), member_count_(member_count) {
  node_ = child_path(path_, new_protected_id());
}

Task<Result<void>> DoubleBarrier::enter() {
  return enter_impl(session_, path_, node_, member_count_, std::nullopt, {});
}
Task<Result<void>> DoubleBarrier::enter(std::chrono::milliseconds timeout) {
  return enter_impl(session_, path_, node_, member_count_, timeout, {});
}
Task<Result<void>> DoubleBarrier::enter(std::chrono::milliseconds timeout, CancelToken cancel) {
  return enter_impl(session_, path_, node_, member_count_, timeout, std::move(cancel));
}

Task<Result<void>> DoubleBarrier::leave() { return leave_impl(session_, path_, node_, std::nullopt, {}); }
Task<Result<void>> DoubleBarrier::leave(std::chrono::milliseconds timeout) {
  return leave_impl(session_, path_, node_, timeout, {});
}
Task<Result<void>> DoubleBarrier::leave(std::chrono::milliseconds timeout, CancelToken cancel) {
  return leave_impl(session_, path_, node_, timeout, std::move(cancel));
}

}  // namespace zkit::recipes
