#include "commands.hpp"

#include "acl_commands.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

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
      auto r = client.get_children(path);
      if (!r) return std::move(r).error();
      out.children(path, *r);
      return {};
    }
    case Verb::get: {
      auto r = client.get(path);
      if (!r) return std::move(r).error();
      out.data(path, *r);
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
      CreateOptions options{.mode = mode_of(inv), .acl = inv.security.acl.value_or(open_acl_unsafe()), .ttl = inv.ttl};
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
    default:
      return Error(Errc::bad_arguments, std::string(name_of(inv.verb)) + " is not an operation");
  }
}

}  // namespace zkit::cli
