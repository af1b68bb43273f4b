// The results as a table: one row per figure, zkit's and the C client's side by side, their
// ratio (zkit / C) and issue 5's target for it. The table is Markdown, so the same text reads on
// a terminal and pastes into docs/benchmarks.md.
#pragma once

#include <cstdio>

#include "workloads.hpp"

namespace zkit::bench {

// The rows, as JSON objects: workload, metric, zkit, c, ratio (null where missing), target,
// verdict ("met", "MISSED" or ""), note.
json table_rows(const json& results);

// Prints a few lines on the run (mode, server, load) and the table.
void print_report(const json& results, std::FILE* out);

}  // namespace zkit::bench
