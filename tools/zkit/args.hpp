// Command-line parsing for the zkit tool: argv in, an Invocation (or a usage error) out.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "security_flags.hpp"
#include "zkit/result.hpp"

namespace zkit::cli {

// Verb: the command the user asked for.
enum class Verb {
  help, version, ls, tree, find, get, set, create, remove, deleteall, stat, sync, watch,
  whoami, config, reconfig, stats, dump, restore, shell, serve, lock, elect, getacl, setacl
};

// True for the verbs that change the server's data (said on stderr when they ran against a
// throwaway server).
bool writes(Verb v) noexcept;

std::string_view name_of(Verb v) noexcept;
std::optional<Verb> verb_named(std::string_view name) noexcept;

// Invocation: everything one run of zkit needs, already checked for shape (paths valid, numbers
// numbers, flags compatible). Fields a verb does not use keep their defaults.
struct Invocation {
  Verb verb = Verb::help;

  // Global flags.
  std::optional<std::string> connect;  // none: ZKIT_CONNECT, else a throwaway local server
  bool json = false;
  std::chrono::milliseconds timeout{5000};  // session timeout; bounds connecting too
  bool timeout_given = false;               // --timeout (not lock's) or --session-timeout
  // --config FILE: Session options as JSON (zkit/options_json.hpp's keys); flags given on the
  // command line win over it. Checked while parsing: a bad file is a usage error.
  std::string config_file;
  // --request-timeout: a request's deadline (none: the session timeout; 0: no deadline).
  std::optional<std::chrono::milliseconds> request_timeout;
  SecurityFlags security;  // --tls*, --auth, --acl (security_flags.hpp)

  // help: the verb to describe (none: the overview); any verb with --help sets it too.
  std::optional<Verb> help_for;

  std::string path;
  std::optional<std::string> data;  // set, create; "-" means standard input
  std::int32_t version = -1;        // set, delete

  bool recursive = false;  // ls -R
  bool raw = false;        // get --raw: never a newline after the data
  std::string name_glob;   // find --name
  std::string file;        // restore: the dump to read ("-": standard input)

  // create
  bool parents = false;  // -p: make missing parents (empty, persistent)
  bool ephemeral = false;
  bool sequential = false;
  bool container = false;
  std::chrono::milliseconds ttl{0};

  bool children = false;  // watch

  // reconfig
  std::optional<std::string> joining, leaving, new_members;
  std::int64_t from_config = -1;

  // serve
  int size = 1;
  std::optional<int> port;  // --port (none: 2181 when free, else any free port)
  std::string ready_file;

  // lock and elect: the command after `--` (elect: optional), run while we own PATH.
  std::vector<std::string> command;
  // lock --timeout: how long to wait for the lock (none: as long as it takes; 0: try once).
  std::optional<std::chrono::milliseconds> wait;
  std::string id;  // elect --id (empty: "<hostname>-<pid>")

  // stats
  bool prometheus = false;         // --prometheus: the session's figures as Prometheus text
  std::chrono::seconds refresh{0};  // --watch N: again every N seconds (0: once)
  int count = 0;                   // --count M: M times in all (0: until interrupted)
};

// Parses argv. Global flags may come before or after the command; `--` ends the flags (for
// lock and elect, whatever follows it is the command to run). `--timeout` is the session
// timeout in milliseconds, except for lock, where it is the time to wait for the lock (a
// DURATION: 500ms, 10s, 2m; plain numbers are milliseconds) and --session-timeout sets the
// session's. A usage error is an Error with code bad_arguments whose message names the
// offending argument.
Result<Invocation> parse_args(int argc, const char* const* argv);

}  // namespace zkit::cli
