// For the test servers the CLI's shell tests start (zkit-tls-test-server, zkit-sasl-test-server):
// block SIGTERM/SIGINT so that sigwait takes them and destructors stop the servers, publish
// KEY=VALUE lines atomically (write, then rename) once serving, and wait for the signal.
#pragma once

#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>

namespace zkit::test_support {

class ReadyServer {
 public:
  ReadyServer() {
    sigemptyset(&stop_);
    sigaddset(&stop_, SIGTERM);
    sigaddset(&stop_, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_, nullptr);
  }
  // Writes `lines` to `path` all at once: a reader never sees half of them.
  static void publish(const std::string& path, const std::string& lines) {
    { std::ofstream(path + ".tmp") << lines; }
    std::rename((path + ".tmp").c_str(), path.c_str());
  }
  void wait_for_stop() {
    int sig = 0;
    sigwait(&stop_, &sig);
  }

 private:
  sigset_t stop_;
};

}  // namespace zkit::test_support
