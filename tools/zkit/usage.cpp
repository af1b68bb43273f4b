#include "usage.hpp"

#include "acl_commands.hpp"
#include "security_flags.hpp"

namespace zkit::cli {
namespace {

constexpr const char* kOverview = R"(zkit: a command-line client for Apache ZooKeeper

usage: zkit [--connect HOSTS] [--json] [--timeout MS] COMMAND [ARGS...]

commands:
  ls [-R] PATH             list the children of a node (-R: every descendant, full paths)
  tree [PATH]              draw the subtree under PATH (default /)
  find [PATH] [--name GLOB]  the paths under PATH whose name matches GLOB
  get PATH                 print a node's data
  set PATH DATA            replace a node's data
  create [-p] PATH [DATA]  create a node (-p: and its missing parents; ephemeral, sequential,
                           container or TTL)
  delete PATH              delete a node
  deleteall PATH           delete a node and everything under it
  stat PATH                print a node's metadata
  sync [PATH]              let the server catch up with the leader
  watch PATH               print a node's data (or children) and every change, until Ctrl-C
  whoami                   the session's id and identities
  config                   the ensemble's configuration
  reconfig ...             change the ensemble's members
  stats                    the servers' and the session's figures
  dump [PATH]              the subtree as JSON
  restore [FILE]           create the nodes of a dump
  shell                    an interactive shell on one session
  serve                    run a throwaway local ZooKeeper until Ctrl-C
  lock PATH -- CMD...      run CMD while holding the lock PATH
  elect PATH [-- CMD...]   join the election PATH: report leadership, or run CMD while leader
  help [COMMAND]           this text, or a command's

options (before or after the command):
  --connect HOSTS   servers as "host:port,host:port[/chroot]"; without it, $ZKIT_CONNECT. With
                    neither, zkit starts a throwaway local ZooKeeper for this one command and
                    removes it afterwards (said on stderr).
  --json            machine-readable output: one JSON object per line; errors too (on stderr)
  --config FILE     session options as JSON, the keys of zkit/options_json.hpp
                    ({"connect":"h:2181","session_timeout_ms":4000,...}); flags win over it
  --timeout MS      session timeout, which also bounds connecting (default 5000); for lock,
                    the time to wait for the lock instead
  --session-timeout MS   the session timeout, for every command (lock included)
  --request-timeout MS   a request not answered within MS fails (default: the session
                    timeout; 0: no deadline), so no command waits forever on a server
  --version         zkit's version (after set or delete: the node version to check)
  -h, --help        help (for a command: zkit COMMAND --help)

DATA given as "-" is read from standard input.
exit status: 0 success; 1 other failure; 2 usage; 3 no node; 4 node exists; 5 bad version;
6 not empty; 7 no auth; 8 connection failure; 9 session expired; 130 interrupted
(lock and elect add their own: see their help).
)";

constexpr const char* kLs = R"(usage: zkit ls [-R] PATH

Lists the children of PATH, sorted, one name per line.
  -R, --recursive   PATH and every node under it, one full path per line, depth first
JSON: {"path":"/","children":["zookeeper"],"stat":{...}}; -R: {"path":"/a","paths":["/a",...]}

example: zkit --connect 127.0.0.1:2181 ls /
)";

constexpr const char* kGet = R"(usage: zkit get PATH [--raw]

Prints the data of PATH byte for byte; a newline follows it only when standard output is a
terminal, so 'zkit get /a > file' stores exactly the node's bytes.
  --raw   no newline on a terminal either
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

constexpr const char* kCreate = R"(usage: zkit create [-p] PATH [DATA] [--ephemeral] [--sequential] [--container] [--ttl MS]

Creates PATH with DATA (default: empty; "-" reads standard input) and prints the path made.
  -p, --parents  first create the missing parents (empty, persistent)
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
JSON: {"path":"/a","stat":{"czxid":"2","mzxid":"2","ctime":1700000000000,"mtime":1700000000000,
"version":0,"cversion":0,"aversion":0,"ephemeral_owner":"0","data_length":5,"num_children":0,
"pzxid":"2"}} (zxids and session ids are strings: JSON numbers lose 64-bit digits)

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

constexpr const char* kServe = R"(usage: zkit serve [--size 1|3] [--port PORT] [--ready-file FILE]

Starts a throwaway local ZooKeeper (a standalone server, or an ensemble of 3) in a temporary
directory, prints its connection string as the first line of standard output, and runs until
Ctrl-C or SIGTERM; then stops the servers and removes their files.
  --size N            1 (default) or 3 servers
  --port PORT         the client port of a single server (default: 2181 when it is free,
                      else a free port)
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
"token":"N"}, {"event":"lost",...,"reason":"..."}, {"event":"command_started",...,"pid":N},
{"event":"command_exited",...,"status":N,"reason":"..."}.
exit status: 0 stopped by a signal; 1 the session expired or no server answered; 126/127 CMD
cannot be executed / not found.
example: zkit --connect 127.0.0.1:2181 elect /election/compactor --id node-1 -- ./compactor
)";

constexpr const char* kTree = R"(usage: zkit tree [PATH]

Draws the subtree under PATH (default /), children sorted:
  /a
  ├── b
  │   └── c
  └── d
JSON: {"path":"/a","name":"a","children":[{"path":"/a/b","name":"b","children":[...]},...]}
)";

constexpr const char* kFind = R"(usage: zkit find [PATH] [--name GLOB]

Prints PATH (default /) and every node under it whose last name matches GLOB (shell
wildcards: * ? [...]; default: every node), one full path per line, depth first.
JSON: {"path":"/","matches":["/a/job-1",...]}
example: zkit find /jobs --name 'job-*'
)";

constexpr const char* kDeleteall = R"(usage: zkit deleteall PATH

Deletes PATH and every node under it, deepest first (children created meanwhile are deleted
too, up to 10 rounds). Refuses / and /zookeeper.
JSON: {"path":"/a","deleted":3}
)";

constexpr const char* kSync = R"(usage: zkit sync [PATH]

Makes the server this session uses catch up with the leader (for PATH, default /), so a read
after it sees every write committed before it.
JSON: {"path":"/","synced":true}
)";

constexpr const char* kWhoami = R"(usage: zkit whoami

Prints the session id and each identity the server knows the session by ("ip 127.0.0.1",
"digest alice", ...). JSON: {"session_id":"7206...","identities":[{"scheme":"ip","user":"127.0.0.1"}]}
)";

constexpr const char* kConfig = R"(usage: zkit config

Prints the ensemble's dynamic configuration (/zookeeper/config): server lines and version.
JSON: {"config":"server.1=...\nversion=100000000","version":"100000000","stat":{...}}
)";

constexpr const char* kReconfig = R"(usage: zkit reconfig [--add SERVERS] [--remove IDS] [--members SERVERS] [--from-config V]

Changes the ensemble's membership and prints the new configuration (as zkit config).
  --add SERVERS     servers to add: "server.4=127.0.0.1:2284:2384:participant;127.0.0.1:2184"
                    (several separated by ',')
  --remove IDS      server ids to remove: "3" or "3,4"
  --members SERVERS the whole new member list instead (not with --add or --remove)
  --from-config V   only if the current config version is V (hex with 0x, as config prints it)
Needs reconfigEnabled=true on the servers and a session allowed to reconfig.
)";

constexpr const char* kStats = R"(usage: zkit stats [--prometheus] [--watch SECONDS [--count N]]

Prints each server's figures (its 'mntr' four-letter word: version, latency, outstanding
requests, znodes, watches...) and this session's (id, state, negotiated timeout, a round trip
measured now, and its metrics: requests, latency per operation, reconnects, bytes...).
A server whose 4lw.commands.whitelist lacks mntr says so.
  --prometheus      the session's metrics as Prometheus text instead
  --watch SECONDS   print again every SECONDS (until interrupted, or N times with --count N)
JSON: {"servers":[{"address":"127.0.0.1:2181","mntr":{"zk_version":"3.8...",...}}],
"session":{"session_id":"...","state":"connected","negotiated_timeout_ms":5000,"round_trip_ms":0.3,
"metrics":{"requests_outstanding":0,"operations":{"exists":{"replies":1,...}},...}}}
(with --watch, one such object per line)
)";

constexpr const char* kDump = R"(usage: zkit dump [PATH]

Writes the subtree under PATH (default /; /zookeeper left out) to standard output as one JSON
document, parents before children: each node's path, mode (persistent, container,
persistent_with_ttl with ttl_ms, ephemeral), data ("data", or "data_base64" when binary) and ACL.
{"zkit_dump":1,"root":"/a","nodes":[{"path":"/a","mode":"persistent","data":"x","acl":[...]}]}
example: zkit dump /app > app.json
)";

constexpr const char* kRestore = R"(usage: zkit restore [FILE]

Creates the nodes of a dump (FILE, or standard input when absent or "-") with their data, mode
and ACL, after making the missing parents of its root. The whole file is checked first: a bad
one is refused with nothing written. Ephemeral nodes are skipped (said on stderr). A node that
already exists stops the restore with exit status 4 (node exists).
JSON: {"root":"/a","created":3,"skipped_ephemeral":0}
example: zkit --connect other:2181 restore app.json
)";

constexpr const char* kShell = R"(usage: zkit shell

An interactive shell on one session: each line is a zkit command without 'zkit' (ls /,
create -p /a/b x, get /a --json), plus:
  watch PATH     print every change under PATH as it happens, also while you type
  unwatch PATH   stop that
  history        the lines typed so far
  exit, quit     leave (also Ctrl-D)
On a terminal: line editing (arrows, Home/End, Ctrl-A/E/K/U/W), history (Up/Down; kept in
$ZKIT_HISTORY, default ~/.zkit_history), Tab completion of commands and of paths read from
the server, and colours (NO_COLOR turns them off). Piped, it reads plain lines and writes
plain output, so 'zkit shell < script' works.
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
    case Verb::version: return kOverview;
    case Verb::tree: return kTree;
    case Verb::find: return kFind;
    case Verb::deleteall: return kDeleteall;
    case Verb::sync: return kSync;
    case Verb::whoami: return kWhoami;
    case Verb::config: return kConfig;
    case Verb::reconfig: return kReconfig;
    case Verb::stats: return kStats;
    case Verb::dump: return kDump;
    case Verb::restore: return kRestore;
    case Verb::shell: return kShell;
  }
  return kOverview;
}

}  // namespace zkit::cli
