// The balance loop: read the members, give away what is no longer ours, take what is ours.
#include <algorithm>

#include "detail/ask.hpp"
#include "sharding/partition_state.hpp"

namespace zkit::recipes::detail {

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

    auto kids = co_await ask_until_reply<Children>(w, [&](Callback<Children> done) { s->get_children(st->members_dir, {}, std::move(done)); });
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
      auto joined = co_await join_group(st);
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
      auto removed = co_await ask_until_reply<void>(w, [&](Callback<void> done) { s->remove(st->owner_path(shard), -1, std::move(done)); });
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
      auto there = co_await ask_until_reply<std::optional<Stat>>(w, [&](Callback<std::optional<Stat>> done) {
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

}  // namespace zkit::recipes::detail
