// Real ZooKeeper servers for tests: a standalone server or an ensemble, as java processes in a
// fresh temporary directory, listening on free ports of 127.0.0.1 only.
//
// A Cluster owns its processes: it starts them, can stop, kill and restart members to put a
// service through failures, and kills whatever is left when it is destroyed. It signals only
// the processes it started, so tests running side by side never touch each other's servers.
//
//   auto started = zkit::testing::Cluster::start({.size = 3});
//   REQUIRE_MESSAGE(started, started.error().message());
//   auto& zk = *started.value();
//   run_my_service(zk.connect_string());
//   auto leader = zk.leader();
//   REQUIRE(zk.kill(*leader));                        // crash the leader
//   REQUIRE(zk.wait_serving(zkit::testing::scaled(30s)));
//   REQUIRE(zk.restart(*leader));
//
// Needs the Debian package `zookeeper` (java and the jars in /usr/share/java).
// Each server's output goes to <directory()>/zk<N>/server.log. Set ZKIT_KEEP_TEST_DIRS=1 to keep
// the directory after the test for a look at the logs and data.
//
// Servers are started with PR_SET_PDEATHSIG, so they die with the test process even when it
// crashes. Linux ties that signal to the *thread* that started them: create and restart members
// from a thread that outlives the Cluster (the test's main thread, usually).
//
// A Cluster is not thread-safe: use it from one thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "zkit/result.hpp"
#include "zkit/testing/four_letter_word.hpp"
#include "zkit/testing/session_killer.hpp"
#include "zkit/testing/timing.hpp"

namespace zkit::testing {

// The super user every Cluster configures (DigestAuthenticationProvider.superDigest): add auth
// "digest" "super:super" to a session to bypass ACLs or to run reconfig.
inline constexpr const char* kSuperUser = "super";
inline constexpr const char* kSuperPassword = "super";  // the super user's password

// ClusterOptions: what to start.
struct ClusterOptions {
  // 1: one standalone server (ZooKeeperServerMain). 2 or more: an ensemble of that many
  // members (QuorumPeerMain, reconfigEnabled=true, standaloneEnabled=false).
  int size = 1;
  // The client port of a standalone server (size 1); 0: a free one the kit picks. A port that
  // is taken fails start() (no retry with another port).
  int client_port = 0;
  // ZooKeeper's tickTime. Sessions get a timeout clamped to [2, 20] ticks: 2000 gives 4-40 s;
  // use 500 for sessions of 1-10 s.
  int tick_ms = 2000;
  // Extra JVM options, after the kit's own (a later -D wins), e.g. "-Djute.maxbuffer=4194304".
  std::vector<std::string> jvm_options{};
  // Extra zoo.cfg lines, after the kit's own, e.g. "localSessionsEnabled=true".
  std::vector<std::string> config_lines{};
  // How long start() waits for every member to serve; restart() waits as long for its member.
  std::chrono::milliseconds start_timeout = scaled(std::chrono::seconds(30));
  // When the environment variable of this name is set, the temporary directory is kept (and its
  // path printed on stderr) instead of removed.
  std::string keep_dir_env = "ZKIT_KEEP_TEST_DIRS";
  // The java binary: a path, or a name looked up in PATH.
  std::string java = "java";
  // The server's classpath; empty means Debian's jars: zookeeper.jar, slf4j-api.jar,
  // slf4j-simple.jar and netty-codec.jar from /usr/share/java.
  std::string classpath{};
};

// Cluster: ZooKeeper servers this process started, numbered 1..size() ("members").
class Cluster {
 public:
  // Creates a temporary directory, writes each member's zoo.cfg, starts every member at once
  // and waits until all of them serve, as wait_serving() does (srvr reports standalone, or
  // one leader and the rest followers).
  // Ports that another process grabs between the kit choosing them and the server binding them
  // make the kit try again with new ports (up to 3 times).
  // Errors: bad_arguments (bad options; java or the jars missing: the message says what to
  // install), connection_loss (a member exited during start: the message holds the last lines
  // of its server.log), operation_timeout (not serving within start_timeout).
  static Result<std::unique_ptr<Cluster>> start(ClusterOptions options = {});

  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;
  // Kills every process it started that still runs (SIGKILL, by PID), reaps them and removes
  // the temporary directory (unless options.keep_dir_env is set).
  ~Cluster();

  // "127.0.0.1:p1,127.0.0.1:p2,...": every member's client address, in member order.
  std::string connect_string() const;
  // "127.0.0.1:p": the client address of `member` (1..size()); "" for a member out of range.
  std::string address(int member) const;
  // The number of members.
  int size() const;
  // The temporary directory; member N lives in <directory>/zkN.
  const std::string& directory() const;
  // <directory>/zkN/server.log: the member's stdout and stderr, appended across restarts.
  std::string log_path(int member) const;

  // Stops `member` gracefully: SIGTERM, then SIGKILL if it still runs after 10 s; reaps it.
  // Succeeds at once when it is not running. Errors: bad_arguments (no such member).
  Result<void> stop(int member);
  // Crashes `member`: SIGKILL, and reaps it. Every acknowledged write is on disk already, so a
  // restart loses nothing. Succeeds at once when it is not running.
  // Errors: bad_arguments (no such member).
  Result<void> kill(int member);
  // Starts a stopped or killed `member` again with the same config, ports and data, and waits
  // until it serves (an ensemble member needs a quorum for that).
  // Errors: bad_arguments (no such member, or it is running), connection_loss (it exited; the
  // message holds its log's tail), operation_timeout (not serving within start_timeout).
  Result<void> restart(int member);

  // The member whose srvr says "Mode: leader", or the standalone server.
  // Errors: connection_loss (no running member says so, e.g. during an election).
  Result<int> leader() const;
  // Waits until every running member serves and exactly one of them is the leader (right
  // after a leader dies its followers still say "follower" for a moment: that does not count).
  // Errors: connection_loss (a member exited: the message holds its log's tail; or no member
  // runs), operation_timeout (with each member's last srvr answer).
  Result<void> wait_serving(std::chrono::milliseconds timeout);

  // --- dynamic reconfiguration (ensembles only) ---------------------------------------------
  // Starts a new member (numbered size() + 1) whose config lists the ensemble's members and
  // itself, and waits until it serves (as a non-voting follower until a reconfig adds it).
  // Then add it with Session::reconfig, e.g. joining = server_line(id), as the super user
  // (kSuperUser). Errors: bad_arguments (a standalone Cluster), connection_loss (it exited;
  // the message holds its log's tail), operation_timeout (not serving within start_timeout).
  Result<int> add_member();
  // The member's line of a dynamic configuration, as reconfig's joining servers take it:
  // "server.N=127.0.0.1:quorum:election:participant;127.0.0.1:client" ("" for no such member).
  std::string server_line(int member) const;

  // Whether `member`'s process runs (it was started and has not exited).
  bool running(int member) const;
  // The process id of `member`'s server, 0 before it started and after stop() or kill() (the
  // kit reaps what it stops, so a non-zero pid is never another program's).
  int pid(int member) const;

 private:
  struct Impl;
  explicit Cluster(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace zkit::testing
