#include "zkit/recipes/cancel.hpp"

#include <utility>
#include <vector>

namespace zkit::recipes {

struct CancelSource::State {
  bool cancelled = false;
  CancelToken::Subscription next = 0;
  std::vector<std::pair<CancelToken::Subscription, Function<void()>>> subscribers;
};

CancelSource::CancelSource() : state_(std::make_shared<State>()) {}

void CancelSource::cancel() {
  if (state_->cancelled) return;
  state_->cancelled = true;
  // Taken out first: a subscriber may subscribe or unsubscribe while it runs.
  auto subscribers = std::move(state_->subscribers);
  state_->subscribers.clear();
  for (auto& [id, f] : subscribers) f();
}

bool CancelSource::cancelled() const noexcept { return state_->cancelled; }

CancelToken CancelSource::token() const { return CancelToken(state_); }

bool CancelToken::cancelled() const noexcept { return state_ && state_->cancelled; }

CancelToken::Subscription CancelToken::subscribe(Function<void()> on_cancel) const {
  if (!state_) return 0;
  if (state_->cancelled) {
    on_cancel();
    return 0;
  }
  Subscription id = ++state_->next;
  state_->subscribers.emplace_back(id, std::move(on_cancel));
  return id;
}

void CancelToken::unsubscribe(Subscription id) const {
  if (!state_ || id == 0) return;
  std::erase_if(state_->subscribers, [id](const auto& s) { return s.first == id; });
}

}  // namespace zkit::recipes
