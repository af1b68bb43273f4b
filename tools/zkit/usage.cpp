#include "usage.hpp"

#include "acl_commands.hpp"
#include "security_flags.hpp"

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
  lock PATH -- CMD...      run CMD while holding the lock PATH
  elect PATH [-- CMD...]   join the election PATH: report leadership, or run CMD while leader
  help [COMMAND]           this text, or a command's

options (before or after the command):
  --connect HOSTS   servers as "host:port,host:port[/chroot]". Without it, zkit starts a
                    throwaway local ZooKeeper for this one command and removes it afterwards.
  --json            machine-readable output: one JSON object per line
  --timeout MS      session timeout, which also bounds connecting (default 5000); for lock,
                    the time to wait for the lock instead
  --session-timeout MS   the session timeout, for every command (lock included)
  --request-timeout MS   a request not answered within MS fails (default: the session
                    timeout; 0: no deadline), so no command waits forever on a server
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

constexpr const char* kLock = R"(usage: zkit lock PATH [--timeout DURATION] -- CMD [ARGS...]

Acquires the lock PATH (Curator's InterProcessMutex layout), runs CMD with ZKIT_LOCK_PATH and
ZKIT_FENCING_TOKEN (the acquisition's token: a decimal integer, higher for every later holder)
in its environment, releases the lock when CMD exits and exits with CMD's status. If the lock
is lost while CMD runs (the connection dropped or the session expired), CMD's process group
gets SIGTERM, then SIGKILL 5 s later. Ctrl-C (or SIGTERM) stops CMD the same way, or stops
waiting, and releases the lock.
  --timeout DURATION   wait at most this long (500ms, 10s, 2m; plain numbers are ms; 0: try
                       once). Default: as long as it takes.

exit status: CMD's own; 75 the lock was lost while CMD ran; 124 not acquired within
--timeout; 126 CMD cannot be executed; 127 CMD not found; 130 interrupted; 1 ZooKeeper failed.
example: zkit --connect 127.0.0.1:2181 lock /locks/backup --timeout 30s -- ./backup.sh
)";

constexpr const char* kElect = R"(usage: zkit elect PATH [--id ID] [-- CMD [ARGS...]]

Joins the leader election PATH (Curator's LeaderLatch layout) as ID and prints every change
of leadership until Ctrl-C or SIGTERM (exit status 0):
  joined PATH as ID, waiting for leadership
  leader: ID leads PATH (fencing token N)
  lost: ID no longer leads PATH: REASON
With CMD: runs CMD while leading (with ZKIT_FENCING_TOKEN, ZKIT_ELECTION_PATH and
ZKIT_LEADER_ID set), stops it (SIGTERM, SIGKILL 5 s later) when leadership is lost, and waits
to lead again. A CMD that exits by itself ends the term: zkit hands leadership on and queues
again at the back.
  --id ID   this participant's id, stored in its node (default: HOSTNAME-PID)

JSON, one object per line: {"event":"joined","path":"/e","id":"a"}, {"event":"leader",...,
"token":N}, {"event":"lost",...,"reason":"..."}, {"event":"command_started",...,"pid":N},
{"event":"command_exited",...,"status":N,"reason":"..."}.
exit status: 0 stopped by a signal; 1 the session expired or no server answered; 126/127 CMD
cannot be executed / not found.
example: zkit --connect 127.0.0.1:2181 elect /election/compactor --id node-1 -- ./compactor
)";

constexpr const char* kHelp = R"(usage: zkit help [COMMAND]

Prints the overview, or the help of COMMAND (the same as zkit COMMAND --help).
)";

}  // namespace

std::string help_text(std::optional<Verb> verb) {
  if (!verb) return std::string(kOverview) + security_usage();
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
    case Verb::lock: return kLock;
    case Verb::elect: return kElect;
    case Verb::getacl:
    case Verb::setacl: return acl_usage(*verb);
  }
  return kOverview;
}

}  // namespace zkit::cli
