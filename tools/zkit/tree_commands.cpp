#include "tree_commands.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <functional>
#include <iterator>

#include "json_fields.hpp"

namespace zkit::cli {
namespace {

using json = nlohmann::ordered_json;

std::string child_path(std::string_view parent, std::string_view name) {
  return (parent == "/" ? std::string() : std::string(parent)) + "/" + std::string(name);
}

std::string_view last_name(std::string_view path) {
  return path == "/" ? path : path.substr(path.rfind('/') + 1);
}

Result<std::vector<std::string>> sorted_children(Client& client, const std::string& path) {
  auto r = client.get_children(path);
  if (!r) return std::move(r).error();
  std::sort(r->names.begin(), r->names.end());
  return std::move(r->names);
}

// Visits `path` and its descendants depth first, parents before children, children sorted.
// A node deleted while we walk is skipped: the walk shows what was there when it got to it.
Result<void> walk(Client& client, const std::string& path, int depth,
                  const std::function<Result<void>(const std::string&, int)>& visit,
                  bool skip_zookeeper = false) {
  if (auto r = visit(path, depth); !r) return r;
  auto names = sorted_children(client, path);
  if (!names) return names.error() == Errc::no_node && depth > 0 ? Result<void>() : names.error();
  for (auto& name : *names) {
    std::string child = child_path(path, name);
    if (skip_zookeeper && child == "/zookeeper") continue;
    if (auto r = walk(client, child, depth + 1, visit, skip_zookeeper); !r) return r;
  }
  return {};
}

// The subtree as {"path","name","children"} for tree --json, and its drawing for tree.
Result<json> subtree(Client& client, const std::string& path) {
  json node{{"path", path}, {"name", std::string(last_name(path))}, {"children", json::array()}};
  auto names = sorted_children(client, path);
  if (!names) return names.error();
  for (auto& name : *names) {
    auto child = subtree(client, child_path(path, name));
    if (!child && child.error() == Errc::no_node) continue;  // gone meanwhile
    if (!child) return child.error();
    node["children"].push_back(std::move(*child));
  }
  return node;
}

void draw(const json& node, const std::string& indent, std::vector<std::string>& lines) {
  const auto& children = node["children"];
  for (std::size_t i = 0; i < children.size(); ++i) {
    bool last = i + 1 == children.size();
    lines.push_back(indent + (last ? "└── " : "├── ") + children[i]["name"].get<std::string>());
    draw(children[i], indent + (last ? "    " : "│   "), lines);
  }
}

// How a node was created, as far as its Stat tells: ZooKeeper marks containers and TTL nodes
// in ephemeralOwner (EphemeralType: 0x8000000000000000, and 0xFF.. with the TTL below).
struct NodeMode {
  std::string name;
  std::int64_t ttl_ms = 0;
};

NodeMode mode_of(const Stat& s) {
  auto owner = static_cast<std::uint64_t>(s.ephemeral_owner);
  if (owner == 0) return {"persistent"};
  if (owner == 0x8000000000000000ULL) return {"container"};
  if ((owner >> 56) == 0xff) return {"persistent_with_ttl", static_cast<std::int64_t>(owner & 0x00ffffffffffffffULL)};
  return {"ephemeral"};
}

std::string read_all(std::istream& in) {
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// One node of a dump, checked.
struct DumpNode {
  std::string path;
  std::string data;
  CreateOptions options;  // mode and ttl; the ACL is `acl` (CreateOptions only refers to one)
  AclList acl;            // empty: the open ACL
  bool ephemeral = false;
};

Result<DumpNode> node_from(const json& j, std::size_t index) {
  std::string where = "nodes[" + std::to_string(index) + "]";
  if (!j.is_object()) return Error(Errc::bad_arguments, where + ": expected an object");
  DumpNode n;
  auto path = j.find("path");
  if (path == j.end() || !path->is_string())
    return Error(Errc::bad_arguments, where + ".path: expected a string");
  n.path = path->get<std::string>();
  if (auto ok = validate_path(n.path, false); !ok)
    return Error(Errc::bad_arguments, where + ".path: " + ok.error().message());
  auto data = data_from(j, where);
  if (!data) return data.error();
  n.data = std::move(*data);
  std::string mode = j.value("mode", std::string("persistent"));
  if (mode == "persistent") n.options.mode = CreateMode::persistent;
  else if (mode == "container") n.options.mode = CreateMode::container;
  else if (mode == "ephemeral") n.ephemeral = true;
  else if (mode == "persistent_with_ttl") {
    auto ttl = j.find("ttl_ms");
    if (ttl == j.end() || !ttl->is_number_integer() || ttl->get<std::int64_t>() <= 0)
      return Error(Errc::bad_arguments, where + ".ttl_ms: expected milliseconds > 0");
    n.options.mode = CreateMode::persistent_with_ttl;
    n.options.ttl = std::chrono::milliseconds(ttl->get<std::int64_t>());
  } else {
    return Error(Errc::bad_arguments, where + ".mode: expected persistent, container, "
                                              "persistent_with_ttl or ephemeral, got '" + mode + "'");
  }
  if (auto acl = j.find("acl"); acl != j.end()) {
    if (!acl->is_array() || acl->empty())
      return Error(Errc::bad_arguments, where + ".acl: expected a non-empty array");
    for (std::size_t k = 0; k < acl->size(); ++k) {
      const json& a = (*acl)[k];
      std::string at = where + ".acl[" + std::to_string(k) + "]";
      if (!a.is_object() || !a.contains("perms") || !a["perms"].is_number_integer() ||
          !a.contains("scheme") || !a["scheme"].is_string() || !a.contains("id") ||
          !a["id"].is_string())
        return Error(Errc::bad_arguments, at + ": expected {\"perms\":N,\"scheme\":S,\"id\":S}");
      n.acl.push_back(Acl{a["perms"].get<std::int32_t>(),
                          Id{a["scheme"].get<std::string>(), a["id"].get<std::string>()}});
    }
  }
  return n;
}

// The paths of the subtree whose last name matches `glob` (empty: every one), printed one a
// line or as {"path":..,key:[...]}.
Result<void> print_matches(Client& client, const Invocation& inv, Printer& out,
                           const std::string& glob, const char* key) {
  std::vector<std::string> paths;
  auto r = walk(client, inv.path, 0, [&](const std::string& p, int) -> Result<void> {
    std::string name(last_name(p));
    if (glob.empty() || fnmatch(glob.c_str(), name.c_str(), 0) == 0) paths.push_back(p);
    return {};
  });
  if (!r) return r;
  if (out.is_json()) {
    out.object(json{{"path", inv.path}, {key, paths}});
    return {};
  }
  for (auto& p : paths) out.line(p);
  return {};
}

}  // namespace

Result<void> run_ls_recursive(Client& client, const Invocation& inv, Printer& out) {
  return print_matches(client, inv, out, "", "paths");
}

Result<void> run_tree(Client& client, const Invocation& inv, Printer& out) {
  auto tree = subtree(client, inv.path);
  if (!tree) return tree.error();
  if (out.is_json()) {
    out.object(*tree);
    return {};
  }
  std::vector<std::string> lines{inv.path};
  draw(*tree, "", lines);
  for (auto& l : lines) out.line(l);
  return {};
}

Result<void> run_find(Client& client, const Invocation& inv, Printer& out) {
  return print_matches(client, inv, out, inv.name_glob, "matches");
}

Result<void> run_deleteall(Client& client, const Invocation& inv, Printer& out) {
  if (inv.path == "/" || inv.path == "/zookeeper" || inv.path.starts_with("/zookeeper/"))
    return Error(Errc::bad_arguments, "deleteall refuses " + inv.path +
                                          ": it is the root or the server's own subtree");
  std::int64_t deleted = 0;
  // Deepest first; a child created meanwhile (not_empty) sends us round again, a bounded
  // number of times, so a busy parent cannot keep us here forever.
  std::function<Result<void>(const std::string&)> remove_tree = [&](const std::string& path) -> Result<void> {
    for (int round = 0; round < 10; ++round) {
      auto names = sorted_children(client, path);
      if (!names) return names.error() == Errc::no_node ? Result<void>() : names.error();
      for (auto& name : *names)
        if (auto r = remove_tree(child_path(path, name)); !r) return r;
      auto r = client.remove(path);
      if (r) {
        ++deleted;
        return {};
      }
      if (r.error() == Errc::no_node) return {};
      if (r.error() != Errc::not_empty) return r;
    }
    return Error(Errc::not_empty, path + " kept getting new children; gave up after 10 rounds");
  };
  if (auto e = client.exists(inv.path); !e) return std::move(e).error();
  else if (!*e) return Error(Errc::no_node, "no node at " + inv.path);
  if (auto r = remove_tree(inv.path); !r) return r;
  if (out.is_json()) out.object(json{{"path", inv.path}, {"deleted", deleted}});
  else out.line("deleted " + inv.path + " (" + std::to_string(deleted) + " node" + (deleted == 1 ? "" : "s") + ")");
  return {};
}

Result<void> run_dump(Client& client, const Invocation& inv, Printer& out) {
  json nodes = json::array();
  auto r = walk(
      client, inv.path, 0,
      [&](const std::string& p, int depth) -> Result<void> {
        auto d = client.get(p);
        if (!d && d.error() == Errc::no_node && depth > 0) return {};
        if (!d) return std::move(d).error();
        auto acl = client.get_acl(p);
        if (!acl && acl.error() == Errc::no_node && depth > 0) return {};
        if (!acl) return std::move(acl).error();
        NodeMode mode = mode_of(d->stat);
        json n{{"path", p}, {"mode", mode.name}};
        if (mode.ttl_ms > 0) n["ttl_ms"] = mode.ttl_ms;
        put_data(n, d->data);
        json acls = json::array();
        for (auto& a : acl->acl) acls.push_back({{"perms", a.perms}, {"scheme", a.id.scheme}, {"id", a.id.id}});
        n["acl"] = std::move(acls);
        nodes.push_back(std::move(n));
        return {};
      },
      true);
  if (!r) return r;
  out.object(json{{"zkit_dump", 1}, {"root", inv.path}, {"nodes", std::move(nodes)}});
  return {};
}

Result<void> run_restore(Client& client, const Invocation& inv, Printer& out) {
  std::string text;
  if (inv.file == "-") {
    text = read_all(std::cin);
  } else {
    std::ifstream f(inv.file, std::ios::binary);
    if (!f) return Error(Errc::bad_arguments, "cannot read " + inv.file);
    text = read_all(f);
  }
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return Error(Errc::bad_arguments, inv.file + ": not a JSON object (expected zkit dump's output)");
  if (doc.value("zkit_dump", 0) != 1)
    return Error(Errc::bad_arguments, inv.file + ": zkit_dump: expected 1 (a dump made by zkit dump)");
  auto root = doc.find("root");
  auto nodes = doc.find("nodes");
  if (root == doc.end() || !root->is_string() || !validate_path(root->get<std::string>(), false))
    return Error(Errc::bad_arguments, inv.file + ": root: expected a znode path");
  if (nodes == doc.end() || !nodes->is_array())
    return Error(Errc::bad_arguments, inv.file + ": nodes: expected an array");
  // Every node checked before the first request.
  std::vector<DumpNode> todo;
  for (std::size_t i = 0; i < nodes->size(); ++i) {
    auto n = node_from((*nodes)[i], i);
    if (!n) return Error(Errc::bad_arguments, inv.file + ": " + n.error().message());
    todo.push_back(std::move(*n));
  }
  const std::string root_path = root->get<std::string>();
  if (auto r = create_parents(client, root_path); !r) return r;
  std::int64_t created = 0, skipped = 0;
  for (auto& n : todo) {
    if (n.ephemeral) {
      ++skipped;
      std::fprintf(stderr, "zkit: restore: skipped the ephemeral node %s\n", n.path.c_str());
      continue;
    }
    if (n.path == "/") {  // the root exists: restore its data only
      if (auto r = client.set("/", n.data); !r) return std::move(r).error();
      continue;
    }
    CreateOptions options = n.options;
    if (!n.acl.empty()) options.acl = n.acl;
    auto r = client.create(n.path, n.data, options);
    if (!r) return std::move(r).error();
    ++created;
  }
  if (out.is_json())
    out.object(json{{"root", root_path}, {"created", created}, {"skipped_ephemeral", skipped}});
  else
    out.line("restored " + std::to_string(created) + " node" + (created == 1 ? "" : "s") +
             " under " + root_path + (skipped ? " (" + std::to_string(skipped) + " ephemeral skipped)" : ""));
  return {};
}

Result<void> create_parents(Client& client, std::string_view path) {
  for (std::size_t at = path.find('/', 1); at != std::string_view::npos; at = path.find('/', at + 1)) {
    std::string parent(path.substr(0, at));
    auto r = client.create(parent, "");
    if (!r && r.error() != Errc::node_exists) return std::move(r).error();
  }
  return {};
}

}  // namespace zkit::cli
