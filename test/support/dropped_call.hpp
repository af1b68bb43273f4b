// expect_call_dropped: the check every hostile-peer case makes. A session on a peer that
// misbehaves once a request arrives must drop that connection with a log line naming the
// reason, fail the call exactly once with connection_loss, and close cleanly.
#pragma once

#include <string_view>
#include <vector>

#include "loop.hpp"
#include "zkit/zkit.hpp"

namespace zkit::test_support {

// Connects with `options` (a peer on `loop` behind them), sends one get and checks the above:
// every one of `reason_parts` appears in some warning logged meanwhile.
void expect_call_dropped(Loop& loop, Options options, const std::vector<std::string_view>& reason_parts);

}  // namespace zkit::test_support
