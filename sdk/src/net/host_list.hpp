// HostList: the ensemble's client addresses, shuffled once, then tried round-robin.
#pragma once

#include <cstddef>
#include <random>
#include <vector>

#include "zkit/options.hpp"

namespace zkit::net {

class HostList {
 public:
  HostList(std::vector<HostPort> hosts, bool shuffle, std::mt19937_64& rng);
  const HostPort& next();
  // Makes `host` the next one next() returns (when it is in the list).
  void prefer(const HostPort& host);
  std::size_t size() const noexcept { return hosts_.size(); }

 private:
  std::vector<HostPort> hosts_;
  std::size_t next_ = 0;
};

}  // namespace zkit::net
