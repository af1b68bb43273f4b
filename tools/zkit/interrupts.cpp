#include "interrupts.hpp"

#include <semaphore.h>
#include <signal.h>

#include <atomic>
#include <cerrno>

namespace zkit::cli {
namespace {

sem_t g_sem;
std::atomic<int> g_last_signal{0};
std::atomic<bool> g_stopping{false};

extern "C" void on_signal_handler(int sig) {
  g_last_signal.store(sig);
  sem_post(&g_sem);  // async-signal-safe
}

}  // namespace

Interrupts::Interrupts(std::function<void(int)> on_signal) : on_signal_(std::move(on_signal)) {
  sem_init(&g_sem, 0, 0);
  g_stopping = false;
  struct sigaction sa {};
  sa.sa_handler = on_signal_handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  thread_ = std::thread([this] {
    for (;;) {
      while (sem_wait(&g_sem) != 0 && errno == EINTR) {
      }
      if (g_stopping) return;
      on_signal_(g_last_signal.load());
    }
  });
}

Interrupts::~Interrupts() {
  g_stopping = true;
  sem_post(&g_sem);
  thread_.join();
}

}  // namespace zkit::cli
