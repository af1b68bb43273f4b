// watch::Manager: the watch policy of one session. It decides what each watching request asks
// of the server, registers watchers from replies, dispatches the server's events (in the order
// they arrive), and writes the SetWatches(2) frames that re-register everything after a
// reconnect. It does no I/O: the session reports replies and events to it, and it asks the
// session to send removeWatches through the one callback it is given.
//
// Why a persistent watch complicates one-shot watches: the 3.8 server keeps one watch per path
// and connection, so a one-shot read with the watch flag on a persistently watched path would
// downgrade the persistent watch (fixed in 3.9, protocol doc §13). Such a read goes without
// the flag and "rides" on the persistent watch, whose events serve it locally. When the
// persistent watch is removed while riders or one-shot watchers still need the server's watch,
// the server watch is "kept" and dropped once the last of them is done.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "proto/chroot.hpp"
#include "watch/registry.hpp"
#include "zkit/function.hpp"
#include "zkit/types.hpp"
#include "zkit/watch.hpp"

namespace zkit::watch {

// SetWatches packets stay under this much path text, well below the server's 1 MiB frame
// limit (the Java client's figure).
inline constexpr std::size_t kSetWatchesPacketBytes = 128 * 1024;

// What the manager asks of its session: a fire-and-forget removeWatches for a path that no
// watcher of the session needs any more (the session skips it when it cannot send: the path's
// watch is not re-registered after a reconnect anyway).
class ServerWatchDropper {
 public:
  virtual void drop_server_watch(const std::string& server_path) = 0;

 protected:
  ~ServerWatchDropper() = default;
};

class Manager {
 public:
  // Both outlive the manager (they are its session's).
  Manager(const proto::Chroot& chroot, ServerWatchDropper& session) : chroot_(chroot), session_(session) {}

  // --- one-shot watches (exists, get, get_children, get_config) ---------------------------
  struct Arming {
    bool server_flag = false;  // set the request's watch flag
    bool rides = false;        // call read_done(path) once its reply is handled
  };
  // Before a read is sent: how its watcher (if it has one) is to be served.
  Arming arm(std::string_view server_path, bool has_watcher);
  // After a successful read with a watcher: registers it.
  void add(Kind kind, std::string server_path, Watcher w) { registry().add(kind, std::move(server_path), std::move(w)); }
  // The reply to a riding read has been handled (whatever its outcome): a server watch kept
  // for it may go now.
  void read_done(std::string_view server_path);

  // --- persistent watches (addWatch) -------------------------------------------------------
  // The path's persistent mode, counting add_watch requests awaiting their reply.
  std::optional<WatchMode> persistent_mode(const std::string& server_path) const {
    return tables_ ? tables_->registry.persistent_mode(server_path) : std::nullopt;
  }
  // An add_watch was sent: from now on the path counts as watched in that mode, so a one-shot
  // read sent before the reply rides too (ZOOKEEPER-4466). end_add: its reply arrived.
  void begin_add(const std::string& server_path, WatchMode mode) {
    registry().begin_persistent(server_path, mode == WatchMode::persistent_recursive);
  }
  void end_add(const std::string& server_path) { registry().end_persistent(server_path); }
  std::uint64_t add_persistent(std::string server_path, WatchMode mode, Watcher w) {
    return registry().add_persistent(std::move(server_path), mode == WatchMode::persistent_recursive, std::move(w));
  }
  // Forgets a persistent watch; tells the server when nothing else of this session needs the
  // path's server watch, or keeps that watch until the last one-shot user is done.
  void remove_persistent(std::uint64_t id);

  // --- remove_watches / check_watches ------------------------------------------------------
  bool has(const std::string& server_path, WatcherKind kind) const;
  // Whether removing `kind` must stay local: where a persistent watch holds the server's one
  // watch for the path, removing only its data or child half on the server would cut it.
  bool removal_stays_local(const std::string& server_path, WatcherKind kind) const {
    return kind != WatcherKind::any && persistent_mode(server_path).has_value();
  }
  // Takes the watches remove_watches removes and runs each once with its removal event.
  void fire_removed(const std::string& server_path, WatcherKind kind);

  // --- from the server and the session ----------------------------------------------------
  // A watch event (the path as the server sent it). Persistent watchers first, then one-shot
  // ones, then the children-changed event a recursive watch hides from one-shot child watches.
  void on_event(EventType type, std::string_view server_path);
  // Tells every persistent watcher of a session event (suspended, reconnected, read_only...).
  void on_session_event(SessionState state);
  // After a (re)connection: appends the SetWatches (or SetWatches2) frames that register every
  // watch on the new connection. Kept server watches are not re-registered, so they end here.
  // Returns what was written (for the session's metrics).
  struct Reregistration {
    std::size_t frames = 0;
    std::size_t paths = 0;
  };
  Reregistration write_reregistration(std::string& out, std::int64_t last_zxid);
  // The session ended: every watch runs once more, with EventType::none and `final_state`.
  void end(SessionState final_state);

  bool empty() const noexcept { return !tables_ || tables_->registry.empty(); }
  // Server watches held: one per path and kind (data, exist, child, persistent).
  std::size_t server_watches() const noexcept { return tables_ ? tables_->registry.server_watches() : 0; }

 private:
  void release_kept(const std::string& server_path);

  const proto::Chroot& chroot_;
  ServerWatchDropper& session_;
  // Made with the first watch: a session that never watches (most of a fleet's) pays for no
  // tables.
  struct Tables {
    Registry registry;
    // Paths whose persistent watch was removed while one-shot watchers still used the server's
    // watch: removeWatches goes out once the last of them has fired or its request has ended.
    std::unordered_set<std::string> kept;
  };
  Registry& registry() { return tables().registry; }
  std::unordered_set<std::string>& kept() { return tables().kept; }
  Tables& tables() {
    if (!tables_) tables_ = std::make_unique<Tables>();
    return *tables_;
  }
  std::unique_ptr<Tables> tables_;
};

}  // namespace zkit::watch
