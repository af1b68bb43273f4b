#include "session/handshake_gate.hpp"

#include <algorithm>
#include <map>
#include <mutex>

namespace zkit::session {

std::shared_ptr<HandshakeGate> HandshakeGate::for_loop(uv_loop_t* loop) {
  static std::mutex mutex;
  static std::map<uv_loop_t*, std::weak_ptr<HandshakeGate>> gates;
  std::lock_guard lock(mutex);
  // Forget loops whose sessions are all gone (a later loop may reuse the address).
  std::erase_if(gates, [](const auto& entry) { return entry.second.expired(); });
  std::weak_ptr<HandshakeGate>& slot = gates[loop];
  std::shared_ptr<HandshakeGate> gate = slot.lock();
  if (!gate) {
    gate = std::make_shared<HandshakeGate>();
    slot = gate;
  }
  return gate;
}

bool HandshakeGate::enter(Waiter& w, Ticket& ticket) {
  if (waiting_.empty() && in_flight_ < limit_) {
    ++in_flight_;
    return true;
  }
  ticket = waiting_.insert(waiting_.end(), &w);
  return false;
}

void HandshakeGate::leave(Ticket ticket) { waiting_.erase(ticket); }

void HandshakeGate::done(Outcome o) {
  if (in_flight_ > 0) --in_flight_;
  switch (o) {
    case Outcome::fast: limit_ = std::min(limit_ + 1, kMax); break;
    case Outcome::failed: limit_ = std::max(limit_ / 2, kMin); break;
    case Outcome::slow:
    case Outcome::abandoned: break;
  }
  admit();
}

void HandshakeGate::admit() {
  while (!waiting_.empty() && in_flight_ < limit_) {
    Waiter* w = waiting_.front();
    waiting_.pop_front();
    ++in_flight_;
    w->admitted();
  }
}

}  // namespace zkit::session
