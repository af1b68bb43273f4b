// zkit::recipes::PersistentNode: a znode kept in place for as long as the object lives
// (Curator's PersistentNode), and PersistentTtlNode, a node that outlives its process by a TTL
// (Curator's PersistentTtlNode).
//
//   zkit::recipes::PersistentNode node(session, "/storage/nodes/node-7", "10.0.0.7:9000");
//   if (auto r = co_await node.start(); !r) log(r.error().message());
//   ...                                  // deleted by someone, or the session replaced: back again
//   co_await node.set_data("10.0.0.7:9001");
//   ...
//   auto fresh = zkit::Session::start(loop, options);   // after the old session expired
//   co_await node.rebind(*fresh);        // the node comes back on the new session
//   co_await node.close();               // deletes it
//
// What "in place" means: the node exists at path() and, for ephemeral modes, belongs to this
// object's session. The object creates it (missing ancestors as containers), watches it with
// `exists`, and creates it again when it is deleted. A node already there is adopted when it
// is persistent (our data is written into it) or an ephemeral of our own session; an ephemeral
// of another session (often the previous, not yet expired session of this same process) is
// waited out: the node is created once the server deletes the other one.
// Sequential modes are created protected (see zkit/recipes/protected_create.hpp), so a
// connection loss never leaves a second node; each re-creation gets a new sequence number.
//
// When the session ends (expired, closed, auth_failed) the status becomes `lost` and stays
// so until rebind() hands in a new Session. The data given last (constructor or set_data) is
// what every (re-)creation writes.
//
// Use on the loop thread of the session; the session must outlive the object (or rebind()).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "zkit/recipes/ownership.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"
#include "zkit/types.hpp"

namespace zkit::recipes {

namespace detail {
struct PersistentNodeState;
struct TtlNodeState;
}

// NodeStatus: where a PersistentNode stands.
enum class NodeStatus {
  idle,      // not started
  creating,  // the node is being created (or checked)
  in_place,  // the node exists and is ours
  blocked,   // an ephemeral node of another session holds the path: waiting for it to go
  lost,      // the session ended: waiting for rebind()
  failed,    // the server refused the node for good (no_auth, invalid_acl, bad_arguments...):
             // last_error() says why
  closed,    // close() was called
};

std::string_view to_string(NodeStatus s) noexcept;

// PersistentNodeOptions: how the node is made.
struct PersistentNodeOptions {
  CreateMode mode = CreateMode::ephemeral;  // how the node is created (re-created the same way)
  AclList acl = open_acl_unsafe();  // the node's ACL
  std::chrono::milliseconds ttl{0};  // for the *_with_ttl modes (the server must allow TTLs)
  bool delete_on_close = true;       // close() deletes the node (Curator does)
};

class PersistentNode {
 public:
  // A node at `path` holding `data`. With a sequential mode, `path` is the prefix: the node is
  // "<parent>/_c_<uuid>-<name><seq>" (see path()).
  PersistentNode(Session& session, std::string path, std::string data, PersistentNodeOptions options = {});

  PersistentNode(PersistentNode&&) noexcept;
  PersistentNode& operator=(PersistentNode&&) noexcept;
  PersistentNode(const PersistentNode&) = delete;
  PersistentNode& operator=(const PersistentNode&) = delete;
  // Not closed yet: stops keeping the node and, with delete_on_close, deletes it in the
  // background.
  ~PersistentNode();

  // Starts keeping the node and completes once it is in place for the first time, or with
  // the error that stops it: bad_arguments (started twice, a bad path or mode), no_auth,
  // invalid_acl, unimplemented (TTL modes on a server without TTLs), no_children_for_ephemerals,
  // session_expired / closing / auth_failed (the session ended first). A node blocked by
  // another session's ephemeral keeps the task waiting until that node is gone.
  Task<Result<void>> start();
  // Waits until the node is in place (at once when it is). Errors: as start(), and closing
  // after close().
  Task<Result<void>> wait_in_place();

  // Changes the data: written to the node now (when it is in place) and on every later
  // creation. Errors: those of Session::set other than no_node (the node is then created
  // again with the new data), closing after close().
  Task<Result<void>> set_data(std::string data);

  // Continues on another session (after the old one expired, or to move the node to a new
  // one): the node is created there, and the task completes as start() does. The old
  // session's node (an ephemeral) is not deleted: it goes with that session.
  Task<Result<void>> rebind(Session& session);

  // Stops keeping the node; deletes it when delete_on_close (trying again across connection
  // losses). Idempotent.
  Task<void> close();

  // Where the node stands (see NodeStatus).
  NodeStatus status() const noexcept;
  // The node's actual path once created ("" before; for sequential modes it changes with
  // each re-creation).
  std::string path() const;
  // The data the node is kept with.
  const std::string& data() const noexcept;
  // Why the status is failed or lost; nullopt otherwise.
  std::optional<Error> last_error() const;

  // Names a listener, for remove_listener / remove_state_listener.
  using ListenerId = std::uint64_t;
  // Tells `listener` of every status change, on the loop thread.
  ListenerId add_listener(Function<void(NodeStatus)> listener);
  // Removes a listener that add_listener returned.
  void remove_listener(ListenerId id);
  // Tells `listener` of suspended / reconnected / lost of the session the node is kept on
  // (zkit/recipes/ownership.hpp).
  ListenerId add_state_listener(RecipeStateListener listener);
  // Removes a listener that add_state_listener returned.
  void remove_state_listener(ListenerId id);

 private:
  std::shared_ptr<detail::PersistentNodeState> state_;
};

// PersistentTtlNode: a node that stays while its process lives and disappears `ttl` after the
// process stopped caring (crashed, closed), even without a session: the server's TTL does it.
// Layout (Curator's): `path` is a container node holding the data, kept in place by a
// PersistentNode; `path/touch` is a child created with CreateMode::persistent_with_ttl and
// written every ttl/2. Touching the child never fires a data watch on `path`. When the child
// expires, the container is empty and the server deletes it too.
// The server must allow TTL nodes (zookeeper.extendedTypesEnabled=true); otherwise the touch
// fails with unimplemented, reported by last_error(). How soon after expiry the nodes go is up
// to the server's container check (znode.container.checkIntervalMs, 60 s by default).
//
//   zkit::recipes::PersistentTtlNode beacon(session, "/storage/beacons/node-7", "up", 30s);
//   co_await beacon.start();
class PersistentTtlNode {
 public:
  // The name of the child touched to keep the TTL from running out (Curator's).
  static constexpr const char* kChildName = "touch";

  // A node at `path` holding `data`, gone `ttl` after nobody touches it.
  PersistentTtlNode(Session& session, std::string path, std::string data,
                    std::chrono::milliseconds ttl);
  PersistentTtlNode(PersistentTtlNode&&) noexcept;
  PersistentTtlNode& operator=(PersistentTtlNode&&) noexcept;
  PersistentTtlNode(const PersistentTtlNode&) = delete;
  PersistentTtlNode& operator=(const PersistentTtlNode&) = delete;
  ~PersistentTtlNode();

  // Creates the container (and the touch child) and starts touching. Completes as
  // PersistentNode::start() does; bad_arguments for a ttl of zero.
  Task<Result<void>> start();
  // Replaces the container's data.
  Task<Result<void>> set_data(std::string data);
  // Continues on another session (after the old one ended).
  Task<Result<void>> rebind(Session& session);
  // Stops touching. Nothing is deleted: the nodes expire by themselves (unless another
  // process keeps touching them).
  Task<void> close();

  // Where the container node stands (see NodeStatus).
  NodeStatus status() const noexcept;
  // The container node's path.
  const std::string& path() const noexcept;
  // The last error of the container or of a touch; nullopt when all is well.
  std::optional<Error> last_error() const;
  // Touches that succeeded so far.
  std::uint64_t touches() const noexcept;

  // Names a listener, for remove_state_listener.
  using ListenerId = PersistentNode::ListenerId;
  // Tells `listener` of suspended / reconnected / lost (as PersistentNode does).
  ListenerId add_state_listener(RecipeStateListener listener);
  // Removes a listener that add_state_listener returned.
  void remove_state_listener(ListenerId id);

 private:
  std::shared_ptr<detail::TtlNodeState> state_;
};

}  // namespace zkit::recipes
