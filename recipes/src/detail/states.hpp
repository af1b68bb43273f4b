// StateFeed: turns the session states a recipe sees into RecipeState for its state listeners,
// each told once per change (suspended once until reconnected; lost once per session).
#pragma once

#include "detail/listeners.hpp"
#include "zkit/recipes/ownership.hpp"
#include "zkit/session.hpp"

namespace zkit::recipes::detail {

class StateFeed {
 public:
  using Id = ListenerSet<RecipeState>::Id;
  Id add(RecipeStateListener f) { return listeners_.add(std::move(f)); }
  void remove(Id id) { listeners_.remove(id); }
  void clear() { listeners_.clear(); }

  void on_session(SessionState st) {
    switch (st) {
      case SessionState::suspended:
        if (!suspended_ && !lost_) {
          suspended_ = true;
          listeners_.notify(RecipeState::suspended);
        }
        return;
      case SessionState::connected:
      case SessionState::reconnected:
      case SessionState::read_only:
        if (suspended_ && !lost_) {
          suspended_ = false;
          listeners_.notify(RecipeState::reconnected);
        }
        return;
      case SessionState::expired:
      case SessionState::auth_failed:
      case SessionState::closed:
        if (!lost_) {
          lost_ = true;
          suspended_ = false;
          listeners_.notify(RecipeState::lost);
        }
        return;
      default:
        return;
    }
  }
  // A new session (rebind): its states are news again.
  void rebound() { suspended_ = lost_ = false; }

 private:
  ListenerSet<RecipeState> listeners_;
  bool suspended_ = false;
  bool lost_ = false;
};

}  // namespace zkit::recipes::detail
