#include "net/rebalance.hpp"

#include <algorithm>

namespace zkit::net {

Rebalance rebalance(const std::vector<HostPort>& old_hosts, const std::vector<HostPort>& new_hosts,
                    const HostPort* current, double unit_random) {
  Rebalance r;
  if (!current || new_hosts.empty()) return r;
  std::vector<HostPort> kept, added;
  for (const HostPort& h : new_hosts)
    (std::find(old_hosts.begin(), old_hosts.end(), h) != old_hosts.end() ? kept : added).push_back(h);
  bool still_listed = std::find(new_hosts.begin(), new_hosts.end(), *current) != new_hosts.end();
  double s = static_cast<double>(old_hosts.size());
  double n = static_cast<double>(new_hosts.size());
  double k = static_cast<double>(kept.size());
  if (n > s) {
    if (still_listed && unit_random >= 1.0 - s / n) return r;  // stays
    r.move = !added.empty();
    r.candidates = added.empty() ? new_hosts : std::move(added);
    return r;
  }
  if (still_listed) return r;
  r.move = true;
  // The removed server's clients go to the kept servers in proportion to what those can still
  // take (S - N of each S old shares), the rest to the added ones.
  double p_kept = kept.empty() || s == k ? 0.0 : k * (s - n) / (n * (s - k));
  if (added.empty() || (!kept.empty() && unit_random < p_kept)) r.candidates = std::move(kept);
  else r.candidates = std::move(added);
  return r;
}

}  // namespace zkit::net
