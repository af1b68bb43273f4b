// A standalone server through the kit: start, answer, stop, restart, clean up.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <thread>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "helpers.hpp"
#include "proto/records.hpp"
#include "raw_session.hpp"
#include "socket.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using namespace zkit::testing;
using zkit::Errc;

namespace {

int port_of(const std::string& address) { return std::stoi(address.substr(address.rfind(':') + 1)); }

// The local addresses of sockets listening on `port`, from /proc/net/tcp and tcp6 (hex, as the
// kernel prints them).
std::set<std::string> listening_addresses(int port) {
  char port_hex[8];
  std::snprintf(port_hex, sizeof port_hex, "%04X", port);
  std::set<std::string> found;
  for (const char* file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state;
      fields >> slot >> local >> remote >> state;
      auto colon = local.rfind(':');
      if (state == "0A" && local.substr(colon + 1) == port_hex) found.insert(local.substr(0, colon));
    }
  }
  return found;
}

// Whether `pid` is gone or a zombie: a dead process that its new parent (init, after the
// test's child died) has not reaped yet.
bool dead(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'Z';
}

}  // namespace

TEST_CASE("standalone_starts_on_loopback_and_answers_srvr_and_ruok") {
  auto zk = test::start_or_fail();
  CHECK(zk->size() == 1);
  CHECK(zk->connect_string() == zk->address(1));
  CHECK(zk->address(1).rfind("127.0.0.1:", 0) == 0);
  CHECK(zk->running(1));
  CHECK(zk->pid(1) > 0);

  auto srvr = four_letter_word(zk->address(1), "srvr", scaled(5s));
  REQUIRE_OK(srvr);
  CHECK(srvr->find("Mode: standalone") != std::string::npos);
  auto ruok = four_letter_word(zk->address(1), "ruok", scaled(5s));
  REQUIRE_OK(ruok);
  CHECK(*ruok == "imok");

  auto leader = zk->leader();
  REQUIRE_OK(leader);
  CHECK(*leader == 1);

  // Only 127.0.0.1 (or its IPv4-mapped IPv6 form): never every interface.
  auto addresses = listening_addresses(port_of(zk->address(1)));
  REQUIRE(!addresses.empty());
  for (const auto& a : addresses) {
    CAPTURE(a);
    CHECK((a == "0100007F" || a == "0000000000000000FFFF00000100007F"));
  }
  CHECK(fs::exists(zk->log_path(1)));
}

TEST_CASE("two_clusters_at_once_get_different_ports_and_directories") {
  auto a = test::start_or_fail();
  auto b = test::start_or_fail();
  CHECK(a->address(1) != b->address(1));
  CHECK(a->directory() != b->directory());
  CHECK(test::mode(a->address(1)) == "standalone");
  CHECK(test::mode(b->address(1)) == "standalone");
}

TEST_CASE("destructor_kills_the_server_and_removes_the_directory") {
  auto zk = test::start_or_fail();
  int pid = zk->pid(1);
  std::string dir = zk->directory();
  REQUIRE(pid > 0);
  REQUIRE(fs::exists("/proc/" + std::to_string(pid)));
  REQUIRE(fs::exists(dir));
  zk.reset();
  // Reaped, not a zombie: /proc/<pid> is gone altogether.
  CHECK_FALSE(fs::exists("/proc/" + std::to_string(pid)));
  CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("stopped_server_restarts_on_the_same_port_with_its_data") {
  using namespace zkit::testing::detail;
  auto zk = test::start_or_fail();
  auto acl = zkit::open_acl_unsafe();
  {
    auto s = RawSession::open(zk->address(1), {}, deadline_after(scaled(5s)));
    REQUIRE_OK(s);
    auto created = s->call(zkit::proto::Op::create,
                           zkit::proto::CreateRequest{.path = "/kept", .data = "v", .acl = acl},
                           deadline_after(scaled(5s)));
    REQUIRE_OK(created);
    REQUIRE(created->header.err == 0);
  }
  std::string before = zk->address(1);
  int old_pid = zk->pid(1);

  REQUIRE_OK(zk->stop(1));
  CHECK_FALSE(zk->running(1));
  CHECK(zk->pid(1) == 0);
  CHECK_FALSE(fs::exists("/proc/" + std::to_string(old_pid)));
  CHECK(four_letter_word(zk->address(1), "ruok", scaled(2s)).code() == Errc::connection_loss);
  REQUIRE_OK(zk->stop(1));  // stopping a stopped member is a no-op

  REQUIRE_OK(zk->restart(1));
  CHECK(zk->running(1));
  CHECK(zk->pid(1) != old_pid);
  CHECK(zk->address(1) == before);
  auto s = RawSession::open(zk->address(1), {}, deadline_after(scaled(5s)));
  REQUIRE_OK(s);
  auto exists = s->call(zkit::proto::Op::exists, zkit::proto::PathWatchRequest{.path = "/kept"},
                        deadline_after(scaled(5s)));
  REQUIRE_OK(exists);
  CHECK(exists->header.err == 0);

  CHECK(zk->restart(1).code() == Errc::bad_arguments);  // already running
}

TEST_CASE("server_that_exits_during_start_is_reported_with_its_log_tail") {
  // A later key wins in zoo.cfg: this one makes the server refuse its config and exit.
  auto started = Cluster::start({.config_lines = {"tickTime=not-a-number"}});
  REQUIRE_FALSE(started.ok());
  CHECK(started.code() == Errc::connection_loss);
  const std::string& message = started.error().message();
  CAPTURE(message);
  CHECK(message.find("exited") != std::string::npos);
  CHECK(message.find("server.log") != std::string::npos);
  CHECK(message.find("not-a-number") != std::string::npos);  // the log's own words
}

TEST_CASE("start_without_java_says_what_to_install") {
  auto started = Cluster::start({.java = "/nonexistent/bin/java"});
  REQUIRE_FALSE(started.ok());
  CHECK(started.code() == Errc::bad_arguments);
  CHECK(started.error().message().find("apt-get install zookeeper") != std::string::npos);
}

TEST_CASE("invalid_member_numbers_and_sizes_are_bad_arguments") {
  CHECK(Cluster::start({.size = 0}).code() == Errc::bad_arguments);
  auto zk = test::start_or_fail();
  CHECK(zk->kill(0).code() == Errc::bad_arguments);
  CHECK(zk->stop(2).code() == Errc::bad_arguments);
  CHECK(zk->restart(-1).code() == Errc::bad_arguments);
  CHECK(zk->address(2).empty());
  CHECK_FALSE(zk->running(2));
}

TEST_CASE("four_letter_word_to_a_closed_port_is_connection_loss") {
  auto port = zkit::testing::detail::reserve_ports(1);
  REQUIRE_OK(port);
  auto answer = four_letter_word("127.0.0.1:" + std::to_string(port->front()), "ruok", scaled(2s));
  CHECK(answer.code() == Errc::connection_loss);
}

TEST_CASE("servers_die_with_a_test_process_that_crashes") {
  // A child process plays the test: it starts a server, reports its pid and directory, and is
  // then killed without any chance to clean up. PR_SET_PDEATHSIG must take the server down.
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(fds[0]);
    auto started = Cluster::start();
    std::string report = started ? std::to_string(started.value()->pid(1)) + " " +
                                       started.value()->directory()
                                 : "0 " + started.error().message();
    [[maybe_unused]] auto n = ::write(fds[1], report.data(), report.size());
    ::close(fds[1]);
    ::pause();
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string report;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) {
    report.append(buf, static_cast<std::size_t>(n));
    if (report.find(' ') != std::string::npos && report.find('/') != std::string::npos) break;
  }
  ::close(fds[0]);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);

  int server = std::atoi(report.c_str());
  REQUIRE_MESSAGE(server > 0, report);
  std::string dir = report.substr(report.find(' ') + 1);
  auto deadline = std::chrono::steady_clock::now() + scaled(10s);
  while (!dead(server) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  CHECK(dead(server));
  std::error_code ec;
  fs::remove_all(dir, ec);  // the crashed "test" could not
}
