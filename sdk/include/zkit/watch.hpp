// zkit/watch.hpp: the callbacks a session calls on its own: watchers, persistent-watch
// handles and state listeners. Used by the Session, the Client, the recipes and the private
// watch manager alike, so it depends on nothing but the value types.
//
//   zkit::Watcher once = [](const zkit::WatchEvent& e) { std::puts(e.path.c_str()); };
//   session.get("/config", std::move(once), on_data);
//   zkit::WatchHandle h = co_await session.add_watch("/services", zkit::WatchMode::persistent_recursive, log);
//   // ... the watch lasts as long as `h`
#pragma once

#include <cstdint>

#include "zkit/function.hpp"
#include "zkit/types.hpp"

namespace zkit {

// Watcher: a one-shot watch callback. The watch is set only when its operation succeeds
// (exists: also when the node is missing); from then on it runs exactly once: when the watched
// change happens, or with EventType::none and the final state when the session expires, fails
// authentication or is closed first. A watch survives reconnects: changes made while the
// session was disconnected fire it on reconnection. (A persistent watch's watcher runs for
// every matching change instead; see Session::add_watch.)
using Watcher = Function<void(const WatchEvent&)>;

// WatchHandle: owns a persistent watch. Destroying it (or calling remove()) stops the watch;
// from then on its watcher is not called again. An empty handle owns nothing.
class WatchHandle {
 public:
  WatchHandle() = default;
  // A handle that calls `remover` once to stop its watch.
  explicit WatchHandle(Function<void()> remover) : remover_(std::move(remover)) {}
  WatchHandle(WatchHandle&&) noexcept = default;
  WatchHandle& operator=(WatchHandle&& o) noexcept {
    if (this != &o) {
      remove();
      remover_ = std::move(o.remover_);
    }
    return *this;
  }
  ~WatchHandle() { remove(); }

  // Stops the watch now; its watcher is not called again. Idempotent.
  void remove() {
    if (!remover_) return;
    Function<void()> r = std::move(remover_);
    r();
  }
  // Releases ownership: the watch stays until the session ends or remove_watches removes it.
  void detach() noexcept { remover_ = nullptr; }
  // Whether it still owns a watch.
  bool active() const noexcept { return static_cast<bool>(remover_); }

 private:
  Function<void()> remover_;
};

// StateListener: told of every session state transition, in order.
using StateListener = Function<void(SessionState)>;

// ListenerId: names an added StateListener, to remove it again. Never 0.
using ListenerId = std::uint64_t;

}  // namespace zkit
