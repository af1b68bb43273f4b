#include "zkit/recipes/blocking/leader_latch.hpp"

#include <utility>

#include "blocking/on_client.hpp"

namespace zkit::recipes::blocking {
LeaderLatch::LeaderLatch(Client& client, std::string path, std::string id, LeaderLatchOptions options)
    : client_(&client),
      latch_(detail::make_on<recipes::LeaderLatch>(client, std::move(path), std::move(id), options)) {}

LeaderLatch::~LeaderLatch() { detail::close_on(*client_, latch_); }

Result<void> LeaderLatch::start() {
  if (!latch_) return detail::closed_client("LeaderLatch");
  return client_->run([this](Session&) { return latch_->start(); });
}

Result<FencingToken> LeaderLatch::await_leadership(std::chrono::milliseconds timeout) {
  if (!latch_) return detail::closed_client("LeaderLatch");
  return client_->run([this, timeout](Session&) { return latch_->await_leadership(timeout); });
}

Result<FencingToken> LeaderLatch::await_leadership() {
  if (!latch_) return detail::closed_client("LeaderLatch");
  return client_->run([this](Session&) { return latch_->await_leadership(); });
}

Result<void> LeaderLatch::close() {
  if (!latch_) return detail::closed_client("LeaderLatch");
  return client_->run([this](Session&) { return latch_->close(); });
}

bool LeaderLatch::has_leadership() {
  if (!latch_) return false;
  auto r = detail::read_on(*client_, [this] { return latch_->has_leadership(); });
  return r && *r;
}

FencingToken LeaderLatch::token() {
  if (!latch_) return {};
  auto r = detail::read_on(*client_, [this] { return latch_->token(); });
  return r ? *r : FencingToken{};
}

std::string LeaderLatch::node_path() {
  if (!latch_) return {};
  auto r = detail::read_on(*client_, [this] { return latch_->node_path(); });
  return r ? *r : std::string();
}

Result<std::vector<Participant>> LeaderLatch::participants() {
  if (!latch_) return detail::closed_client("LeaderLatch");
  return client_->run([this](Session&) { return latch_->participants(); });
}

Result<std::uint64_t> LeaderLatch::add_listener(OwnershipListener listener) {
  if (!latch_) return detail::closed_client("LeaderLatch");
  return detail::read_on(*client_, [this, l = std::move(listener)]() mutable { return latch_->add_listener(std::move(l)); });
}

}  // namespace zkit::recipes::blocking
