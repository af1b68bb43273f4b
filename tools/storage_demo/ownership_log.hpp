// OwnershipLog: who owned what, when, as the owners themselves reported it; and the check
// that nothing exclusive was ever owned twice at once.
//
// Times are CLOCK_MONOTONIC milliseconds taken by the owners: a start when the recipe granted
// ownership, an end before it handed ownership on (Partitioner's on_released, a lock released
// before its node is deleted) or when the owner's process was seen dead. A successor can only be
// granted after that, so on one machine's clock intervals of one resource must not overlap.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace zkit::demo {

class OwnershipLog {
 public:
  // `owner` owns `resource` from `t` on, with fencing token `token`.
  void begin(const std::string& resource, const std::string& owner, double t, std::int64_t token);
  // ... until `t` (ignored when it does not own it).
  void end(const std::string& resource, const std::string& owner, double t);
  // Ends everything `owner` owns (its process died).
  void end_all(const std::string& owner, double t);

  // One line per violation: two owners of a resource at once, or a later owner with a lower
  // fencing token than an earlier one.
  std::vector<std::string> violations() const;
  // Intervals recorded for resources whose name starts with `prefix`.
  std::size_t count(const std::string& prefix) const;

 private:
  struct Interval {
    std::string owner;
    double from, to;  // to < 0: still open
    std::int64_t token;
  };
  std::map<std::string, std::vector<Interval>> by_resource_;
};

}  // namespace zkit::demo
