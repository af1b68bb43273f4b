// The group's nodes: its folders, and our member node.
#include "sharding/partition_state.hpp"
#include "zkit/recipes/protected_create.hpp"

namespace zkit::recipes::detail {

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

Task<Result<void>> join_group(std::shared_ptr<PartitionState> st) {
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

}  // namespace zkit::recipes::detail
