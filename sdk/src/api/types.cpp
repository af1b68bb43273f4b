#include "zkit/types.hpp"

namespace zkit {

// Built on first use and never destroyed, so they outlive every static that refers to them.
const AclList& open_acl_unsafe() {
  static const AclList* list = new AclList{Acl{perm_all, Id{"world", "anyone"}}};
  return *list;
}
const AclList& creator_all_acl() {
  static const AclList* list = new AclList{Acl{perm_all, Id{"auth", ""}}};
  return *list;
}
const AclList& read_acl_unsafe() {
  static const AclList* list = new AclList{Acl{perm_read, Id{"world", "anyone"}}};
  return *list;
}

std::string_view to_string(SessionState s) noexcept {
  switch (s) {
    case SessionState::connecting: return "connecting";
    case SessionState::connected: return "connected";
    case SessionState::suspended: return "suspended";
    case SessionState::reconnected: return "reconnected";
    case SessionState::read_only: return "read_only";
    case SessionState::expired: return "expired";
    case SessionState::auth_failed: return "auth_failed";
    case SessionState::closed: return "closed";
  }
  return "unknown";
}

std::string_view to_string(EventType t) noexcept {
  switch (t) {
    case EventType::none: return "none";
    case EventType::node_created: return "node_created";
    case EventType::node_deleted: return "node_deleted";
    case EventType::node_data_changed: return "node_data_changed";
    case EventType::node_children_changed: return "node_children_changed";
    case EventType::data_watch_removed: return "data_watch_removed";
    case EventType::child_watch_removed: return "child_watch_removed";
    case EventType::persistent_watch_removed: return "persistent_watch_removed";
  }
  return "unknown";
}

}  // namespace zkit
