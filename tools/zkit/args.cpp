#include "args.hpp"

#include <array>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <utility>
#include <vector>

#include "zkit/acl.hpp"
#include <fstream>

#include <nlohmann/json.hpp>

#include "zkit/options.hpp"
#include "zkit/options_json.hpp"

namespace zkit::cli {
namespace {

constexpr std::array<std::pair<Verb, std::string_view>, 25> kVerbs{{
    {Verb::help, "help"},
    {Verb::version, "version"},
    {Verb::ls, "ls"},
    {Verb::tree, "tree"},
    {Verb::find, "find"},
    {Verb::get, "get"},
    {Verb::set, "set"},
    {Verb::create, "create"},
    {Verb::remove, "delete"},
    {Verb::deleteall, "deleteall"},
    {Verb::stat, "stat"},
    {Verb::sync, "sync"},
    {Verb::watch, "watch"},
    {Verb::whoami, "whoami"},
    {Verb::config, "config"},
    {Verb::reconfig, "reconfig"},
    {Verb::stats, "stats"},
    {Verb::dump, "dump"},
    {Verb::restore, "restore"},
    {Verb::shell, "shell"},
    {Verb::serve, "serve"},
    {Verb::lock, "lock"},
    {Verb::elect, "elect"},
    {Verb::getacl, "getacl"},
    {Verb::setacl, "setacl"},
}};

// Where a usage error points the user: the command's help, or the overview.
std::string hint(std::optional<Verb> verb) {
  return verb ? " (see 'zkit " + std::string(name_of(*verb)) + " --help')"
              : std::string(" (see 'zkit --help')");
}

Error usage(std::string message, std::optional<Verb> verb) {
  return Error(Errc::bad_arguments, std::move(message) + hint(verb));
}

template <class Int>
std::optional<Int> parse_int(std::string_view s) {
  Int v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// "250ms", "10s", "2m", or a plain number of milliseconds; never negative.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view s) {
  std::int64_t scale = 1;
  if (s.ends_with("ms")) s.remove_suffix(2);
  else if (s.ends_with("s")) s.remove_suffix(1), scale = 1000;
  else if (s.ends_with("m")) s.remove_suffix(1), scale = 60000;
  auto n = parse_int<std::int64_t>(s);
  if (!n || *n < 0 || *n > std::numeric_limits<std::int64_t>::max() / scale) return std::nullopt;
  return std::chrono::milliseconds(*n * scale);
}

Result<std::chrono::milliseconds> parse_session_timeout(std::string_view flag, std::string_view v,
                                                        const std::string& where,
                                                        std::optional<Verb> verb) {
  auto ms = parse_int<std::int64_t>(v);
  if (!ms || *ms <= 0)
    return usage(where + std::string(flag) + ": expected milliseconds > 0, got '" +
                     std::string(v) + "'",
                 verb);
  return std::chrono::milliseconds(*ms);
}

// Cursor over argv that understands "--flag VALUE" and "--flag=VALUE".
class Args {
 public:
  Args(int argc, const char* const* argv) : args_(argv + (argc > 0 ? 1 : 0), argv + argc) {}

  bool done() const { return i_ >= args_.size(); }
  std::string_view next() { return args_[i_++]; }

  // The value of a flag whose name was just taken: after '=' if it had one, else the next arg.
  std::optional<std::string_view> value(std::optional<std::string_view> inline_value) {
    if (inline_value) return inline_value;
    if (done()) return std::nullopt;
    return next();
  }

 private:
  std::vector<std::string_view> args_;
  std::size_t i_ = 0;
};

// Checks the positional arguments against what the verb takes and moves them into `inv`.
Result<void> take_positionals(Invocation& inv, std::vector<std::string_view>& pos) {
  std::size_t min = 0, max = 0;
  switch (inv.verb) {
    case Verb::help:
    case Verb::tree:
    case Verb::find:
    case Verb::sync:
    case Verb::dump:
    case Verb::restore: max = 1; break;
    case Verb::version:
    case Verb::whoami:
    case Verb::config:
    case Verb::reconfig:
    case Verb::stats:
    case Verb::shell:
    case Verb::serve: break;
    case Verb::set: min = max = 2; break;
    case Verb::setacl: min = max = 2; break;
    case Verb::create: min = 1; max = 2; break;
    default: min = max = 1; break;
  }
  std::string_view verb = name_of(inv.verb);
  if (pos.size() < min)
    return usage(std::string(verb) + ": missing " + (pos.empty() ? "PATH" : "DATA"), inv.verb);
  if (pos.size() > max)
    return usage(std::string(verb) + ": unexpected argument '" + std::string(pos[max]) + "'",
                 inv.verb);

  if (inv.verb == Verb::help) {
    if (!pos.empty()) {
      inv.help_for = verb_named(pos[0]);
      if (!inv.help_for) return usage("help: unknown command '" + std::string(pos[0]) + "'", {});
    }
    return {};
  }
  if (inv.verb == Verb::restore) {  // a file, not a znode path
    inv.file = pos.empty() ? "-" : std::string(pos[0]);
    return {};
  }
  // The whole-tree commands start at the root unless told otherwise.
  if (pos.empty()) {
    if (inv.verb == Verb::tree || inv.verb == Verb::find || inv.verb == Verb::sync ||
        inv.verb == Verb::dump)
      inv.path = "/";
    return {};
  }

  inv.path = pos[0];
  bool seq = inv.verb == Verb::create && inv.sequential;
  if (auto ok = validate_path(inv.path, seq); !ok)
    return usage(std::string(verb) + ": " + ok.error().message(), inv.verb);
  if (pos.size() > 1) inv.data = std::string(pos[1]);
  return {};
}

// Refuses flag combinations the server would refuse, before anything is started.
Result<void> check_create_flags(const Invocation& inv) {
  if (inv.container && (inv.ephemeral || inv.sequential || inv.ttl.count() > 0))
    return usage("create: --container cannot be combined with --ephemeral, --sequential or --ttl",
                 Verb::create);
  if (inv.ttl.count() > 0 && inv.ephemeral)
    return usage("create: --ttl cannot be combined with --ephemeral", Verb::create);
  return {};
}

}  // namespace

std::string_view name_of(Verb v) noexcept {
  for (auto& [verb, name] : kVerbs)
    if (verb == v) return name;
  return "?";
}

bool writes(Verb v) noexcept {
  switch (v) {
    case Verb::set:
    case Verb::create:
    case Verb::remove:
    case Verb::deleteall:
    case Verb::reconfig:
    case Verb::restore:
    case Verb::shell:  // may write
      return true;
    default: return false;
  }
}

std::optional<Verb> verb_named(std::string_view name) noexcept {
  for (auto& [verb, n] : kVerbs)
    if (n == name) return verb;
  return std::nullopt;
}

Result<Invocation> parse_args(int argc, const char* const* argv) {
  Invocation inv;
  std::optional<Verb> verb;  // set once the command word is seen
  std::vector<std::string_view> pos;
  bool flags_done = false;
  std::optional<std::string_view> timeout_arg;
  bool session_timeout_given = false;
  Args args(argc, argv);

  while (!args.done()) {
    std::string_view a = args.next();
    bool short_flag = a == "-h" || a == "-R" || a == "-p";
    if (flags_done || a.size() < 2 || a[0] != '-' || (a[1] != '-' && !short_flag)) {
      // A positional (a lone "-" is one too: it means standard input).
      if (!verb) {
        verb = verb_named(a);
        if (!verb) return usage("unknown command '" + std::string(a) + "'", {});
        inv.verb = *verb;
      } else {
        pos.push_back(a);
      }
      continue;
    }
    if (a == "--") {
      flags_done = true;
      if (verb == Verb::lock || verb == Verb::elect) {
        // The rest is the command to run, flags and all.
        while (!args.done()) inv.command.emplace_back(args.next());
        if (inv.command.empty())
          return usage(std::string(name_of(*verb)) + ": no command after '--'", verb);
      }
      continue;
    }

    std::string_view name = a;
    std::optional<std::string_view> inline_value;
    if (auto eq = a.find('='); eq != std::string_view::npos) {
      name = a.substr(0, eq);
      inline_value = a.substr(eq + 1);
    }
    std::string flag(name);
    std::string where = verb ? std::string(name_of(*verb)) + ": " : std::string();
    auto need_value = [&]() -> Result<std::string_view> {
      auto v = args.value(inline_value);
      if (!v) return usage(where + flag + " needs a value", verb);
      return *v;
    };
    auto takes_no_value = [&]() -> Result<void> {
      if (inline_value) return usage(where + flag + " takes no value", verb);
      return {};
    };
    // Only the verbs listed may use a flag.
    auto only_for = [&](std::initializer_list<Verb> verbs) -> Result<void> {
      for (Verb v : verbs)
        if (verb == v) return {};
      return usage(where + "unknown option " + flag, verb);
    };

    if (name == "--help" || name == "-h") {
      if (auto r = takes_no_value(); !r) return r.error();
      inv.help_for = verb;
      inv.verb = Verb::help;
      return inv;  // help wins over anything else on the line
    } else if (name == "--connect") {
      auto v = need_value();
      if (!v) return v.error();
      if (auto cs = parse_connect_string(*v); !cs)
        return usage(where + "--connect: " + cs.error().message(), verb);
      inv.connect = std::string(*v);
    } else if (name == "--config") {
      auto v = need_value();
      if (!v) return v.error();
      inv.config_file = std::string(*v);
    } else if (name == "--json") {
      if (auto r = takes_no_value(); !r) return r.error();
      inv.json = true;
    } else if (name == "--timeout") {
      // Read once the command is known: for lock it is the wait for the lock.
      auto v = need_value();
      if (!v) return v.error();
      timeout_arg = *v;
    } else if (name == "--session-timeout") {
      auto v = need_value();
      if (!v) return v.error();
      auto ms = parse_session_timeout(flag, *v, where, verb);
      if (!ms) return ms.error();
      inv.timeout = *ms;
      inv.timeout_given = true;
      session_timeout_given = true;
    } else if (name == "--request-timeout") {
      auto v = need_value();
      if (!v) return v.error();
      auto ms = parse_int<std::int64_t>(*v);
      if (!ms || *ms < 0 || *ms > INT32_MAX)
        return usage(where + "--request-timeout: expected milliseconds >= 0, got '" + std::string(*v) + "'", verb);
      inv.request_timeout = std::chrono::milliseconds(*ms);
    } else if (name == "--version" && !verb) {
      // Before any command: zkit's own version (after set or delete: the node's).
      if (auto r = takes_no_value(); !r) return r.error();
      inv.verb = Verb::version;
      verb = Verb::version;
    } else if (name == "--version") {
      if (auto r = only_for({Verb::set, Verb::remove, Verb::setacl}); !r) return r.error();
      auto v = need_value();
      if (!v) return v.error();
      auto n = parse_int<std::int32_t>(*v);
      if (!n || *n < -1)
        return usage(where + "--version: expected a version >= -1, got '" + std::string(*v) + "'",
                     verb);
      inv.version = *n;
    } else if (name == "--ephemeral" || name == "--sequential" || name == "--container") {
      if (auto r = only_for({Verb::create}); !r) return r.error();
      if (auto r = takes_no_value(); !r) return r.error();
      (name == "--ephemeral" ? inv.ephemeral : name == "--sequential" ? inv.sequential
                                                                      : inv.container) = true;
    } else if (name == "--ttl") {
      if (auto r = only_for({Verb::create}); !r) return r.error();
      auto v = need_value();
      if (!v) return v.error();
      auto ms = parse_int<std::int64_t>(*v);
      if (!ms || *ms <= 0)
        return usage("create: --ttl: expected milliseconds > 0, got '" + std::string(*v) + "'",
                     verb);
      inv.ttl = std::chrono::milliseconds(*ms);
    } else if (name == "--id") {
      if (auto r = only_for({Verb::elect}); !r) return r.error();
      auto v = need_value();
      if (!v) return v.error();
      if (v->empty() || v->find('\n') != std::string_view::npos)
        return usage("elect: --id: expected a non-empty line, got '" + std::string(*v) + "'", verb);
      inv.id = std::string(*v);
    } else if (name == "-R" || name == "--recursive") {
      if (auto r = only_for({Verb::ls}); !r) return r.error();
      if (auto r = takes_no_value(); !r) return r.error();
      inv.recursive = true;
    } else if (name == "-p" || name == "--parents") {
      if (auto r = only_for({Verb::create}); !r) return r.error();
      if (auto r = takes_no_value(); !r) return r.error();
      inv.parents = true;
    } else if (name == "--raw") {
      if (auto r = only_for({Verb::get}); !r) return r.error();
      if (auto r = takes_no_value(); !r) return r.error();
      inv.raw = true;
    } else if (name == "--name") {
      if (auto r = only_for({Verb::find}); !r) return r.error();
      auto v = need_value();
      if (!v) return v.error();
      inv.name_glob = std::string(*v);
    } else if (name == "--add" || name == "--remove" || name == "--members") {
      if (auto r = only_for({Verb::reconfig}); !r) return r.error();
      auto v = need_value();
      if (!v) return v.error();
      if (v->empty()) return usage("reconfig: " + flag + " needs a value", verb);
      (name == "--add" ? inv.joining : name == "--remove" ? inv.leaving : inv.new_members) =
          std::string(*v);
    } else if (name == "--from-config") {
      if (auto r = only_for({Verb::reconfig}); !r) return r.error();
      auto v = need_value();
      if (!v) return v.error();
      std::string_view digits = *v;
      int base = 10;
      if (digits.starts_with("0x")) digits.remove_prefix(2), base = 16;
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n, base);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || n < -1)
        return usage("reconfig: --from-config: expected a config version (decimal or 0x hex), got '" +
                         std::string(*v) + "'",
                     verb);
      inv.from_config = n;
    } else if (name == "--port") {
      if (auto r = only_for({Verb::serve}); !r) return r.error();
      auto v = need_value();
      if (!v) return v.error();
      auto n = parse_int<int>(*v);
      if (!n || *n < 1 || *n > 65535)
        return usage("serve: --port: expected a port 1-65535, got '" + std::string(*v) + "'", verb);
      inv.port = *n;
    } else if (name == "--prometheus") {
      if (auto r = only_for({Verb::stats}); !r) return r.error();
      if (auto r = takes_no_value(); !r) return r.error();
      inv.prometheus = true;
    } else if (name == "--watch" || name == "--count") {
      if (auto r = only_for({Verb::stats}); !r) return r.error();
      auto v = need_value();
      if (!v) return v.error();
      auto n = parse_int<int>(*v);
      if (!n || *n < 1)
        return usage("stats: " + flag + ": expected " + (name == "--watch" ? "seconds" : "a count") +
                         " >= 1, got '" + std::string(*v) + "'",
                     verb);
      if (name == "--watch") inv.refresh = std::chrono::seconds(*n);
      else inv.count = *n;
    } else if (name == "--children") {
      if (auto r = only_for({Verb::watch}); !r) return r.error();
      if (auto r = takes_no_value(); !r) return r.error();
      inv.children = true;
    } else if (name == "--size") {
      if (auto r = only_for({Verb::serve}); !r) return r.error();
      auto v = need_value();
      if (!v) return v.error();
      auto n = parse_int<int>(*v);
      if (!n || (*n != 1 && *n != 3))
        return usage("serve: --size: expected 1 or 3, got '" + std::string(*v) + "'", verb);
      inv.size = *n;
    } else if (name == "--ready-file") {
      if (auto r = only_for({Verb::serve}); !r) return r.error();
      auto v = need_value();
      if (!v) return v.error();
      if (v->empty()) return usage("serve: --ready-file needs a file name", verb);
      inv.ready_file = std::string(*v);
    } else if (auto refused = refuse_secret_flag(name); !refused) {
      return usage(where + refused.error().message(), verb);
    } else if (is_security_flag(name)) {
      auto v = security_flag_takes_value(name) ? need_value() : Result<std::string_view>(std::string_view());
      if (!v) return v.error();
      if (auto r = security_flag_takes_value(name) ? Result<void>() : takes_no_value(); !r) return r.error();
      if (auto r = take_security_flag(name, *v, verb == Verb::create, inv.security); !r)
        return usage(where + r.error().message(), verb);
    } else {
      return usage(where + "unknown option " + flag, verb);
    }
  }

  if (!verb) return usage("missing command", {});
  if (auto r = finish_sasl_flags(inv.security, std::getenv("ZKIT_SASL_PASSWORD")); !r) return usage(r.error().message(), verb);
  if (timeout_arg && inv.verb == Verb::lock) {
    inv.wait = parse_duration(*timeout_arg);
    if (!inv.wait)
      return usage("lock: --timeout: expected a duration such as 500ms, 10s or 2m, got '" +
                       std::string(*timeout_arg) + "'",
                   verb);
  } else if (timeout_arg) {
    if (session_timeout_given)
      return usage("--timeout and --session-timeout both set the session timeout: give one", verb);
    auto ms = parse_session_timeout("--timeout", *timeout_arg, "", verb);
    if (!ms) return ms.error();
    inv.timeout = *ms;
    inv.timeout_given = true;
  }
  if (inv.verb == Verb::reconfig && !inv.joining && !inv.leaving && !inv.new_members)
    return usage("reconfig: give --add, --remove or --members", verb);
  if (inv.verb == Verb::reconfig && inv.new_members && (inv.joining || inv.leaving))
    return usage("reconfig: --members (a new member list) cannot be combined with --add or --remove",
                 verb);
  if (inv.verb == Verb::stats && inv.count != 0 && inv.refresh.count() == 0)
    return usage("stats: --count needs --watch SECONDS", verb);
  if (inv.verb == Verb::stats && inv.prometheus && inv.json)
    return usage("stats: --prometheus and --json are two formats: give one", verb);
  if (inv.verb == Verb::serve && inv.port && inv.size != 1)
    return usage("serve: --port is for a single server (--size 1)", verb);
  if (!inv.config_file.empty()) {
    auto o = options_from_json_file(inv.config_file);
    if (!o) return usage("--config: " + o.error().message(), verb);
    // The file's servers count as given (before ZKIT_CONNECT) when it names them.
    auto doc = nlohmann::json::parse(std::ifstream(inv.config_file), nullptr, false);
    if (!inv.connect && doc.is_object() && doc.contains("connect")) inv.connect = o->connect;
  }
  if (!inv.connect && inv.verb != Verb::serve) {
    // The environment's servers, checked like --connect's.
    const char* env = std::getenv("ZKIT_CONNECT");
    if (env != nullptr && *env != '\0') {
      if (auto cs = parse_connect_string(env); !cs)
        return usage("ZKIT_CONNECT: " + cs.error().message(), verb);
      inv.connect = std::string(env);
    }
  }
  if (inv.verb == Verb::lock && inv.command.empty())
    return usage("lock: missing the command: zkit lock PATH -- CMD [ARGS...]", verb);
  if (inv.verb == Verb::create)
    if (auto r = check_create_flags(inv); !r) return r.error();
  if (auto r = take_positionals(inv, pos); !r) return r.error();
  if (auto acl = inv.verb == Verb::setacl ? acl::parse(*inv.data) : Result<AclList>(AclList{}); !acl)
    return usage("setacl: " + acl.error().message(), verb);
  return inv;
}

}  // namespace zkit::cli
