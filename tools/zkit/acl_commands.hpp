// getacl PATH and setacl PATH ACL: a node's ACL in zkCli's notation (scheme:id:perms, one
// entry a line; --json gives {"path", "acl": [{"scheme", "id", "perms"}], "aversion"}).
#pragma once

#include "args.hpp"
#include "zkit/client.hpp"

namespace zkit::cli {

Result<void> run_acl_command(Client& client, const Invocation& inv);
// `zkit getacl --help` and `zkit setacl --help`.
const char* acl_usage(Verb verb) noexcept;

}  // namespace zkit::cli
