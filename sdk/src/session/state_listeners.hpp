// session::StateListeners: who is told of the session's state transitions. Each transition
// reaches every listener, in order, also when a listener causes the next transition (that one
// is queued until the current one has reached everyone) or adds and removes listeners, itself
// included, while it runs.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "session/ring.hpp"
#include "zkit/types.hpp"
#include "zkit/watch.hpp"

namespace zkit::session {

class StateListeners {
 public:
  ListenerId add(StateListener l) {
    ListenerId id = next_++;
    listeners_.emplace_back(id, std::make_shared<StateListener>(std::move(l)));
    return id;
  }
  void remove(ListenerId id) {
    for (auto& l : listeners_)
      if (l.first == id) l.second = nullptr;
    if (notifying_ == 0) compact();
  }
  void remove_all() {
    for (auto& l : listeners_) l.second = nullptr;
    if (notifying_ == 0) listeners_.clear();
  }

  void notify(SessionState s) {
    queue_.push_back(s);
    if (notifying_ > 0) return;  // the outer call delivers it, in order
    ++notifying_;
    while (!queue_.empty()) {
      SessionState next = queue_.front();
      queue_.pop_front();
      std::size_t n = listeners_.size();
      for (std::size_t i = 0; i < n && i < listeners_.size(); ++i)
        // A copy of the shared pointer: the listener may remove itself while it runs.
        if (std::shared_ptr<StateListener> l = listeners_[i].second) (*l)(next);
    }
    --notifying_;
    compact();
  }

 private:
  void compact() {
    std::erase_if(listeners_, [](auto& l) { return !l.second; });
  }

  std::vector<std::pair<ListenerId, std::shared_ptr<StateListener>>> listeners_;
  ListenerId next_ = 1;
  int notifying_ = 0;
  Ring<SessionState> queue_;
};

}  // namespace zkit::session
