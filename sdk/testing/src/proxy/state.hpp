// What a FaultProxy's connections share: the faults in force, the upstream, the list of live
// connections and the counters the test thread reads. Everything but the counters is touched on
// the proxy's loop thread only.
#pragma once

#include <uv.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>

namespace zkit::testing::proxy {

class Link;

struct State {
  // --- loop thread ---------------------------------------------------------------------------
  uv_loop_t* loop = nullptr;
  sockaddr_storage upstream{};
  bool refusing = false;
  bool stalled = false;
  std::chrono::milliseconds delay{0};
  bool cut_armed = false;
  std::optional<std::int32_t> cut_opcode;
  // Every connection not yet ended (or ended by a cut and still draining the server side). A
  // Link leaves the list when it has closed its last socket; the close callbacks keep it
  // alive until libuv is done with it (see link.hpp).
  std::list<std::shared_ptr<Link>> links;
  // Shared by every read: libuv hands it back in the read callback, before the next read.
  char read_buffer[64 * 1024];

  // Delivers what every connection held while stalled (after stall(false)).
  void pump_links();
  // Resets every connection and ends every drain: drop_connections, and the proxy's shutdown.
  void drop_links();

  // --- any thread ----------------------------------------------------------------------------
  std::atomic<int> active{0};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::size_t> held{0};
  mutable std::mutex accepted_mu;
  mutable std::condition_variable accepted_cv;
  int accepted = 0;  // guarded by accepted_mu

  void count_accepted() {
    std::lock_guard lock(accepted_mu);
    ++accepted;
    accepted_cv.notify_all();
  }
};

}  // namespace zkit::testing::proxy
