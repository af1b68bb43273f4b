// The client addresses in an ensemble's dynamic configuration (the data of /zookeeper/config):
// what a session follows when members are added or removed (Options::follow_ensemble).
#pragma once

#include <string_view>
#include <vector>

#include "zkit/options.hpp"

namespace zkit::session {

// Parses "server.N=host:quorum:election[:role];[client_host:]client_port" lines (other lines,
// such as "version=...", are skipped). A client host of 0.0.0.0 (or none) means the server's
// own host. Empty when the data names no server, or a server without a client address: then
// there is nothing a client could follow.
std::vector<HostPort> client_hosts_of_config(std::string_view data);

}  // namespace zkit::session
