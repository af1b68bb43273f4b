// The commands about the session and the ensemble rather than one node's data: sync, whoami,
// config, reconfig and stats.
#pragma once

#include <string>

#include "args.hpp"
#include "output.hpp"
#include "zkit/client.hpp"

namespace zkit::cli {

// sync PATH: the server this session talks to catches up with the leader for PATH.
// Text: "synced /a". JSON: {"path":"/a","synced":true}
Result<void> run_sync(Client& client, const Invocation& inv, Printer& out);

// whoami: the session's id and the identities the server knows it by, one "scheme user" line
// each. JSON: {"session_id":"..","identities":[{"scheme":"ip","user":"127.0.0.1"}]}
Result<void> run_whoami(Client& client, Printer& out);

// config: the ensemble's dynamic configuration (/zookeeper/config) as the server has it.
// JSON: {"config":"server.1=...\nversion=0","version":"..","stat":{...}}
Result<void> run_config(Client& client, Printer& out);

// reconfig --add/--remove/--members [--from-config V]: changes the ensemble's membership and
// prints the new configuration as config does. Needs a server with reconfigEnabled=true and a
// session allowed to reconfig (the super user, or skipACL).
Result<void> run_reconfig(Client& client, const Invocation& inv, Printer& out);

// stats: each server's figures (its `mntr` four-letter word) and this session's.
// JSON: {"servers":[{"address":"127.0.0.1:2181","mntr":{"zk_version":"..",...}}],
//        "session":{"session_id":"..","negotiated_timeout_ms":N,"state":"connected",...}}
Result<void> run_stats(Client& client, const std::string& connect, Printer& out);

}  // namespace zkit::cli
