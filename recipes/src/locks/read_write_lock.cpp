#include "zkit/recipes/locks/read_write_lock.hpp"

#include "detail/lock_state.hpp"

namespace zkit::recipes {

namespace {

constexpr const char* kRead = "__READ__";
constexpr const char* kWrite = "__WRIT__";

LockSpec side(const std::string& path, const char* marker) {
  LockSpec spec;
  spec.path = path;
  spec.marker = marker;
  spec.sort_markers = {kRead, kWrite};
  return spec;
}

Task<void> close_both(std::shared_ptr<detail::LockState> read, std::shared_ptr<detail::LockState> write) {
  co_await detail::lock_close(read);
  co_await detail::lock_close(write);
}

}  // namespace

ReadWriteLock::ReadWriteLock(Session& session, std::string path, MutexOptions options)
    : write_(session, side(path, kWrite), exclusive_rule(1), options),
      read_(session, side(path, kRead),
            // A reader holds when no writer is before it, or at once when this object holds
            // the write lock (downgrade), like Curator's readLockPredicate.
            [writer = std::weak_ptr<detail::LockState>(write_.state_),
             rule = shared_rule(kWrite)](const std::vector<std::string>& sorted, std::size_t ours) mutable {
              if (auto w = writer.lock(); w && w->holds > 0) return LockDecision{true, {}};
              return rule(sorted, ours);
            },
            options) {
  write_.state_->reader = read_.state_;
  read_.state_->writer = write_.state_;
}

Task<void> ReadWriteLock::close() { return close_both(read_.state_, write_.state_); }

}  // namespace zkit::recipes
