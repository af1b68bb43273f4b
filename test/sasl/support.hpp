// Helpers of the SASL suite: the DIGEST-MD5 server the binary shares (users bob and carol),
// and capturing a session's log lines and states.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "sessions.hpp"
#include "zkit/testing/sasl_cluster.hpp"

namespace zkit::test_sasl {
using namespace zkit::test_support;

inline constexpr const char* kBobPassword = "b0b-s3cret-pw";
inline constexpr const char* kCarolPassword = "c4rol-pw";

// A standalone server with DIGEST-MD5 users bob and carol, started on first use.
zkit::testing::SaslCluster& digest_server();

// Everything a session logs (at debug), and the states it went through.
struct Journal {
  std::mutex mutex;
  std::vector<std::string> lines;
  std::vector<SessionState> states;
  // Makes `o` log here.
  void attach(Options& o);
  void listen(Session& s);
  std::size_t count(const std::string& part);
};

}  // namespace zkit::test_sasl
