#include "zkit/testing/kdc.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "process.hpp"
#include "socket.hpp"
#include "zkit/testing/timing.hpp"

namespace zkit::testing {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr const char* kKdcHint = "apt-get install krb5-kdc krb5-admin-server";

std::string keytab_name(const std::string& principal) {
  std::string name = principal;
  for (char& c : name)
    if (c == '/' || c == '@') c = '_';
  return name + ".keytab";
}

// Runs one Kerberos tool with this realm's configuration (through env, so that the pid is the
// tool's own) and waits for it.
Result<void> run_tool(const std::string& dir, const std::string& tool, std::vector<std::string> args) {
  std::string env = detail::find_program("env");
  std::string program = detail::find_program(tool);
  if (program.empty()) program = detail::find_program("/usr/sbin/" + tool);
  if (program.empty() || env.empty())
    return Error(Errc::bad_arguments, tool + " is missing: " + kKdcHint);
  std::vector<std::string> argv = {"env", "KRB5_CONFIG=" + dir + "/krb5.conf", "KRB5_KDC_PROFILE=" + dir + "/kdc.conf",
                                   program};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string log = dir + "/tools.log";
  auto pid = detail::spawn({.program = env, .argv = argv, .directory = dir, .log_path = log});
  if (!pid) return std::move(pid).error();
  int status = 0;
  if (!detail::reap(*pid, scaled(60s), &status)) {
    detail::end_process(*pid, SIGKILL, 1s);
    return Error(Errc::operation_timeout, tool + " did not finish within 60 s");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return Error(Errc::bad_arguments, tool + " " + detail::describe_status(status) + ":\n" + detail::tail_of_file(log, 15));
  return {};
}

}  // namespace

Result<std::unique_ptr<Kdc>> Kdc::start(KdcOptions options) {
  std::unique_ptr<Kdc> k(new Kdc);
  k->options_ = std::move(options);
  std::string pattern = (fs::temp_directory_path() / "zkit-kdc-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return Error(Errc::bad_arguments, "cannot create a temporary directory for the KDC");
  k->dir_ = pattern;
  const std::string& dir = k->dir_;
  const std::string& realm = k->options_.realm;
  auto port = detail::reserve_ports(1);
  if (!port) return std::move(port).error();
  k->port_ = (*port)[0];
  std::string kdc = "127.0.0.1:" + std::to_string(k->port_);
  k->krb5_conf_ = dir + "/krb5.conf";
  // TCP only (udp_preference_limit = 1, which Java's Kerberos honours too): the port was
  // reserved for TCP. No DNS: principals name 127.0.0.1 as written.
  std::ofstream(k->krb5_conf_) << "[libdefaults]\n  default_realm = " << realm
                               << "\n  dns_lookup_realm = false\n  dns_lookup_kdc = false\n"
                                  "  dns_canonicalize_hostname = false\n  rdns = false\n"
                                  "  udp_preference_limit = 1\n"
                                  "[realms]\n  "
                               << realm << " = {\n    kdc = " << kdc << "\n  }\n[domain_realm]\n  127.0.0.1 = " << realm
                               << "\n  localhost = " << realm << "\n";
  std::ofstream(dir + "/kdc.conf") << "[kdcdefaults]\n  kdc_listen = \"\"\n  kdc_tcp_listen = " << kdc << "\n[realms]\n  "
                                   << realm << " = {\n    database_name = " << dir << "/principal\n    key_stash_file = "
                                   << dir << "/stash\n    acl_file = " << dir << "/kadm5.acl\n  }\n[logging]\n  kdc = FILE:"
                                   << dir << "/kdc.log\n";
  std::ofstream(dir + "/kadm5.acl") << "";
  // The master password only protects this throw-away database.
  if (auto r = run_tool(dir, "kdb5_util", {"create", "-s", "-r", realm, "-P", "zkit-test-master"}); !r)
    return std::move(r).error();
  for (const std::string& p : k->options_.principals) {
    if (auto r = run_tool(dir, "kadmin.local", {"-r", realm, "-q", "addprinc -randkey " + p}); !r) return std::move(r).error();
    if (auto r = run_tool(dir, "kadmin.local", {"-r", realm, "-q", "ktadd -k " + k->keytab(p) + " " + p}); !r)
      return std::move(r).error();
  }
  std::string program = detail::find_program("/usr/sbin/krb5kdc");
  if (program.empty()) return Error(Errc::bad_arguments, std::string("krb5kdc is missing: ") + kKdcHint);
  std::string log = dir + "/krb5kdc.log";
  auto pid = detail::spawn({.program = detail::find_program("env"),
                            .argv = {"env", "KRB5_CONFIG=" + k->krb5_conf_, "KRB5_KDC_PROFILE=" + dir + "/kdc.conf",
                                     program, "-n", "-r", realm},
                            .directory = dir,
                            .log_path = log});
  if (!pid) return std::move(pid).error();
  k->pid_ = *pid;
  // Ready once it accepts TCP connections on its port.
  auto deadline = detail::deadline_after(scaled(30s));
  while (true) {
    if (detail::has_exited(k->pid_)) {
      int status = detail::end_process(k->pid_, SIGKILL, 1s);
      k->pid_ = 0;
      return Error(Errc::connection_loss, "krb5kdc " + detail::describe_status(status) + ":\n" +
                                              detail::tail_of_file(log, 15) + detail::tail_of_file(dir + "/kdc.log", 15));
    }
    if (detail::Connection::open(kdc, detail::deadline_after(1s))) break;
    if (detail::Clock::now() >= deadline)
      return Error(Errc::operation_timeout, "krb5kdc did not accept connections on " + kdc + " within 30 s");
    std::this_thread::sleep_for(20ms);  // polling a port: there is no event to wait for
  }
  return k;
}

Kdc::~Kdc() {
  if (pid_ != 0) detail::end_process(pid_, SIGTERM, 5s);
  if (dir_.empty() || std::getenv("ZKIT_KEEP_TEST_DIRS")) return;
  std::error_code ec;  // best effort
  fs::remove_all(dir_, ec);
}

std::string Kdc::keytab(const std::string& principal) const { return dir_ + "/" + keytab_name(principal); }

}  // namespace zkit::testing
