#include "watch.hpp"

namespace zkit::cli {

void WatchInbox::post(std::uint64_t arming, const WatchEvent& e) {
  {
    std::lock_guard lock(mu_);
    items_.push_back({arming, e});
  }
  cv_.notify_all();
}

void WatchInbox::interrupt() {
  {
    std::lock_guard lock(mu_);
    interrupted_ = true;
  }
  cv_.notify_all();
}

bool WatchInbox::interrupted() const {
  std::lock_guard lock(mu_);
  return interrupted_;
}

std::optional<WatchInbox::Item> WatchInbox::next() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return interrupted_ || !items_.empty(); });
  if (interrupted_) return std::nullopt;
  Item item = std::move(items_.front());
  items_.pop_front();
  return item;
}

bool WatchInbox::sleep_for(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, d, [&] { return interrupted_; });
}

namespace {

// Arms the watch again and prints the value it was armed on. Each arming gets a new number;
// events from older armings (a stale exists() watch, say) are ignored by the caller.
class Armer {
 public:
  Armer(Client& client, const Invocation& inv, Printer& out, WatchInbox& inbox)
      : client_(client), inv_(inv), out_(out), inbox_(inbox) {}

  std::uint64_t current() const { return arming_; }

  Result<void> arm() {
    for (;;) {
      Error error = read();
      if (error.code() == Errc::ok) return {};
      if (error.code() == Errc::no_node) {
        // Nothing to read: wait for the node to be created instead.
        auto e = client_.exists(inv_.path, watcher());
        if (e && !*e) {
          out_.watched_missing(inv_.path);
          return {};
        }
        if (e) continue;  // created in between: read it
        error = std::move(e).error();
      }
      // Ctrl-C while a read was unanswered (Client::interrupt ended it): a normal end.
      if (inbox_.interrupted()) return {};
      // Disconnected, or no reply in time: the session reconnects on its own; try again shortly.
      if (error.code() == Errc::connection_loss || error.code() == Errc::request_timeout) {
        if (!inbox_.sleep_for(std::chrono::milliseconds(200))) return {};
        continue;
      }
      return error;
    }
  }

 private:
  Watcher watcher() {
    return [inbox = &inbox_, n = ++arming_](const WatchEvent& e) { inbox->post(n, e); };
  }

  // One watched read; returns Errc::ok (as an Error) when it printed a value.
  Error read() {
    if (inv_.children) {
      auto r = client_.get_children(inv_.path, watcher());
      if (!r) return std::move(r).error();
      out_.watched_children(inv_.path, *r);
    } else {
      auto r = client_.get(inv_.path, watcher());
      if (!r) return std::move(r).error();
      out_.watched_data(inv_.path, *r);
    }
    return Error();
  }

  Client& client_;
  const Invocation& inv_;
  Printer& out_;
  WatchInbox& inbox_;
  std::uint64_t arming_ = 0;
};

}  // namespace

Result<void> run_watch(Client& client, const Invocation& inv, Printer& out, WatchInbox& inbox) {
  Armer armer(client, inv, out, inbox);
  if (auto r = armer.arm(); !r) return r;
  while (auto item = inbox.next()) {
    if (item->arming != armer.current()) continue;
    const WatchEvent& e = item->event;
    if (e.type == EventType::none) {
      // The session ended before the node changed.
      if (e.state == SessionState::expired)
        return Error(Errc::session_expired, "the session expired; watch ended");
      if (e.state == SessionState::auth_failed)
        return Error(Errc::auth_failed, "the session's credentials were refused; watch ended");
      if (e.state == SessionState::closed) return Error(Errc::closing, "the session was closed");
      continue;
    }
    out.event(e);
    if (auto r = armer.arm(); !r) return r;
  }
  return {};
}

}  // namespace zkit::cli

