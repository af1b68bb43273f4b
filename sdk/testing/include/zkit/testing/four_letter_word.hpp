// Four-letter words: ZooKeeper's plain-text admin commands (srvr, ruok, mntr, stat, cons, ...).
//
// The server reads the word, answers in text and closes the connection. Clusters started by the
// testing kit allow every word (4lw.commands.whitelist=*); other servers allow only `srvr` by
// default and answer "... is not executed because it is not in the whitelist." to the rest.
//
//   auto r = zkit::testing::four_letter_word("127.0.0.1:2181", "ruok", 2s);
//   if (r && *r == "imok") ...
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "zkit/result.hpp"

namespace zkit::testing {

// Sends `word` to the server at `host_port` ("host:port", "[v6]:port") and returns its whole
// answer. Errors: connection_loss (cannot resolve, connect refused, reset), operation_timeout
// (no complete answer within `timeout`).
Result<std::string> four_letter_word(const std::string& host_port, std::string_view word,
                                     std::chrono::milliseconds timeout);

}  // namespace zkit::testing
