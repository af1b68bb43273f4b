#include "session/handshake_gate.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>

namespace zkit::session {

namespace {
// Keeps the shortest of the last kEpoch to 2 * kEpoch durations in `floor` and `last_floor`.
void note_floor(HandshakeGate::milliseconds took, HandshakeGate::milliseconds& floor,
                HandshakeGate::milliseconds& last_floor, std::size_t& count) {
  floor = std::min(floor, took);
  if (++count < HandshakeGate::kEpoch) return;
  last_floor = std::exchange(floor, HandshakeGate::milliseconds::max());
  count = 0;
}
}  // namespace

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

std::optional<HandshakeGate::milliseconds> HandshakeGate::enter(Waiter& w, Ticket& ticket, milliseconds now) {
  if (waiting_.empty() && in_flight_ < limit_) {
    ++in_flight_;
    return pace(now);
  }
  ticket = waiting_.insert(waiting_.end(), &w);
  return std::nullopt;
}

void HandshakeGate::leave(Ticket ticket) { waiting_.erase(ticket); }

void HandshakeGate::done(Outcome o, milliseconds started, milliseconds ended) {
  if (in_flight_ > 0) --in_flight_;
  switch (o) {
    case Outcome::completed: {
      milliseconds took = ended - started;
      note_floor(took, floor_, last_floor_, epoch_count_);
      milliseconds base = floor();
      if (took >= base + kLate) narrow(started, ended);
      else if (took <= 2 * base + kGrain) limit_ = std::min(limit_ + 1, kMax);
      break;
    }
    case Outcome::failed: narrow(started, ended); break;
    case Outcome::abandoned: break;
  }
  admit(ended);
}

void HandshakeGate::dialed(milliseconds took) { note_floor(took, dial_floor_, last_dial_floor_, dial_epoch_count_); }

std::optional<HandshakeGate::milliseconds> HandshakeGate::syn_patience() const noexcept {
  milliseconds base = std::min(dial_floor_, last_dial_floor_);
  if (base >= kLate / kSynPatienceFactor) return std::nullopt;  // none yet (max()), or far away
  return std::max(kSynPatienceMin, base * kSynPatienceFactor);
}

void HandshakeGate::narrow(milliseconds started, milliseconds ended) {
  // An attempt already under way when the limit was last halved was admitted under the wider
  // limit: halving again for it would count one congestion twice.
  if (narrowed_ && started < last_narrowed_) return;
  limit_ = std::max(limit_ / 2, kMin);
  narrowed_ = true;
  last_narrowed_ = ended;
}

void HandshakeGate::admit(milliseconds now) {
  while (!waiting_.empty() && in_flight_ < limit_) {
    Waiter* w = waiting_.front();
    waiting_.pop_front();
    ++in_flight_;
    w->admitted(pace(now));
  }
}

HandshakeGate::milliseconds HandshakeGate::pace(milliseconds now) {
  if (pace_slot_ < now) {
    pace_slot_ = now;
    pace_used_ = 0;
  }
  milliseconds wait = pace_slot_ - now;
  if (++pace_used_ == kPerMs) {
    pace_slot_ += milliseconds(1);
    pace_used_ = 0;
  }
  return wait;
}

}  // namespace zkit::session
