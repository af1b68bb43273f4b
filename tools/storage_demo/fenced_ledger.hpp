// FencedLedger: the storage the nodes append to, standing in for a real storage service. It
// admits a write only when its fencing token is at least the highest it has admitted
// (zkit::recipes::FenceGuard), so a holder that lost the ledger lock without knowing it (its
// session expired during a pause) cannot write after its successor.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "zkit/recipes/fencing.hpp"

namespace zkit::demo {

class FencedLedger {
 public:
  struct Entry {
    double t;  // monotonic ms of arrival
    std::string node;
    std::int64_t token;
    std::string record;
    bool accepted;
  };

  // Appends the record when the guard admits `token`; returns whether it did.
  bool write(double t, std::string node, std::int64_t token, std::string record);

  const std::vector<Entry>& entries() const noexcept { return entries_; }
  int accepted() const noexcept { return accepted_; }
  int refused() const noexcept { return refused_; }
  // Checked from the entries alone, not from the guard: every accepted token is at least every
  // token accepted before it. One line per violation.
  std::vector<std::string> violations() const;

 private:
  recipes::FenceGuard guard_;
  std::vector<Entry> entries_;
  int accepted_ = 0, refused_ = 0;
};

}  // namespace zkit::demo
