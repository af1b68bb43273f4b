#include "detail/wake.hpp"

#include <algorithm>

namespace zkit::recipes::detail {

bool Wake::abandon(const Session& s) const noexcept {
  return stopped_.has_value() || (timed_out_.has_value() && !session_connected(s));
}

Bounds::Bounds(const Session& session, const std::shared_ptr<Wake>& w, std::optional<std::chrono::milliseconds> timeout,
               CancelToken cancel)
    : cancel_(std::move(cancel)) {
  std::weak_ptr<Wake> weak = w;
  if (timeout) {
    timer_ = std::make_unique<Timer>(session);
    auto ms = timeout->count();
    timer_->start(*timeout, [weak, ms] {
      if (auto self = weak.lock()) self->time_out("timed out after " + std::to_string(ms) + " ms");
    });
  }
  if (cancel_.can_be_cancelled()) {
    if (cancel_.cancelled())
      w->stop("cancelled");
    else
      subscription_ = cancel_.subscribe([weak] {
        if (auto self = weak.lock()) self->stop("cancelled");
      });
  }
}

Bounds::~Bounds() {
  if (subscription_ != 0) cancel_.unsubscribe(subscription_);
}

void WaitSet::add(const std::shared_ptr<Wake>& w) {
  std::erase_if(waits_, [](const std::weak_ptr<Wake>& x) { return x.expired(); });
  waits_.push_back(w);
  if (stopped_) w->stop(*stopped_);
}

void WaitSet::remove(const std::shared_ptr<Wake>& w) {
  std::erase_if(waits_, [&](const std::weak_ptr<Wake>& x) {
    auto p = x.lock();
    return !p || p == w;
  });
}

void WaitSet::stop_all(const std::string& why) {
  if (!stopped_) stopped_ = why;
  // Copied first: a stopped wait resumes here and may add or remove waits.
  std::vector<std::shared_ptr<Wake>> now;
  for (auto& x : waits_)
    if (auto p = x.lock()) now.push_back(std::move(p));
  for (auto& p : now) p->stop(why);
}

void WaitSet::wake_all() {
  std::vector<std::shared_ptr<Wake>> now;
  for (auto& x : waits_)
    if (auto p = x.lock()) now.push_back(std::move(p));
  for (auto& p : now) p->wake();
}

Task<void> sleep_for(const Session& session, std::chrono::milliseconds d) {
  auto w = std::make_shared<Wake>();
  Timer timer(session);
  bool done = false;
  timer.start(d, [&done, weak = std::weak_ptr<Wake>(w)] {
    done = true;
    if (auto self = weak.lock()) self->wake();
  });
  while (!done) co_await w->next();
}

bool session_alive(const Session& s) noexcept {
  switch (s.state()) {
    case SessionState::expired:
    case SessionState::auth_failed:
    case SessionState::closed: return false;
    default: return true;
  }
}

bool session_connected(const Session& s) noexcept {
  switch (s.state()) {
    case SessionState::connected:
    case SessionState::reconnected:
    case SessionState::read_only: return true;
    default: return false;
  }
}

}  // namespace zkit::recipes::detail
