#include "net/host_list.hpp"

#include <algorithm>

namespace zkit::net {

HostList::HostList(std::vector<HostPort> hosts, bool shuffle, std::mt19937_64& rng)
    : hosts_(std::move(hosts)) {
  if (shuffle) std::shuffle(hosts_.begin(), hosts_.end(), rng);
}

const HostPort& HostList::next() {
  const HostPort& h = hosts_[next_];
  next_ = (next_ + 1) % hosts_.size();
  return h;
}

}  // namespace zkit::net
