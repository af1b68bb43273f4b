// A small checker of the Prometheus text exposition format (0.0.4), for the tests: every line
// is a HELP, a TYPE or a sample; names and labels are well formed; each family has one HELP
// and one TYPE, before its samples; a histogram's buckets are cumulative, end with le="+Inf",
// and that bucket equals its _count. Returns the problems found ("" when none).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace zkit::test {

struct PromSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Parses and checks `text`; the samples go to `out`.
std::string check_prometheus(std::string_view text, std::vector<PromSample>& out);

// The value of the sample `name` whose labels include every one of `labels` (NaN: none).
double prom_value(const std::vector<PromSample>& samples, std::string_view name,
                  const std::map<std::string, std::string>& labels = {});

}  // namespace zkit::test
