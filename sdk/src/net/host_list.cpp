#include "net/host_list.hpp"

#include <algorithm>

namespace zkit::net {

std::string host_name(const HostPort& h) {
  return (h.host.find(':') != std::string::npos ? "[" + h.host + "]" : h.host) + ":" + std::to_string(h.port);
}

HostList::HostList(std::vector<HostPort> hosts, bool shuffle, Random& rng)
    : hosts_(std::move(hosts)) {
  if (shuffle) std::shuffle(hosts_.begin(), hosts_.end(), rng);
}

const HostPort& HostList::next() {
  const HostPort& h = hosts_[next_];
  next_ = (next_ + 1) % hosts_.size();
  return h;
}

void HostList::prefer(const HostPort& host) {
  for (std::size_t i = 0; i < hosts_.size(); ++i)
    if (hosts_[i] == host) next_ = i;
}

}  // namespace zkit::net
