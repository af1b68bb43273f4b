// ListenerSet: listeners a recipe notifies, safe against listeners that add or remove
// listeners (or close the recipe) while being notified.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "zkit/function.hpp"

namespace zkit::recipes::detail {

template <class... Args>
class ListenerSet {
 public:
  using Id = std::uint64_t;

  Id add(Function<void(Args...)> f) {
    Id id = ++next_;
    entries_.push_back({id, std::make_shared<Function<void(Args...)>>(std::move(f))});
    return id;
  }
  void remove(Id id) {
    std::erase_if(entries_, [id](const Entry& e) { return e.id == id; });
  }
  void clear() { entries_.clear(); }

  void notify(Args... args) {
    // A snapshot: each listener is kept alive while it runs, and one removed meanwhile by an
    // earlier listener is skipped.
    std::vector<Entry> now = entries_;
    for (auto& e : now) {
      bool still = false;
      for (auto& x : entries_) still = still || x.id == e.id;
      if (still && *e.fn) (*e.fn)(args...);
    }
  }

 private:
  struct Entry {
    Id id;
    std::shared_ptr<Function<void(Args...)>> fn;
  };
  std::vector<Entry> entries_;
  Id next_ = 0;
};

}  // namespace zkit::recipes::detail
