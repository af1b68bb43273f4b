// The commands that walk a subtree: ls -R, tree, find, deleteall, dump and restore. They use
// the blocking Client one request at a time (a subtree is read depth first, children sorted),
// so what they print is in a stable order.
#pragma once

#include "args.hpp"
#include "output.hpp"
#include "zkit/client.hpp"

namespace zkit::cli {

// ls -R PATH: PATH and every descendant, one full path per line.
// JSON: {"path":"/a","paths":["/a","/a/b",...]}
Result<void> run_ls_recursive(Client& client, const Invocation& inv, Printer& out);

// tree PATH: the subtree drawn with branches. JSON: {"path":"/a","name":"a","children":[...]}
Result<void> run_tree(Client& client, const Invocation& inv, Printer& out);

// find PATH [--name GLOB]: the full paths under PATH (PATH included) whose last name matches
// GLOB (fnmatch; default: every node). JSON: {"path":"/","matches":["/a",...]}
Result<void> run_find(Client& client, const Invocation& inv, Printer& out);

// deleteall PATH: PATH and everything under it, deepest first. Refuses "/" and /zookeeper.
// JSON: {"path":"/a","deleted":N}
Result<void> run_deleteall(Client& client, const Invocation& inv, Printer& out);

// dump PATH: the subtree as one JSON document on stdout (always JSON):
// {"zkit_dump":1,"root":"/a","nodes":[{"path":"/a","mode":"persistent","data":"..",
//  "acl":[{"perms":31,"scheme":"world","id":"anyone"}]}, ...]}, parents before children.
// /zookeeper (the server's own subtree) is left out.
Result<void> run_dump(Client& client, const Invocation& inv, Printer& out);

// restore [FILE]: creates the nodes of a dump (FILE, or standard input for "-"), with their
// data, mode and ACL, making missing parents of the root. The whole file is checked before
// anything is sent. Ephemeral nodes are skipped (they belonged to another session) and said
// so on stderr. A node that exists already fails with node_exists (nothing after it is made).
// JSON: {"root":"/a","created":N,"skipped_ephemeral":M}
Result<void> run_restore(Client& client, const Invocation& inv, Printer& out);

// create -p: makes every missing parent of `path` (empty, persistent); those that exist are
// fine. Errors: as Client::create, but never node_exists.
Result<void> create_parents(Client& client, std::string_view path);

}  // namespace zkit::cli
