// SIGINT and SIGTERM as a callback on a thread of our own.
//
// The signal handler only posts a semaphore (async-signal-safe); a thread waits on it and runs
// the callback, which may then lock, notify and stop servers like any other code. Handlers are
// installed with sigaction rather than by blocking the signals, so the ZooKeeper processes the
// testing kit starts do not inherit a blocked signal mask.
#pragma once

#include <functional>
#include <thread>

namespace zkit::cli {

class Interrupts {
 public:
  // Installs the handlers and starts the thread; `on_signal` runs on it for every signal.
  explicit Interrupts(std::function<void(int signal)> on_signal);
  // Stops the thread. Signals arriving later are counted by the handler but run nothing.
  ~Interrupts();

  Interrupts(const Interrupts&) = delete;
  Interrupts& operator=(const Interrupts&) = delete;

 private:
  std::function<void(int)> on_signal_;
  std::thread thread_;  // last: it runs on_signal_
};

}  // namespace zkit::cli
