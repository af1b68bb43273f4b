// WatchRegistry: the session's one-shot watches, by kind and client path (chroot removed).
// The server keeps one watch per path and kind for the whole session and sends one event per
// change; the registry fans that event out to every local watcher it concerns, in the order
// they were registered, and forgets them (one-shot).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "zkit/session.hpp"
#include "zkit/types.hpp"

namespace zkit::watch {

enum class Kind { data, exist, child };

class Registry {
 public:
  void add(Kind kind, std::string path, Watcher w);

  // Removes and returns the watchers an event fires (ZooKeeper's rules: created and changed
  // fire data and exist watches; deleted fires data, exist and child watches; children changed
  // fires child watches).
  std::vector<Watcher> take(EventType type, const std::string& path);
  // Removes and returns every watcher (the session ended).
  std::vector<Watcher> take_all();

  // Paths with at least one watch of `kind`, for SetWatches after a reconnect.
  std::vector<std::string_view> paths(Kind kind) const;
  bool empty() const noexcept { return data_.empty() && exist_.empty() && child_.empty(); }
  std::size_t size() const noexcept;

 private:
  using Table = std::unordered_map<std::string, std::vector<Watcher>>;
  Table& table(Kind k) { return k == Kind::data ? data_ : k == Kind::exist ? exist_ : child_; }
  const Table& table(Kind k) const {
    return k == Kind::data ? data_ : k == Kind::exist ? exist_ : child_;
  }
  static void move_out(Table& t, const std::string& path, std::vector<Watcher>& out);

  Table data_, exist_, child_;
};

}  // namespace zkit::watch
