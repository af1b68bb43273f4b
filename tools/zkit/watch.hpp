// The watch command: print a node's value, then every change, until interrupted.
//
// Watch callbacks run on the Client's thread, where blocking Client calls are not allowed, so
// they only post the event to a WatchInbox; the main thread takes events from it, prints them
// and re-arms the one-shot watch with the next read.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "args.hpp"
#include "output.hpp"
#include "zkit/client.hpp"

namespace zkit::cli {

// WatchInbox: events (tagged with the arming they belong to) and the interrupt, handed from
// other threads to the main thread. Must outlive the Client whose watchers post to it: a
// watch fires one last time when the session closes.
class WatchInbox {
 public:
  struct Item {
    std::uint64_t arming;
    WatchEvent event;
  };

  void post(std::uint64_t arming, const WatchEvent& e);
  void interrupt();
  bool interrupted() const;

  // The next event; nullopt once interrupted (pending events are dropped then).
  std::optional<Item> next();
  // Sleeps up to `d`; returns early (false) when interrupted.
  bool sleep_for(std::chrono::milliseconds d);

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> items_;
  bool interrupted_ = false;
};

// Streams inv.path's data (or children with inv.children) and its changes until the inbox is
// interrupted (then returns success) or the session ends (session_expired, auth_failed).
Result<void> run_watch(Client& client, const Invocation& inv, Printer& out, WatchInbox& inbox);

}  // namespace zkit::cli
