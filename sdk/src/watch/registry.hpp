// watch::Registry: the session's watches, keyed by server path (chroot included, as the server
// sends them). One-shot watches are fanned out from the server's single event per change and
// forgotten; persistent ones stay until removed and are addressed by id, so a watcher may
// remove itself (or others) while events are delivered. Storage only: the rules about what the
// server must be told live in watch::Manager.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "zkit/types.hpp"
#include "zkit/watch.hpp"

namespace zkit::watch {

enum class Kind { data, exist, child };

class Registry {
 public:
  // --- one-shot ---
  void add(Kind kind, std::string path, Watcher w);
  // Removes and returns the watchers an event fires (ZooKeeper's rules: created and changed
  // fire data and exist watches; deleted fires data, exist and child watches; children changed
  // fires child watches).
  std::vector<Watcher> take(EventType type, const std::string& path);
  // Removes and returns the one-shot watchers of these kinds on `path`.
  std::vector<Watcher> take_kinds(const std::string& path, bool data, bool child);
  bool has(const std::string& path, bool data, bool child) const;
  // A one-shot watch request sent without the server's watch flag, because a persistent watch
  // on the path serves it (see Manager::arm), is riding on that watch until its reply: the
  // server watch must stay until then. unride returns whether it was the path's last rider.
  void ride(const std::string& path) { ++riders_[path]; }
  bool unride(const std::string& path);
  bool ridden(const std::string& path) const { return riders_.count(path) != 0; }

  // --- persistent ---
  std::uint64_t add_persistent(std::string path, bool recursive, Watcher w);
  // Forgets a persistent watch; returns its path ("" if unknown).
  std::string remove_persistent(std::uint64_t id);
  // The ids of persistent watches on `path`.
  std::vector<std::uint64_t> persistent_ids(const std::string& path) const;
  Watcher* find_persistent(std::uint64_t id);
  // The path's persistent mode (a path holds one mode at a time), counting add_watch requests
  // still awaiting their reply; nullopt when it has no persistent watch.
  std::optional<WatchMode> persistent_mode(const std::string& path) const;
  // An add_watch was sent / answered: until answered, the path counts as watched in that mode.
  void begin_persistent(const std::string& path, bool recursive);
  void end_persistent(const std::string& path);
  // The persistent watches an event reaches: those on the path itself (recursive ones not for
  // children changed) and recursive ones on every ancestor (not for children changed).
  std::vector<std::uint64_t> persistent_targets(EventType type, const std::string& path) const;
  std::vector<std::uint64_t> all_persistent_ids() const;

  // Removes and returns every watcher (the session ended).
  std::vector<Watcher> take_all();

  // For SetWatches after a reconnect: one-shot paths of a kind, and persistent paths by mode.
  std::vector<std::string_view> paths(Kind kind) const;
  std::vector<std::string_view> persistent_paths(bool recursive) const;
  bool empty() const noexcept { return data_.empty() && exist_.empty() && child_.empty() && persistent_.empty(); }
  std::size_t server_watches() const noexcept { return data_.size() + exist_.size() + child_.size() + persistent_.size(); }
  bool has_persistent() const noexcept { return !persistent_.empty() || !adding_.empty(); }

 private:
  struct Persistent {
    std::uint64_t id;
    bool recursive;
    Watcher watcher;
  };
  using Table = std::unordered_map<std::string, std::vector<Watcher>>;
  Table& table(Kind k) { return k == Kind::data ? data_ : k == Kind::exist ? exist_ : child_; }
  const Table& table(Kind k) const { return k == Kind::data ? data_ : k == Kind::exist ? exist_ : child_; }
  static void move_out(Table& t, const std::string& path, std::vector<Watcher>& out);

  Table data_, exist_, child_;
  std::unordered_map<std::string, std::vector<Persistent>> persistent_;
  std::unordered_map<std::uint64_t, std::string> persistent_path_;
  struct Adding {
    WatchMode mode;
    int requests;
  };
  std::unordered_map<std::string, Adding> adding_;
  std::unordered_map<std::string, int> riders_;                   // path -> requests riding
  std::uint64_t next_id_ = 1;
};

}  // namespace zkit::watch
