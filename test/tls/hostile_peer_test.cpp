// Attacks at the TLS level, from a scripted peer serving TLS 1.2 with the kit's server
// certificate (a real ZooKeeper never does either): a request to renegotiate is refused and
// closes the connection, and a record altered on the way is named as tampering. Either way the
// session drops that connection with the reason logged, fails the pending call exactly once,
// and never crashes.
#include <string_view>
#include <vector>

#include "dropped_call.hpp"
#include "scripted_peer.hpp"
#include "support.hpp"

namespace zkit::test_tls {
namespace {

void expect_tls_connection_dropped(TlsMisbehaviour what, const std::vector<std::string_view>& reason_parts) {
  const zkit::testing::TlsFiles& files = tls_server().files();
  Loop loop;
  ScriptedPeer peer(loop.get(), Script{.what = Misbehaviour::answers,
                                       .reply = [](std::int32_t xid) { return data_reply(xid); },
                                       .tls = TlsScript{.cert_file = files.server_cert,
                                                        .key_file = files.server_pem,
                                                        .what = what}});
  expect_call_dropped(loop, tls_options(peer.address(), TlsOptions{.enabled = true, .ca_file = files.ca}), reason_parts);
}

TEST_CASE("a server that asks to renegotiate TLS is refused and its connection dropped, saying why") {
  expect_tls_connection_dropped(TlsMisbehaviour::renegotiate, {"TLS renegotiation refused", "no_renegotiation"});
}

TEST_CASE("a TLS record tampered with on the way drops the connection, named as a failed integrity check") {
  expect_tls_connection_dropped(TlsMisbehaviour::tampered_record,
                                {"failed its integrity check (bad record MAC)", "tampered with or corrupted"});
}

}  // namespace
}  // namespace zkit::test_tls
