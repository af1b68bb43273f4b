#include "ownership_log.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace zkit::demo {

void OwnershipLog::begin(const std::string& resource, const std::string& owner, double t,
                         std::int64_t token) {
  by_resource_[resource].push_back({owner, t, -1, token});
}

void OwnershipLog::end(const std::string& resource, const std::string& owner, double t) {
  for (auto& i : by_resource_[resource])
    if (i.owner == owner && i.to < 0) i.to = t;
}

void OwnershipLog::end_all(const std::string& owner, double t) {
  for (auto& [resource, intervals] : by_resource_)
    for (auto& i : intervals)
      if (i.owner == owner && i.to < 0) i.to = t;
}

std::vector<std::string> OwnershipLog::violations() const {
  std::vector<std::string> out;
  auto ms = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return std::string(buf);
  };
  for (const auto& [resource, list] : by_resource_) {
    auto sorted = list;
    std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) { return a.from < b.from; });
    // Against the interval that reaches furthest among those that began earlier.
    std::size_t furthest = 0;
    auto end_of = [](const Interval& i) {
      return i.to < 0 ? std::numeric_limits<double>::infinity() : i.to;
    };
    for (std::size_t k = 1; k < sorted.size(); ++k) {
      const auto& prev = sorted[furthest];
      const auto& next = sorted[k];
      if (next.from < end_of(prev))
        out.push_back(resource + ": " + next.owner + " took it at " + ms(next.from) + " ms while " +
                      prev.owner + " still owned it (until " +
                      (prev.to < 0 ? std::string("the end") : ms(prev.to) + " ms") + ")");
      if (next.token < sorted[k - 1].token)
        out.push_back(resource + ": " + next.owner + "'s token " + std::to_string(next.token) +
                      " is lower than the previous owner's " + std::to_string(sorted[k - 1].token));
      if (end_of(next) > end_of(prev)) furthest = k;
    }
  }
  return out;
}

std::size_t OwnershipLog::count(const std::string& prefix) const {
  std::size_t n = 0;
  for (const auto& [resource, list] : by_resource_)
    if (resource.starts_with(prefix)) n += list.size();
  return n;
}

}  // namespace zkit::demo
