// Helpers of the TLS suite: the TLS server the binary shares (ssl.clientAuth=need), sessions
// on it, and waiting for a connection attempt to fail with a reason.
#pragma once

#include <string>

#include "sessions.hpp"
#include "zkit/testing/tls_cluster.hpp"

namespace zkit::test_tls {
using namespace zkit::test_support;

// A standalone TLS server (client certificates required), started on first use.
zkit::testing::TlsCluster& tls_server();

// Options for a session on the shared TLS server with `tls`.
Options tls_options(const std::string& connect, TlsOptions tls);

// Starts a session that is expected never to connect, waits until a connection attempt has
// failed, checks the session did not connect, and returns the failure's reason.
std::string first_failure(Loop& loop, Options options);

}  // namespace zkit::test_tls
