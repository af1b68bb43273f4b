// The results as a table: one row per figure, zkit's beside the other clients' (the raw client
// and the C client; Curator and kazoo for W5) with zkit / them, and issue 10's target for it with
// its verdict. The table is Markdown, so the same text reads on a terminal and pastes into
// docs/benchmarks.md.
#pragma once

#include <cstdio>

#include "workloads.hpp"

namespace zkit::bench {

// The rows, as JSON objects: workload, metric, zkit, beside ([{client, value, ratio}], null
// where missing), checks ([{against, op, bound}]: the target; `against` empty for zkit's own
// figure), target (as text), verdict ("met", "MISSED", "n/a" or "" without a target), note.
json table_rows(const json& results);

// Prints a few lines on the run (mode, server, load) and the table.
void print_report(const json& results, std::FILE* out);

}  // namespace zkit::bench
