#include "zkit/recipes/locks/lock_engine.hpp"

#include <algorithm>
#include <numeric>

#include "detail/engine.hpp"

namespace zkit::recipes {

LockRule exclusive_rule(int max_leases) {
  std::size_t n = static_cast<std::size_t>(std::max(1, max_leases));
  return [n](const std::vector<std::string>& sorted, std::size_t ours) -> LockDecision {
    if (ours < n) return {true, {}};
    return {false, sorted[ours - n]};
  };
}

LockRule shared_rule(std::string writer_marker) {
  return [m = std::move(writer_marker)](const std::vector<std::string>& sorted, std::size_t ours) -> LockDecision {
    for (std::size_t i = ours; i-- > 0;)
      if (sorted[i].find(m) != std::string::npos) return {false, sorted[i]};
    return {true, {}};
  };
}

bool is_kazoo_contender(std::string_view child, const std::vector<std::string>& markers) noexcept {
  for (const auto& m : markers) {
    auto at = child.rfind(m);
    if (m.empty() || at == std::string_view::npos) continue;
    std::string_view seq = child.substr(at + m.size());
    if (!seq.empty() && seq.front() == '-') seq.remove_prefix(1);  // a sequence past 2^31 wraps negative
    if (seq.size() == 10 && std::all_of(seq.begin(), seq.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return true;
  }
  return false;
}

std::string_view sequence_of(std::string_view child, std::string_view marker) noexcept {
  if (marker.empty()) return child;
  auto at = child.rfind(marker);
  return at == std::string_view::npos ? child : child.substr(at + marker.size());
}

void sort_children(std::vector<std::string>& children, const std::vector<std::string>& markers) {
  std::vector<std::string_view> keys;
  keys.reserve(children.size());
  for (const auto& c : children) {
    std::string_view k = c;
    for (const auto& m : markers) k = sequence_of(k, m);
    keys.push_back(k);
  }
  std::vector<std::size_t> order(children.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (keys[a] != keys[b]) return keys[a] < keys[b];
    return children[a] < children[b];
  });
  std::vector<std::string> sorted;
  sorted.reserve(children.size());
  for (std::size_t i : order) sorted.push_back(std::move(children[i]));
  children = std::move(sorted);
}

namespace detail {

namespace {

// How often our node may vanish under us (deleted by someone else) before acquire gives up.
constexpr int kMaxRounds = 3;

struct CreateSlot {
  std::optional<Result<Created>> result;
  bool abandoned = false;
  std::weak_ptr<Wake> wake;
};

// Takes its own handle: abandoned, it runs on after the recipe that started it may be gone.
Task<void> run_create(Session held, std::string path, std::string data, ProtectedCreateOptions options,
                      std::shared_ptr<CreateSlot> slot) {
  Session* s = &held;
  auto r = co_await protected_create(*s, path, data, options);
  if (slot->abandoned) {
    if (r) {
      auto removed = co_await guaranteed_remove(*s, r->path);
      (void)removed;
    }
    co_return;
  }
  slot->result.emplace(std::move(r));
  if (auto w = slot->wake.lock()) w->poke();
}

}  // namespace

Task<Result<Created>> create_raced(Session* s, std::string path, std::string data, ProtectedCreateOptions options,
                                   std::shared_ptr<Wake> w) {
  auto slot = std::make_shared<CreateSlot>();
  slot->wake = w;
  spawn(run_create(s->borrow(), std::move(path), std::move(data), std::move(options), slot));
  while (!slot->result && !w->abandon(*s)) co_await w->next();
  if (!slot->result) {
    slot->abandoned = true;
    co_return *w->ended();
  }
  co_return std::move(*slot->result);
}

Task<Result<Grant>> acquire_node(std::shared_ptr<Engine> e, std::shared_ptr<Wake> w) {
  Session* s = e->session;
  const LockSpec& spec = e->spec;
  std::vector<std::string> markers = spec.sort_markers;
  if (markers.empty()) markers.push_back(spec.marker);
  ProtectedCreateOptions create_options;
  create_options.mode = CreateMode::ephemeral_sequential;
  const bool kazoo = spec.layout == LockLayout::kazoo;
  if (kazoo) {
    // kazoo's Lock: `<uuid4().hex><marker><seq>`, found again by the hex after a lost reply.
    std::string hex = new_protected_id();
    std::erase(hex, '-');
    create_options.prefix = std::move(hex);
    create_options.persistent_parents = true;
  }
  std::string base = child_path(spec.path, spec.marker);

  for (int round = 0; round < kMaxRounds; ++round) {
    if (auto end = w->ended()) co_return *end;
    auto created = co_await create_raced(s, base, spec.data, create_options, w);
    if (!created) co_return created.error();
    const std::string ours = created->path;
    const std::string our_name = node_name(ours);
    const FencingToken token{created->stat.czxid};

    // From here on, every way out but a grant deletes our node.
    std::optional<Error> failed;
    bool session_gone_by_request = false;
    bool vanished = false;
    while (!failed && !vanished) {
      if (w->abandon(*s)) {
        failed = *w->ended();
        break;
      }
      auto kids = make_slot<Children>();
      s->get_children(spec.path, {}, w->fill(kids));
      while (!*kids && !w->abandon(*s)) co_await w->next();
      if (!*kids) continue;  // abandoned: the loop's head says why
      Result<Children>& listed = **kids;
      if (!listed) {
        if (retryable(listed.code())) continue;
        if (listed.code() == Errc::no_node) {
          vanished = true;  // the lock node went, and ours with it
          break;
        }
        failed = listed.error();
        session_gone_by_request = session_gone(listed.code());
        break;
      }
      std::vector<std::string> names = std::move(listed->names);
      if (kazoo) std::erase_if(names, [&](const std::string& n) { return !is_kazoo_contender(n, markers); });
      sort_children(names, markers);
      auto at = std::find(names.begin(), names.end(), our_name);
      if (at == names.end()) {
        vanished = true;
        break;
      }
      LockDecision d = e->rule(names, static_cast<std::size_t>(at - names.begin()));
      if (d.holds) {
        if (spec.verify_owner) {
          auto stat = make_slot<std::optional<Stat>>();
          s->exists(ours, {}, w->fill(stat));
          while (!*stat && !w->abandon(*s)) co_await w->next();
          if (!*stat) continue;
          Result<std::optional<Stat>>& st = **stat;
          if (!st) {
            if (retryable(st.code())) continue;
            failed = st.error();
            session_gone_by_request = session_gone(st.code());
            break;
          }
          if (!*st || (*st)->ephemeral_owner != s->session_id()) {
            vanished = true;  // not ours (any more): start over with a new node
            break;
          }
        }
        co_return Grant{ours, token};
      }
      if (auto late = w->timed_out()) {
        failed = *late;
        break;
      }
      // Wait on the one node that matters; a data watch (get) leaves no watch behind on a
      // node that does not exist, unlike exists().
      std::uint64_t since = w->epoch();
      auto got = make_slot<Data>();
      s->get(child_path(spec.path, d.watch), w->watcher(), w->fill(got));
      while (!*got && !w->abandon(*s)) co_await w->next();
      if (!*got) continue;
      Result<Data>& watched = **got;
      if (!watched) {
        if (watched.code() == Errc::no_node || retryable(watched.code())) continue;  // re-check at once
        failed = watched.error();
        session_gone_by_request = session_gone(watched.code());
        break;
      }
      while (w->epoch() == since && !w->ended()) co_await w->next();
    }
    if (failed) {
      // After the session ended (or the Session is going away) it must not be called again;
      // the server deleted our ephemeral node anyway.
      if (!session_gone_by_request) co_await drop_node(s, ours);
      co_return *failed;
    }
    // vanished: make a new node (the old one is gone, or was never ours).
  }
  co_return Error(Errc::no_node, "our lock node under " + spec.path + " kept vanishing (deleted by someone else?)");
}

}  // namespace detail

}  // namespace zkit::recipes
