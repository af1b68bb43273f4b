// zkit: the command-line client. main() parses, picks the server (--connect, or a throwaway
// local one), connects a zkit::Client and hands over to the command.
#include <atomic>
#include <mutex>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "args.hpp"
#include "commands.hpp"
#include "elect.hpp"
#include "exit_codes.hpp"
#include "interrupts.hpp"
#include "local_server.hpp"
#include "lock.hpp"
#include "output.hpp"
#include "report.hpp"
#include "security_flags.hpp"
#include "serve.hpp"
#include "shell.hpp"
#include "usage.hpp"
#include "watch.hpp"
#include "zkit/client.hpp"
#include "zkit/options_json.hpp"

namespace zkit::cli {
namespace {

// Reports the failure on stderr (as JSON with --json) and returns its exit status.
struct Failure {
  bool json = false;
  int operator()(std::string_view what, const Error& e, Verb verb = Verb::help,
                 std::string_view path = {}, bool connecting = false) const {
    int code = exit_code_for(e, connecting);
    report(what, e, verb, path, json, code);
    return code;
  }
};

// zkit's own log lines (reconnects and the like), marked as such on stderr.
void log_line(LogLevel level, std::string_view line) {
  static constexpr const char* kLevel[] = {"debug", "info", "warning", "error"};
  std::fprintf(stderr, "zkit: %s: %.*s\n", kLevel[static_cast<int>(level)],
               static_cast<int>(line.size()), line.data());
}

// --connect's (or ZKIT_CONNECT's) servers, or else a throwaway local one, said on stderr: a
// write there is gone once the command ends, which must not pass for a write that stayed.
Result<std::string> server_for(const Invocation& inv, LocalServer& local) {
  if (inv.connect) return *inv.connect;
  auto started = local.start(1);
  if (!started) return std::move(started).error();
  if (writes(inv.verb))
    std::fprintf(stderr,
                 "zkit: no --connect or ZKIT_CONNECT given: %s writes to a throwaway ZooKeeper at "
                 "%s, removed when zkit exits\n",
                 std::string(name_of(inv.verb)).c_str(), started->c_str());
  else
    std::fprintf(stderr, "zkit: no --connect or ZKIT_CONNECT given: using a throwaway ZooKeeper at %s\n",
                 started->c_str());
  return std::move(started).value();
}

// The session's options: --config's file (if any), then what the command line says.
Result<Options> options_for(const Invocation& inv, const std::string& connect) {
  Options base{.session_timeout = inv.timeout, .logger = log_line, .log_level = LogLevel::warning};
  if (!inv.config_file.empty()) {
    auto loaded = options_from_json_file(inv.config_file, std::move(base));
    if (!loaded) return std::move(loaded).error();
    base = std::move(*loaded);
    if (inv.timeout_given) base.session_timeout = inv.timeout;
  }
  base.connect = connect;
  base.tls = inv.security.tls;
  if (inv.security.sasl.mechanism != SaslMechanism::none) base.sasl = inv.security.sasl;  // else --config's
  if (inv.request_timeout) base.request_timeout = *inv.request_timeout;
  else if (inv.config_file.empty() || base.request_timeout.count() < 0) base.request_timeout = base.session_timeout;
  return base;
}

int run_client_command(Invocation inv) {
  Printer out(inv.json);
  Failure fail{inv.json};
  LocalServer local;
  WatchInbox inbox;  // outlives the client, whose watchers post to it
  std::atomic<bool> streaming{false};
  std::mutex live_mu;
  Client* live = nullptr;  // the open client, for Ctrl-C to interrupt a read in progress
  // Ctrl-C: a running watch ends normally (also while a read is unanswered); anything else
  // stops at once, taking the throwaway server (if any) down with it so no process is left.
  Interrupts interrupts([&](int) {
    if (!streaming) {
      local.stop();
      std::_Exit(exit_interrupted);
    }
    inbox.interrupt();
    std::lock_guard lock(live_mu);
    if (live) live->interrupt();
  });

  std::string what = std::string(name_of(inv.verb)) + (inv.path.empty() ? "" : " " + inv.path);
  auto where = server_for(inv, local);
  if (!where) return fail("starting a local ZooKeeper", where.error());
  const std::string connect = std::move(where).value();
  inv.connect = connect;

  int status = exit_ok;
  {
    auto options = options_for(inv, connect);
    if (!options) return fail("--config", options.error(), inv.verb, {}, true);
    auto client = Client::open(std::move(*options));
    if (!client) return fail("connect " + connect, client.error(), inv.verb, {}, true);
    if (auto a = apply_auth(*client, inv.security); !a) return fail("connect " + connect, a.error(), inv.verb, {}, true);
    Result<void> r;
    if (inv.verb == Verb::watch) {
      {
        std::lock_guard lock(live_mu);
        live = &*client;
      }
      streaming = true;
      r = run_watch(*client, inv, out, inbox);
      std::lock_guard lock(live_mu);
      live = nullptr;
    } else if (inv.verb == Verb::shell) {
      r = run_shell(*client, inv);
    } else {
      r = run_operation(*client, inv, out);
    }
    if (!r) status = fail(what, r.error(), inv.verb, inv.path);
  }  // closes the session before its server goes away
  local.stop();
  return status;
}

// lock and elect: recipes on a session of their own loop, supervising a command.
int run_recipe_command(const Invocation& inv) {
  Failure fail{inv.json};
  LocalServer local;
  auto where = server_for(inv, local);
  if (!where) return fail("starting a local ZooKeeper", where.error());
  const std::string connect = std::move(where).value();
  auto options = options_for(inv, connect);
  if (!options) {
    local.stop();
    return fail("--config", options.error(), inv.verb, {}, true);
  }
  Printer out(inv.json);
  int status = inv.verb == Verb::lock ? run_lock(inv, std::move(*options)) : run_elect(inv, std::move(*options), out);
  local.stop();
  return status;
}

int run(int argc, char** argv) {
  auto inv = parse_args(argc, argv);
  if (!inv) {
    // The line has not been understood, but a script that asked for JSON still gets it.
    bool json = false;
    for (int i = 1; i < argc; ++i) json = json || std::string_view(argv[i]) == "--json";
    if (json)
      report("usage", inv.error(), Verb::help, {}, true, exit_usage);
    else
      std::fprintf(stderr, "zkit: %s\n", inv.error().message().c_str());
    return exit_usage;
  }
  if (inv->verb == Verb::help) {
    std::fputs(help_text(inv->help_for).c_str(), stdout);
    return exit_ok;
  }
  if (inv->verb == Verb::version) {
    Printer out(inv->json);
    if (inv->json) out.object({{"version", ZKIT_VERSION}});
    else out.line("zkit " ZKIT_VERSION);
    return exit_ok;
  }
  if (inv->verb == Verb::serve) {
    Printer out(inv->json);
    auto r = run_serve(*inv, out);
    return r ? exit_ok : Failure{inv->json}("serve", r.error());
  }
  if (inv->verb == Verb::lock || inv->verb == Verb::elect) return run_recipe_command(*inv);
  return run_client_command(*inv);
}

}  // namespace
}  // namespace zkit::cli

int main(int argc, char** argv) { return zkit::cli::run(argc, argv); }
