#include "api/arguments.hpp"

#include <string>

#include "zkit/options.hpp"

namespace zkit::api {
namespace {
constexpr std::int64_t kMaxTtl = (std::int64_t{1} << 40) - 1;
}

Result<void> validate_acl(const AclList& acl) {
  if (acl.empty()) return Error(Errc::invalid_acl, "ACL is empty: the server refuses a node no one may access");
  for (const Acl& a : acl) {
    if (a.perms == 0 || (a.perms & ~perm_all) != 0)
      return Error(Errc::invalid_acl, "ACL entry for " + a.id.scheme + ":" + a.id.id +
                                          " has invalid permission bits " + std::to_string(a.perms));
    if (a.id.scheme.empty()) return Error(Errc::invalid_acl, "ACL entry has an empty scheme");
  }
  return {};
}

Result<proto::Op> check_create(std::string_view path, const CreateOptions& o) {
  bool sequential = o.mode == CreateMode::persistent_sequential || o.mode == CreateMode::ephemeral_sequential ||
                    o.mode == CreateMode::persistent_sequential_with_ttl;
  bool ttl_mode = o.mode == CreateMode::persistent_with_ttl || o.mode == CreateMode::persistent_sequential_with_ttl;
  if (auto v = validate_path(path, sequential); !v) return std::move(v).error();
  if (static_cast<int>(o.mode) < 0 || static_cast<int>(o.mode) > 6) return Error(Errc::bad_arguments, "unknown create mode");
  if (ttl_mode && (o.ttl.count() <= 0 || o.ttl.count() > kMaxTtl))
    return Error(Errc::bad_arguments, "a TTL mode needs a ttl between 1 ms and 2^40-1 ms");
  if (!ttl_mode && o.ttl.count() != 0) return Error(Errc::bad_arguments, "ttl given for a mode without TTL");
  if (auto v = validate_acl(o.acl); !v) return std::move(v).error();
  // Containers and TTL nodes have opcodes of their own: through create they would silently
  // become plain persistent nodes (protocol doc §6.3).
  return o.mode == CreateMode::container ? proto::Op::create_container
         : ttl_mode                      ? proto::Op::create_ttl
                                         : proto::Op::create2;
}

}  // namespace zkit::api
