// Value types that zkit operations take and return: Stat, ACLs, create modes, watch events,
// session states. Plain structs; field names follow ZooKeeper's own (zookeeper.jute).
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace zkit {

// Stat: a znode's metadata, as the server keeps it.
struct Stat {
  std::int64_t czxid = 0;           // zxid of the create: a fencing token for lock and leader nodes
  std::int64_t mzxid = 0;           // zxid of the last set
  std::int64_t ctime = 0;           // create time, ms since the epoch (leader's clock)
  std::int64_t mtime = 0;           // last modification time, ms
  std::int32_t version = 0;         // data version: number of sets
  std::int32_t cversion = 0;        // child version: child creations plus deletions
  std::int32_t aversion = 0;        // ACL version
  std::int64_t ephemeral_owner = 0; // owning session id for ephemeral nodes, else 0
  std::int32_t data_length = 0;  // bytes of data
  std::int32_t num_children = 0;  // number of children
  std::int64_t pzxid = 0;           // zxid of the last child create or delete

  friend bool operator==(const Stat&, const Stat&) = default;
};

// Id: who an ACL entry is for, e.g. {"world", "anyone"} or {"digest", "alice:<hash>"}.
struct Id {
  std::string scheme;  // "world", "digest", "ip", "auth", "x509", "sasl"...
  std::string id;  // the scheme's id, e.g. "anyone", "alice:<hash>", "10.0.0.0/8"
  friend bool operator==(const Id&, const Id&) = default;
};

// Permission bits of an ACL entry.
enum Perm : std::int32_t {
  perm_read = 1 << 0,
  perm_write = 1 << 1,
  perm_create = 1 << 2,
  perm_delete = 1 << 3,
  perm_admin = 1 << 4,
  perm_all = 31,
};

// Acl: one ACL entry: permission bits for an id.
struct Acl {
  std::int32_t perms = 0;  // Perm bits, or-ed
  Id id;  // who the entry is for
  friend bool operator==(const Acl&, const Acl&) = default;
};

// AclList: a node's ACL, a list of entries.
using AclList = std::vector<Acl>;

// The well-known lists (ZooDefs.Ids), each one list for the life of the process.
const AclList& open_acl_unsafe();   // everyone may do everything
const AclList& creator_all_acl();   // only the ids this session authenticated as
const AclList& read_acl_unsafe();   // everyone may read

// AclRef: the ACL of a create: a reference to a list the caller keeps alive until the
// operation has been called (the call copies it into its request); by default
// open_acl_unsafe(). It owns nothing, so CreateOptions is trivially destructible and can be
// built in place inside a `co_await` even with GCC 12, which destroys aggregate temporaries
// with a destructor twice there. A list built in place would die before the call: refused at
// compile time.
//
//   zkit::AclList mine = zkit::creator_all_acl();
//   co_await s.create("/private", "", {.mode = zkit::CreateMode::ephemeral, .acl = mine});
class AclRef {
 public:
  constexpr AclRef() noexcept = default;
  AclRef(const AclList& list) noexcept : list_(&list) {}  // NOLINT: implicit on purpose
  template <class L>
    requires std::is_same_v<L, AclList>
  AclRef(L&&) {  // NOLINT
    static_assert(sizeof(L) == 0,
                  "zkit::AclRef views an ACL list that must outlive the call: name the AclList in a "
                  "variable first, or use open_acl_unsafe() / creator_all_acl() / read_acl_unsafe()");
  }
  template <class A = Acl>
  AclRef(std::initializer_list<A>) {  // NOLINT
    static_assert(sizeof(A) == 0,
                  "zkit::AclRef views an ACL list that must outlive the call: name the AclList in a "
                  "variable first (zkit::AclList acl{...}; ... .acl = acl)");
  }

  // The list referred to.
  const AclList& list() const noexcept { return list_ ? *list_ : open_acl_unsafe(); }
  operator const AclList&() const noexcept { return list(); }  // NOLINT: implicit on purpose

 private:
  const AclList* list_ = nullptr;
};

// CreateMode: what kind of node a create makes. Sequential modes append a 10-digit counter.
enum class CreateMode : std::int32_t {
  persistent = 0,
  ephemeral = 1,
  persistent_sequential = 2,
  ephemeral_sequential = 3,
  container = 4,                       // deleted by the server once its last child is gone
  persistent_with_ttl = 5,             // deleted after `ttl` without change and without children
  persistent_sequential_with_ttl = 6,
};

// CreateOptions: everything about a create besides path and data. Trivially destructible
// (see AclRef), so `co_await s.create(p, d, {.mode = zkit::CreateMode::ephemeral})` is safe
// with every compiler.
struct CreateOptions {
  CreateMode mode = CreateMode::persistent;  // persistent, ephemeral, sequential, container or TTL
  AclRef acl{};                        // open_acl_unsafe() unless set
  std::chrono::milliseconds ttl{0};    // required for the *_with_ttl modes, refused otherwise
};
static_assert(std::is_trivially_destructible_v<CreateOptions>, "built in place inside co_await: see AclRef");

// Created: the result of a create. `path` has the sequence suffix of a sequential node.
struct Created {
  std::string path;  // the path made (with the sequence suffix of a sequential node)
  Stat stat;  // the new node's Stat
};

// Data: the result of get: the node's bytes and its Stat. ZooKeeper tells a node whose data is
// null (created or set with null data, as Java's `create(path, null, ...)` and kazoo's
// `create(path, None)` do) from one with empty data: `null` says which (`data` is then empty).
struct Data {
  std::string data;  // the node's bytes (empty when null)
  Stat stat;  // the node's Stat
  bool null = false;  // the server sent null data, not empty bytes
};

// NullData: the type of zkit::null_data, passed to create or set in place of the bytes to
// store null data (what getData then returns as null) rather than empty bytes. It has no
// default constructor, so `create(path, {})` still means empty bytes.
struct NullData {
  // Tag: what zkit::null_data is made from (the only way to make one).
  struct Tag {};
  // Makes the tag value; explicit, so no `{}` or other value converts to NullData.
  explicit constexpr NullData(Tag) noexcept {}
};
// null_data: pass as create's or set's data to store null data: `s.create(p, zkit::null_data)`.
inline constexpr NullData null_data{NullData::Tag{}};

// Children: the result of get_children: child names (not full paths, unsorted) and the
// parent's Stat.
struct Children {
  std::vector<std::string> names;  // child names, not full paths, unsorted
  Stat stat;  // the parent's Stat
};

// Acls: the result of get_acl.
struct Acls {
  AclList acl;  // the node's ACL
  Stat stat;  // the node's Stat (aversion is the ACL version)
};

// ClientInfo: one identity a session is authenticated as (whoAmI), e.g. {"ip", "127.0.0.1"}.
struct ClientInfo {
  std::string scheme;  // e.g. "ip", "digest"
  std::string user;  // e.g. "127.0.0.1", "alice"
  friend bool operator==(const ClientInfo&, const ClientInfo&) = default;
};

// EventType: what changed, as the server reports it.
enum class EventType : std::int32_t {
  none = -1,                  // not a node event
  node_created = 1,
  node_deleted = 2,
  node_data_changed = 3,
  node_children_changed = 4,
  // Made locally when a watch is removed on purpose (Session::remove_watches); the server
  // sends no event for that.
  data_watch_removed = 5,
  child_watch_removed = 6,
  persistent_watch_removed = 7,
};

// WatchMode: the kinds of persistent watch (ZooKeeper 3.6+ addWatch).
enum class WatchMode {
  persistent,            // data and child events of the path itself, until removed
  persistent_recursive,  // created, deleted and data-changed events of the path and every descendant
};

// WatcherKind: which watches remove_watches and check_watches mean.
enum class WatcherKind : std::int32_t {
  children = 1,
  data = 2,  // data and exists watches
  any = 3,   // both, and persistent watches
};

// Reconfig: a change of the ensemble's membership (incremental: joining / leaving; or bulk:
// new_members), applied only if the current config version is `from_config` (-1: any).
// Server lines look like "server.4=127.0.0.1:2284:2384:participant;127.0.0.1:2184"; leaving
// is a comma-separated list of server ids.
struct Reconfig {
  std::optional<std::string> joining;  // server lines to add
  std::optional<std::string> leaving;  // server ids to remove, comma-separated
  std::optional<std::string> new_members;  // the whole new membership (bulk), instead of joining / leaving
  std::int64_t from_config = -1;  // the config version the change applies to (-1: any)
};

// SessionState: where a session stands. Listeners see every transition, in order.
enum class SessionState {
  connecting,    // first connection attempt in progress; nothing established yet
  connected,     // a session was established
  suspended,     // the connection was lost; the session may still be alive on the servers
  reconnected,   // the same session resumed after `suspended`; ephemerals and watches kept
  read_only,     // connected to a read-only server (reads only)
  expired,       // the servers ended the session, or, once established, it reached no server
                 // within its timeout: it is gone. (Before the first connection a session keeps
                 // trying; Client::open gives up after the session timeout.)
  auth_failed,   // the servers refused the session's credentials
  closed,        // close() completed
};

// The state's name, e.g. "connected".
std::string_view to_string(SessionState s) noexcept;
// The event type's name, e.g. "node_created".
std::string_view to_string(EventType t) noexcept;

// WatchEvent: what a watch reports. `path` is relative to the chroot.
// Events with type `none` report the session instead of a node:
// - a one-shot watch fires once with `none` and the final state (expired, auth_failed, closed)
//   when the session ends before the node changed, so it runs exactly once;
// - a persistent watch is told `suspended` when the connection is lost and `reconnected` when
//   the session resumed: the server does not replay changes missed in between for persistent
//   watches, so a holder that must not miss one re-reads its state on `reconnected`. It is
//   told the final state when the session ends, and is then gone.
struct WatchEvent {
  EventType type = EventType::none;  // what happened; `none` for a session event
  SessionState state = SessionState::connected;  // the session's state when the event was delivered
  std::string path;  // the node, relative to the chroot ("" for session events)
};

}  // namespace zkit
