#include "acl_commands.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "zkit/acl.hpp"

namespace zkit::cli {
namespace {

void print_acl(const Invocation& inv, const AclList& acl, std::int32_t aversion) {
  if (!inv.json) {
    for (const Acl& a : acl) std::printf("%s\n", acl::to_text(a).c_str());
    return;
  }
  nlohmann::json entries = nlohmann::json::array();
  for (const Acl& a : acl)
    entries.push_back({{"scheme", a.id.scheme}, {"id", a.id.id}, {"perms", acl::perms_text(a.perms)}});
  nlohmann::json out = {{"path", inv.path}, {"acl", entries}, {"aversion", aversion}};
  std::printf("%s\n", out.dump().c_str());
}

}  // namespace

const char* acl_usage(Verb verb) noexcept {
  if (verb == Verb::getacl) return R"(usage: zkit getacl PATH

Prints the ACL of PATH, one entry a line in zkCli's notation: scheme:id:perms (perms from
cdrwa). A session without ADMIN on the node sees digest ids masked by the server.
JSON: {"path":"/a","acl":[{"scheme":"world","id":"anyone","perms":"cdrwa"}],"aversion":0}
example: zkit getacl /config --auth digest:@/etc/zk/admin.digest
)";
  return R"(usage: zkit setacl PATH ACL [--version N]

Replaces the ACL of PATH. ACL: entries scheme:id:perms separated by ',' -- world:anyone,
auth:, digest:user:BASE64SHA1, ip:10.0.0.0/8, x509:SUBJECT-DN, sasl:name.
  --version N   only if the node's ACL version is N; -1 (default): any
example: zkit setacl /config 'digest:alice:HASH:cdrwa,world:anyone:r' --auth digest:alice:secret
)";
}

Result<void> run_acl_command(Client& client, const Invocation& inv) {
  if (inv.verb == Verb::getacl) {
    auto r = client.get_acl(inv.path);
    if (!r) return std::move(r).error();
    print_acl(inv, r->acl, r->stat.aversion);
    return {};
  }
  auto acl = acl::parse(inv.data.value_or(""));
  if (!acl) return std::move(acl).error();  // refused before anything is sent
  auto r = client.set_acl(inv.path, *acl, inv.version);
  if (!r) return std::move(r).error();
  print_acl(inv, *acl, r->aversion);
  return {};
}

}  // namespace zkit::cli
