#include "zkit/testing/cluster.hpp"

#include <sys/types.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "process.hpp"
#include "socket.hpp"

namespace zkit::testing {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// base64(sha1("super:super")): the digest ZooKeeper compares "super:<password>" against.
constexpr const char* kSuperDigest = "super:gG7s8t3oDEtIqF6DM9LlI/R+9Ss=";
constexpr const char* kJarDir = "/usr/share/java";
// zookeeper.jar's manifest lists the rest of its classpath; it lacks a logging binding and
// netty-codec (which TLS needs).
constexpr const char* kJars[] = {"zookeeper.jar", "slf4j-api.jar", "slf4j-simple.jar",
                                 "netty-codec.jar"};
constexpr const char* kInstallHint = "apt-get install zookeeper";
constexpr int kLogLines = 15;
constexpr int kStartAttempts = 3;
constexpr auto kPollInterval = 50ms;
constexpr auto kStopGrace = 10s;

struct Member {
  int id = 0;
  int client_port = 0;
  int quorum_port = 0;
  int election_port = 0;
  std::string dir;  // <cluster>/zk<id>
  pid_t pid = 0;    // 0: not started by us, or already reaped

  std::string address() const { return "127.0.0.1:" + std::to_string(client_port); }
  std::string log() const { return dir + "/server.log"; }
  std::string config() const { return dir + "/zoo.cfg"; }
  std::string name() const { return "ZooKeeper member " + std::to_string(id) + " (" + address() + ")"; }
};

// The word after "Mode: " in a srvr answer, "" when there is none (a member without quorum
// answers "This ZooKeeper instance is not currently serving requests").
std::string mode_of(const std::string& srvr) {
  auto at = srvr.find("Mode: ");
  if (at == std::string::npos) return {};
  at += 6;
  auto end = srvr.find_first_of("\r\n", at);
  return srvr.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

bool serving(const std::string& mode) {
  return mode == "standalone" || mode == "leader" || mode == "follower" || mode == "observer";
}

std::string first_line(const std::string& s) {
  auto nl = s.find('\n');
  return nl == std::string::npos ? s : s.substr(0, nl);
}

std::string log_excerpt(const Member& m) {
  return "last " + std::to_string(kLogLines) + " lines of " + m.log() + ":\n" +
         detail::tail_of_file(m.log(), kLogLines);
}

bool log_mentions_bind_failure(const Member& m) {
  std::ifstream in(m.log());
  std::string line;
  while (std::getline(in, line))
    if (line.find("Address already in use") != std::string::npos) return true;
  return false;
}

}  // namespace

struct Cluster::Impl {
  ClusterOptions options;
  std::string dir;
  std::string java;
  std::string classpath;
  std::vector<Member> members;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  ~Impl() {
    for (auto& m : members) {
      detail::end_process(m.pid, SIGKILL, kStopGrace);
      m.pid = 0;
    }
    if (dir.empty()) return;
    if (!options.keep_dir_env.empty() && std::getenv(options.keep_dir_env.c_str()) != nullptr) {
      std::fprintf(stderr, "zkit testing kit: kept %s (%s is set)\n", dir.c_str(),
                   options.keep_dir_env.c_str());
      return;
    }
    std::error_code ec;  // best effort: a destructor has nobody to report to
    fs::remove_all(dir, ec);
  }

  bool ensemble() const { return members.size() > 1; }

  Member* find(int id) {
    if (id < 1 || id > static_cast<int>(members.size())) return nullptr;
    return &members[static_cast<std::size_t>(id - 1)];
  }
  const Member* find(int id) const { return const_cast<Impl*>(this)->find(id); }

  Result<void> write_config(const Member& m) const {
    std::error_code ec;
    fs::create_directories(m.dir + "/data", ec);
    if (ec) return Error(Errc::bad_arguments, "cannot create " + m.dir + "/data: " + ec.message());
    std::ofstream cfg(m.config());
    cfg << "tickTime=" << options.tick_ms << "\n"
        << "initLimit=10\nsyncLimit=5\n"
        << "dataDir=" << m.dir << "/data\n"
        << "maxClientCnxns=0\n"          // no per-address limit: every test client is 127.0.0.1
        << "admin.enableServer=false\n"  // no Jetty on port 8080
        << "4lw.commands.whitelist=*\n"
        << "extendedTypesEnabled=true\n"  // TTL nodes
        << "DigestAuthenticationProvider.superDigest=" << kSuperDigest << "\n";
    if (ensemble()) {
      cfg << "reconfigEnabled=true\nstandaloneEnabled=false\n";
      for (const auto& o : members)
        cfg << "server." << o.id << "=127.0.0.1:" << o.quorum_port << ":" << o.election_port
            << ":participant;127.0.0.1:" << o.client_port << "\n";
    } else {
      cfg << "clientPortAddress=127.0.0.1\nclientPort=" << m.client_port << "\n";
    }
    for (const auto& line : options.config_lines) cfg << line << "\n";
    cfg.close();
    if (!cfg) return Error(Errc::bad_arguments, "cannot write " + m.config());
    if (ensemble()) {
      std::ofstream myid(m.dir + "/data/myid");
      myid << m.id << "\n";
      myid.close();
      if (!myid) return Error(Errc::bad_arguments, "cannot write " + m.dir + "/data/myid");
    }
    return {};
  }

  Result<void> launch(Member& m) {
    detail::SpawnRequest req;
    req.program = java;
    req.argv = {java,
                "-Xmx256m",
                // Both roughly halve a small JVM's start-up on a small machine.
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                // Container and TTL nodes go within a second instead of a minute.
                "-Dznode.container.checkIntervalMs=1000"};
    req.argv.insert(req.argv.end(), options.jvm_options.begin(), options.jvm_options.end());
    req.argv.insert(req.argv.end(),
                    {"-cp", classpath,
                     ensemble() ? "org.apache.zookeeper.server.quorum.QuorumPeerMain"
                                : "org.apache.zookeeper.server.ZooKeeperServerMain",
                     m.config()});
    req.directory = m.dir;
    req.log_path = m.log();
    {
      // A marker per launch: the log is appended across restarts.
      std::ofstream log(m.log(), std::ios::app);
      log << "==== zkit testing kit: starting member " << m.id << ":";
      for (const auto& a : req.argv) log << " " << a;
      log << "\n";
    }
    auto pid = detail::spawn(req);
    if (!pid) return std::move(pid).error();
    m.pid = *pid;
    return {};
  }

  // Reaps `m` if its process has exited, returning the error that says so.
  Result<void> check_alive(Member& m) {
    if (m.pid == 0 || !detail::has_exited(m.pid)) return {};
    int status = 0;
    detail::reap(m.pid, 0ms, &status);
    pid_t pid = m.pid;
    m.pid = 0;
    return Error(Errc::connection_loss, m.name() + ", pid " + std::to_string(pid) + ", " +
                                            detail::describe_status(status) + "; " +
                                            log_excerpt(m));
  }

  // Polls srvr on every listed member that runs until all of them serve in the same round.
  // With `need_leader`, one of them must also say leader (or standalone): right after a leader
  // dies its followers still say "follower" for a moment, and that is not serving.
  Result<void> wait_serving(const std::vector<Member*>& which, detail::Deadline deadline,
                            bool need_leader) {
    std::vector<std::string> last(which.size());
    for (;;) {
      bool all = true;
      bool any_running = false;
      int leaders = 0;
      for (std::size_t i = 0; i < which.size(); ++i) {
        Member& m = *which[i];
        if (auto alive = check_alive(m); !alive) return alive;
        if (m.pid == 0) continue;
        any_running = true;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - detail::Clock::now());
        auto probe = std::clamp(left, std::chrono::milliseconds(100),
                                std::chrono::milliseconds(1000));
        auto answer = four_letter_word(m.address(), "srvr", probe);
        std::string mode = answer ? mode_of(*answer) : std::string();
        if (serving(mode)) {
          leaders += mode == "leader" || mode == "standalone";
          last[i] = "Mode: " + mode;
          continue;
        }
        all = false;
        last[i] = answer ? first_line(*answer) : answer.error().message();
      }
      if (!any_running) return Error(Errc::connection_loss, "no ZooKeeper member is running");
      if (all && (!need_leader || leaders == 1)) return {};
      if (detail::Clock::now() >= deadline) {
        std::string msg = all ? "ZooKeeper members serve but " + std::to_string(leaders) +
                                    " of them say leader:"
                              : "ZooKeeper not serving in time:";
        for (std::size_t i = 0; i < which.size(); ++i) {
          if (last[i].empty() || which[i]->pid == 0) continue;
          msg += "\n" + which[i]->name() + " last said: " + last[i];
          if (!serving(mode_of(last[i]))) msg += "\n" + log_excerpt(*which[i]);
        }
        return Error(Errc::operation_timeout, msg);
      }
      std::this_thread::sleep_for(kPollInterval);
    }
  }

  Result<void> resolve_runtime();
  Result<void> make_temp_dir();

  std::vector<Member*> all_members() {
    std::vector<Member*> v;
    for (auto& m : members) v.push_back(&m);
    return v;
  }
};

// Checks java and the jars before anything is started, so a missing package is reported as
// such and not as a server that "exited during start".
Result<void> Cluster::Impl::resolve_runtime() {
  java = detail::find_program(options.java);
  if (java.empty())
    return Error(Errc::bad_arguments, "cannot start ZooKeeper: no executable \"" +
                                          options.java + "\" (PATH is searched); " +
                                          kInstallHint + " (it brings default-jre)");
  classpath = options.classpath;
  if (classpath.empty()) {
    for (const char* jar : kJars) {
      std::string path = std::string(kJarDir) + "/" + jar;
      if (!fs::exists(path))
        return Error(Errc::bad_arguments,
                     "cannot start ZooKeeper: " + path + " is missing; " + kInstallHint);
      classpath += (classpath.empty() ? "" : ":") + path;
    }
  }
  return {};
}

Result<void> Cluster::Impl::make_temp_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                      "/zkit-test-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr)
    return Error(Errc::bad_arguments, "mkdtemp(" + templ + "): " + std::strerror(errno));
  dir = templ;
  return {};
}

Cluster::Cluster(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Cluster::~Cluster() = default;

Result<std::unique_ptr<Cluster>> Cluster::start(ClusterOptions options) {
  if (options.size < 1 || options.size > 254)  // extendedTypesEnabled needs server ids <= 254
    return Error(Errc::bad_arguments, "ClusterOptions.size must be 1..254, not " +
                                          std::to_string(options.size));
  if (options.client_port != 0 && (options.size != 1 || options.client_port < 1 || options.client_port > 65535))
    return Error(Errc::bad_arguments, "ClusterOptions.client_port is for one server (size 1), 1-65535");
  if (options.tick_ms <= 0)
    return Error(Errc::bad_arguments, "ClusterOptions.tick_ms must be positive");

  for (int attempt = 1;; ++attempt) {
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    if (auto r = impl->resolve_runtime(); !r) return std::move(r).error();
    if (auto r = impl->make_temp_dir(); !r) return std::move(r).error();

    bool ensemble = options.size > 1;
    auto ports = detail::reserve_ports(ensemble ? 3 * options.size : 1);
    if (!ports) return std::move(ports).error();
    for (int i = 0; i < options.size; ++i) {
      Member m;
      m.id = i + 1;
      auto at = static_cast<std::size_t>(ensemble ? 3 * i : 0);
      m.client_port = options.client_port != 0 ? options.client_port : (*ports)[at];
      if (ensemble) {
        m.quorum_port = (*ports)[at + 1];
        m.election_port = (*ports)[at + 2];
      }
      m.dir = impl->dir + "/zk" + std::to_string(m.id);
      impl->members.push_back(std::move(m));
    }
    for (auto& m : impl->members)
      if (auto r = impl->write_config(m); !r) return std::move(r).error();

    // Every member starts at once: an ensemble needs a quorum up before anyone serves.
    auto deadline = detail::deadline_after(options.start_timeout);
    Result<void> started;
    for (auto& m : impl->members) {
      started = impl->launch(m);
      if (!started) break;
    }
    if (started) started = impl->wait_serving(impl->all_members(), deadline, true);
    if (started) return std::unique_ptr<Cluster>(new Cluster(std::move(impl)));

    // A port chosen free may have been taken by someone else before the server bound it: only
    // that failure is worth another try, with new ports.
    bool bind_failure = std::any_of(impl->members.begin(), impl->members.end(),
                                    log_mentions_bind_failure);
    if (!bind_failure || attempt == kStartAttempts || options.client_port != 0)
      return std::move(started).error();
  }
}

std::string Cluster::connect_string() const {
  std::string s;
  for (const auto& m : impl_->members) s += (s.empty() ? "" : ",") + m.address();
  return s;
}

std::string Cluster::address(int member) const {
  const Member* m = impl_->find(member);
  return m != nullptr ? m->address() : std::string();
}

int Cluster::size() const { return static_cast<int>(impl_->members.size()); }

const std::string& Cluster::directory() const { return impl_->dir; }

std::string Cluster::log_path(int member) const {
  const Member* m = impl_->find(member);
  return m != nullptr ? m->log() : std::string();
}

namespace {
Error no_member(int member, int size) {
  return Error(Errc::bad_arguments, "no ZooKeeper member " + std::to_string(member) +
                                        " (members are 1.." + std::to_string(size) + ")");
}
}  // namespace

Result<void> Cluster::stop(int member) {
  Member* m = impl_->find(member);
  if (m == nullptr) return no_member(member, size());
  detail::end_process(m->pid, SIGTERM, kStopGrace);
  m->pid = 0;
  return {};
}

Result<void> Cluster::kill(int member) {
  Member* m = impl_->find(member);
  if (m == nullptr) return no_member(member, size());
  detail::end_process(m->pid, SIGKILL, kStopGrace);
  m->pid = 0;
  return {};
}

Result<void> Cluster::restart(int member) {
  Member* m = impl_->find(member);
  if (m == nullptr) return no_member(member, size());
  if (m->pid != 0 && !detail::has_exited(m->pid))
    return Error(Errc::bad_arguments, m->name() + " is running (pid " + std::to_string(m->pid) +
                                          "): stop or kill it first");
  if (m->pid != 0) {  // it died on its own: reap it before starting anew
    int status = 0;
    detail::reap(m->pid, 0ms, &status);
    m->pid = 0;
  }
  auto deadline = detail::deadline_after(impl_->options.start_timeout);
  if (auto r = impl_->launch(*m); !r) return r;
  return impl_->wait_serving({m}, deadline, false);
}

// --- dynamic reconfiguration ----------------------------------------------------------------

std::string Cluster::server_line(int member) const {
  const Member* m = impl_->find(member);
  if (m == nullptr || !impl_->ensemble()) return {};
  return "server." + std::to_string(m->id) + "=127.0.0.1:" + std::to_string(m->quorum_port) + ":" +
         std::to_string(m->election_port) + ":participant;" + m->address();
}

Result<int> Cluster::add_member() {
  if (!impl_->ensemble()) return Error(Errc::bad_arguments, "add_member needs an ensemble (ClusterOptions.size >= 2)");
  auto ports = detail::reserve_ports(3);
  if (!ports) return std::move(ports).error();
  Member m;
  m.id = size() + 1;
  m.client_port = (*ports)[0];
  m.quorum_port = (*ports)[1];
  m.election_port = (*ports)[2];
  m.dir = impl_->dir + "/zk" + std::to_string(m.id);
  impl_->members.push_back(std::move(m));
  Member& added = impl_->members.back();
  // The config lists every member and itself (write_config writes them all): the new member
  // joins the leader it finds there, and serves once it has synced.
  if (auto r = impl_->write_config(added); !r) return std::move(r).error();
  auto deadline = detail::deadline_after(impl_->options.start_timeout);
  if (auto r = impl_->launch(added); !r) return std::move(r).error();
  if (auto r = impl_->wait_serving({&added}, deadline, false); !r) return std::move(r).error();
  return added.id;
}

Result<int> Cluster::leader() const {
  std::string answers;
  for (const auto& m : impl_->members) {
    if (m.pid == 0 || detail::has_exited(m.pid)) continue;
    auto answer = four_letter_word(m.address(), "srvr", scaled(2s));
    std::string mode = answer ? mode_of(*answer) : std::string();
    if (mode == "leader" || mode == "standalone") return m.id;
    answers += "\n" + m.name() + ": " +
               (answer ? (mode.empty() ? first_line(*answer) : "Mode: " + mode)
                       : answer.error().message());
  }
  return Error(Errc::connection_loss,
               "no running ZooKeeper member reports Mode: leader" +
                   (answers.empty() ? std::string(" (none is running)") : answers));
}

Result<void> Cluster::wait_serving(std::chrono::milliseconds timeout) {
  return impl_->wait_serving(impl_->all_members(), detail::deadline_after(timeout), true);
}

bool Cluster::running(int member) const {
  const Member* m = impl_->find(member);
  return m != nullptr && m->pid != 0 && !detail::has_exited(m->pid);
}

int Cluster::pid(int member) const {
  const Member* m = impl_->find(member);
  return m != nullptr ? static_cast<int>(m->pid) : 0;
}

}  // namespace zkit::testing
