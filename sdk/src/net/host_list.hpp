// HostList: the ensemble's client addresses, shuffled once, then tried round-robin.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "net/random.hpp"
#include "zkit/options.hpp"

namespace zkit::net {

// "host:port", with IPv6 addresses in brackets: how connection strings name a server.
std::string host_name(const HostPort& h);

class HostList {
 public:
  HostList(std::vector<HostPort> hosts, bool shuffle, Random& rng);
  const HostPort& next();
  // Makes `host` the next one next() returns (when it is in the list).
  void prefer(const HostPort& host);
  std::size_t size() const noexcept { return hosts_.size(); }
  const std::vector<HostPort>& hosts() const noexcept { return hosts_; }

 private:
  std::vector<HostPort> hosts_;
  std::size_t next_ = 0;
};

}  // namespace zkit::net
