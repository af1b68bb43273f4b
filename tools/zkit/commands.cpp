#include "commands.hpp"

#include "acl_commands.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "admin_commands.hpp"
#include "session_stats.hpp"
#include "tree_commands.hpp"

namespace zkit::cli {
namespace {

// The DATA argument: as given, or standard input when it is "-".
Result<std::string> data_of(const Invocation& inv) {
  if (!inv.data) return std::string();
  if (*inv.data != "-") return *inv.data;
  std::string in;
  char buf[65536];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, stdin)) in.append(buf, n);
  if (std::ferror(stdin))
    return Error(Errc::bad_arguments, std::string("reading standard input: ") + std::strerror(errno));
  return in;
}

CreateMode mode_of(const Invocation& inv) {
  if (inv.container) return CreateMode::container;
  if (inv.ttl.count() > 0)
    return inv.sequential ? CreateMode::persistent_sequential_with_ttl
                          : CreateMode::persistent_with_ttl;
  if (inv.ephemeral)
    return inv.sequential ? CreateMode::ephemeral_sequential : CreateMode::ephemeral;
  return inv.sequential ? CreateMode::persistent_sequential : CreateMode::persistent;
}

}  // namespace

Result<void> run_operation(Client& client, const Invocation& inv, Printer& out) {
  const std::string& path = inv.path;
  switch (inv.verb) {
    case Verb::ls: {
      if (inv.recursive) return run_ls_recursive(client, inv, out);
      auto r = client.get_children(path);
      if (!r) return std::move(r).error();
      out.children(path, *r);
      return {};
    }
    case Verb::get: {
      auto r = client.get(path);
      if (!r) return std::move(r).error();
      out.data(path, *r, inv.raw);
      return {};
    }
    case Verb::stat: {
      auto r = client.exists(path);
      if (!r) return std::move(r).error();
      if (!*r) return Error(Errc::no_node, "no node at " + path);
      out.stat(path, **r);
      return {};
    }
    case Verb::set: {
      auto data = data_of(inv);
      if (!data) return std::move(data).error();
      auto r = client.set(path, *data, inv.version);
      if (!r) return std::move(r).error();
      out.updated(path, *r);
      return {};
    }
    case Verb::create: {
      auto data = data_of(inv);
      if (!data) return std::move(data).error();
      if (inv.parents)
        if (auto p = create_parents(client, path); !p) return p;
      // A view of the ACL (CreateOptions holds a reference): the flag's list or the open one.
      const AclList& acl = inv.security.acl ? *inv.security.acl : open_acl_unsafe();
      CreateOptions options{.mode = mode_of(inv), .acl = acl, .ttl = inv.ttl};
      auto r = client.create(path, *data, options);
      if (!r) return std::move(r).error();
      out.created(*r);
      return {};
    }
    case Verb::remove: {
      auto r = client.remove(path, inv.version);
      if (!r) return std::move(r).error();
      out.deleted(path);
      return {};
    }
    case Verb::getacl:
    case Verb::setacl: return run_acl_command(client, inv);
    case Verb::tree: return run_tree(client, inv, out);
    case Verb::find: return run_find(client, inv, out);
    case Verb::deleteall: return run_deleteall(client, inv, out);
    case Verb::dump: return run_dump(client, inv, out);
    case Verb::restore: return run_restore(client, inv, out);
    case Verb::sync: return run_sync(client, inv, out);
    case Verb::whoami: return run_whoami(client, out);
    case Verb::config: return run_config(client, out);
    case Verb::reconfig: return run_reconfig(client, inv, out);
    case Verb::stats: return run_stats_command(client, inv, out);
    default:
      return Error(Errc::bad_arguments, std::string(name_of(inv.verb)) + " is not an operation");
  }
}

}  // namespace zkit::cli
