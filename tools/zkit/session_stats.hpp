// The session's own figures in `zkit stats` (zkit/metrics.hpp), and the command's refresh loop:
// --prometheus (the session's figures as Prometheus text), --watch N [--count M] (again every
// N seconds, M times; until interrupted without --count).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "args.hpp"
#include "output.hpp"
#include "zkit/client.hpp"
#include "zkit/metrics.hpp"

namespace zkit::cli {

// The figures as stats' JSON shows them under "session"."metrics" (to_json's object, without
// the id the session object already has).
nlohmann::ordered_json session_metrics_json(const Metrics& m);
// The same as "  key value" lines for the text form.
std::vector<std::string> session_metrics_lines(const Metrics& m);

// stats, once or refreshed (see above).
Result<void> run_stats_command(Client& client, const Invocation& inv, Printer& out);

}  // namespace zkit::cli
