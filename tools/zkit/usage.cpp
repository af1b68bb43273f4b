#include "usage.hpp"

namespace zkit::cli {
namespace {

constexpr const char* kOverview = R"(zkit: a command-line client for Apache ZooKeeper

usage: zkit [--connect HOSTS] [--json] [--timeout MS] COMMAND [ARGS...]

commands:
  ls PATH                  list the children of a node
  get PATH                 print a node's data
  set PATH DATA            replace a node's data
  create PATH [DATA]       create a node (ephemeral, sequential, container or TTL)
  delete PATH              delete a node
  stat PATH                print a node's metadata
  watch PATH               print a node's data (or children) and every change, until Ctrl-C
  serve                    run a throwaway local ZooKeeper until Ctrl-C
  help [COMMAND]           this text, or a command's

options (before or after the command):
  --connect HOSTS   servers as "host:port,host:port[/chroot]". Without it, zkit starts a
                    throwaway local ZooKeeper for this one command and removes it afterwards.
  --json            machine-readable output: one JSON object per line
  --timeout MS      session timeout, which also bounds connecting (default 5000)
  -h, --help        help (for a command: zkit COMMAND --help)

DATA given as "-" is read from standard input. Exit status: 0 on success, 1 when the operation
failed, 2 for a usage error.
)";

constexpr const char* kLs = R"(usage: zkit ls PATH

Lists the children of PATH, sorted, one name per line.
JSON: {"path":"/","children":["zookeeper"],"stat":{...}}

example: zkit --connect 127.0.0.1:2181 ls /
)";

constexpr const char* kGet = R"(usage: zkit get PATH

Prints the data of PATH as it is, followed by a newline.
JSON: {"path":"/a","data":"text","stat":{...}}; data that is not valid UTF-8 comes as
"data_base64" instead of "data".

example: zkit get /config
)";

constexpr const char* kSet = R"(usage: zkit set PATH DATA [--version N]

Replaces the data of PATH ("-" reads it from standard input).
  --version N   only if the node's data version is N (a compare-and-set); -1 (default): any

JSON: {"path":"/a","stat":{...}} with the new Stat.
example: zkit set /config v2 --version 1
)";

constexpr const char* kCreate = R"(usage: zkit create PATH [DATA] [--ephemeral] [--sequential] [--container] [--ttl MS]

Creates PATH with DATA (default: empty; "-" reads standard input) and prints the path made.
  --ephemeral    the node goes away with the session that made it (for zkit: right after
                 this command)
  --sequential   the server appends a 10-digit counter to the name (PATH may end in '/')
  --container    the server deletes the node once its last child is gone
  --ttl MS       the server deletes the node after MS without change and without children
                 (needs a server with zookeeper.extendedTypesEnabled=true, as zkit serve has)

JSON: {"path":"/jobs/job-0000000003","stat":{...}}
example: zkit create /jobs/job- --sequential payload
)";

constexpr const char* kDelete = R"(usage: zkit delete PATH [--version N]

Deletes PATH, which must have no children.
  --version N   only if the node's data version is N; -1 (default): any

JSON: {"path":"/a","deleted":true}
example: zkit delete /config --version 2
)";

constexpr const char* kStat = R"(usage: zkit stat PATH

Prints the metadata of PATH: zxids (hex), times (UTC), versions, ephemeral owner, sizes.
JSON: {"path":"/a","stat":{"czxid":2,"mzxid":2,"ctime":1700000000000,"mtime":1700000000000,
"version":0,"cversion":0,"aversion":0,"ephemeral_owner":0,"data_length":5,"num_children":0,
"pzxid":2}}

example: zkit --json stat /config
)";

constexpr const char* kWatch = R"(usage: zkit watch PATH [--children]

Prints the data of PATH (with --children: its children), then every change as an event
followed by the new value, until interrupted (Ctrl-C or SIGTERM; exit status 0). A node that
does not exist yet is waited for.
  --children   watch the list of children instead of the data

JSON, one object per line:
  {"kind":"value","path":"/a","data":"v1","stat":{...}}
  {"kind":"value","path":"/a","children":["x","y"],"stat":{...}}
  {"kind":"value","path":"/a","exists":false}
  {"kind":"event","type":"node_data_changed","path":"/a"}

example: zkit --connect 127.0.0.1:2181 watch /config
)";

constexpr const char* kServe = R"(usage: zkit serve [--size 1|3] [--ready-file FILE]

Starts a throwaway local ZooKeeper (a standalone server, or an ensemble of 3) in a temporary
directory, prints its connection string as the first line of standard output, and runs until
Ctrl-C or SIGTERM; then stops the servers and removes their files.
  --size N            1 (default) or 3 servers
  --ready-file FILE   also write the connection string to FILE once the servers are up

output: connect: 127.0.0.1:41234        JSON: {"connect":"127.0.0.1:41234"}
example: zkit serve --ready-file /tmp/zk.addr &
)";

constexpr const char* kHelp = R"(usage: zkit help [COMMAND]

Prints the overview, or the help of COMMAND (the same as zkit COMMAND --help).
)";

}  // namespace

std::string help_text(std::optional<Verb> verb) {
  if (!verb) return kOverview;
  switch (*verb) {
    case Verb::help: return kHelp;
    case Verb::ls: return kLs;
    case Verb::get: return kGet;
    case Verb::set: return kSet;
    case Verb::create: return kCreate;
    case Verb::remove: return kDelete;
    case Verb::stat: return kStat;
    case Verb::watch: return kWatch;
    case Verb::serve: return kServe;
  }
  return kOverview;
}

}  // namespace zkit::cli
