#include "zkit/recipes/blocking/double_barrier.hpp"

#include <optional>
#include <utility>

#include "blocking/on_client.hpp"

namespace zkit::recipes::blocking {
namespace {
using Barrier = recipes::DoubleBarrier;

// The task holds the barrier: after an interrupt() it runs on while the face may be gone.
Task<Result<void>> enter_held(std::shared_ptr<Barrier> b, std::optional<std::chrono::milliseconds> timeout) {
  if (timeout) co_return co_await b->enter(*timeout);
  co_return co_await b->enter();
}
Task<Result<void>> leave_held(std::shared_ptr<Barrier> b, std::optional<std::chrono::milliseconds> timeout) {
  if (timeout) co_return co_await b->leave(*timeout);
  co_return co_await b->leave();
}
}  // namespace

DoubleBarrier::DoubleBarrier(Client& client, std::string path, int member_count)
    : client_(&client), barrier_(detail::make_on<Barrier>(client, std::move(path), member_count)) {}

// The coroutine DoubleBarrier owns no background work, so it needs no close.
DoubleBarrier::~DoubleBarrier() = default;

Result<void> DoubleBarrier::enter(std::chrono::milliseconds timeout) {
  if (!barrier_) return detail::closed_client("DoubleBarrier");
  return client_->run([this, timeout](Session&) { return enter_held(barrier_, timeout); });
}
Result<void> DoubleBarrier::enter() {
  if (!barrier_) return detail::closed_client("DoubleBarrier");
  return client_->run([this](Session&) { return enter_held(barrier_, std::nullopt); });
}
Result<void> DoubleBarrier::leave(std::chrono::milliseconds timeout) {
  if (!barrier_) return detail::closed_client("DoubleBarrier");
  return client_->run([this, timeout](Session&) { return leave_held(barrier_, timeout); });
}
Result<void> DoubleBarrier::leave() {
  if (!barrier_) return detail::closed_client("DoubleBarrier");
  return client_->run([this](Session&) { return leave_held(barrier_, std::nullopt); });
}

std::string DoubleBarrier::node_path() {
  if (!barrier_) return {};
  auto r = detail::read_on(*client_, [this] { return barrier_->node_path(); });
  return r ? *r : std::string();
}

}  // namespace zkit::recipes::blocking
