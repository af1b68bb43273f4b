// LocalServer: a throwaway ZooKeeper for one zkit run, started through zkit's testing kit
// (real servers in a temporary directory; see sdk/testing).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "zkit/result.hpp"

namespace zkit::testing {
class Cluster;
}

namespace zkit::cli {

class LocalServer {
 public:
  LocalServer();
  ~LocalServer();  // stop()

  // Starts `size` servers (1 or 3) and returns their connection string; `port` (size 1 only,
  // 0: any free one) is the client port. Fails with the kit's error, e.g. when ZooKeeper is
  // not installed or the port is taken.
  Result<std::string> start(int size, int port = 0);

  // Kills the servers and removes their files. Idempotent and callable from any thread: the
  // interrupt thread uses it so that Ctrl-C never leaves a server behind.
  void stop();

 private:
  std::mutex mu_;  // held across start() and stop(): a stop waits for a start in progress
  std::unique_ptr<testing::Cluster> cluster_;
};

}  // namespace zkit::cli
