// Protected creates (Curator's "protection" mode): a create that can be found again after a
// connection loss, so it is never made twice.
//
// A create whose connection breaks before the reply arrives fails with connection_loss, yet
// the server may have applied it. For a sequential node, trying again would leave a second,
// orphaned node (and a lock holder nobody knows about). A protected create puts a random id
// into the node's name, `<parent>/_c_<uuid>-<name>`, and after a connection loss lists the
// parent's children: a child starting with `_c_<uuid>-` is the node it made. Only when none is
// there does it create again (with the same id).
//
//   zkit::recipes::ProtectedCreateOptions opts;          // ephemeral-sequential, parents as containers
//   auto node = co_await zkit::recipes::protected_create(session, "/jobs/job-", "payload", opts);
//   // node->path == "/jobs/_c_1f0e...-job-0000000007"
//
// The layout is Curator's (CreateBuilderImpl: PROTECTED_PREFIX "_c_", a java.util.UUID in its
// 36-character text form, then "-"), so Curator clients recognise these nodes.
#pragma once

#include <string>
#include <string_view>

#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"
#include "zkit/types.hpp"

namespace zkit::recipes {

// "_c_": what every protected node name starts with.
inline constexpr std::string_view kProtectedPrefix = "_c_";

// A new random id: a version-4 UUID in lower-case 8-4-4-4-12 form.
std::string new_protected_id();
// "_c_<id>-": the prefix that identifies the nodes of one protected create.
std::string protected_prefix(std::string_view id);
// Whether `name` (a node name, not a path) has the form "_c_<uuid>-...".
bool is_protected_name(std::string_view name) noexcept;
// The name without "_c_<uuid>-" ("lock-0000000001"); `name` itself when it is not protected.
std::string_view strip_protection(std::string_view name) noexcept;

// ProtectedCreateOptions: how protected_create creates.
struct ProtectedCreateOptions {
  CreateMode mode = CreateMode::ephemeral_sequential;  // the create mode
  AclList acl = open_acl_unsafe();  // the node's ACL
  // Create missing ancestors as containers (CreateMode::container: the server deletes them
  // once their last child is gone), like Curator's creatingParentContainersIfNeeded().
  bool create_parents = true;
  // The random id; empty: a new one (new_protected_id()).
  std::string id{};
  // How many connection losses (each followed by a search) to go through before giving up.
  int max_attempts = 10;
  // The name prefix that identifies this create instead of "_c_<id>-" (kazoo's lock uses a
  // bare uuid hex); empty: Curator's. Found again by this prefix after a connection loss.
  std::string prefix{};
  // Missing ancestors as persistent nodes (kazoo's ensure_path) instead of containers.
  bool persistent_parents = false;
};

// Creates `<parent>/_c_<id>-<name>` for `path` = "<parent>/<name>" (with a sequential mode the
// server appends the sequence number). After connection_loss or request_timeout it looks for
// a child of <parent> starting with "_c_<id>-" and returns that node (with its Stat) instead of
// creating another. Errors: those of Session::create except connection_loss (unless every
// attempt lost its connection), and bad_arguments for a path without a parent.
// Keep `session` alive until the returned task completes. (With GCC 12, pass a named options
// variable, not a braced one inside co_await: see docs/operations.md, "GCC 12 and co_await".)
Task<Result<Created>> protected_create(Session& session, std::string path, std::string data,
                                       ProtectedCreateOptions options);

// Creates each missing ancestor of `path` (not `path` itself) as a container node, ignoring
// node_exists (Curator's ZKPaths.mkdirs with asContainers). Errors: those of Session::create.
Task<Result<void>> create_parent_containers(Session& session, std::string path, AclList acl);

// Deletes `path`, trying again after connection_loss or request_timeout until the server
// answers (Curator's guaranteed delete). A missing node counts as deleted. Errors: those of
// Session::remove other than no_node (session_expired: the node is gone with the session).
Task<Result<void>> guaranteed_remove(Session& session, std::string path);

}  // namespace zkit::recipes
