#include "support.hpp"

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace zkit::faults {

using zkit::testing::Cluster;
using zkit::testing::FaultProxy;

// --- Ensemble ------------------------------------------------------------------------------

Ensemble& Ensemble::get() {
  static std::unique_ptr<Ensemble> ensemble(new Ensemble());
  return *ensemble;
}

Ensemble::Ensemble() {
  // ZooKeeper 3.6+ drops a request whose connection closed before the request was processed
  // (request_throttle_drop_stale); a reply lost after the commit needs the request processed.
  auto c = Cluster::start(
      {.size = 3, .tick_ms = 500, .jvm_options = {"-Dzookeeper.request_throttle_drop_stale=false"}});
  if (!c) FAIL("cannot start a 3-member ZooKeeper ensemble: " << c.error().message());
  cluster_ = std::move(c).value();
  for (int m = 1; m <= cluster_->size(); ++m) {
    workers_.push_back(std::make_unique<Worker>());
    // A proxy delivering held bytes after a stall may write to a peer that has gone; the kit
    // does not guard against SIGPIPE, which would end this process. Its thread inherits this
    // mask, so SIGPIPE is blocked there (its write fails with EPIPE) and only there: a SIGPIPE
    // raised by zkit on the test's own thread still ends the test, as it would a user's program.
    sigset_t pipe_only;
    sigset_t old;
    ::sigemptyset(&pipe_only);
    ::sigaddset(&pipe_only, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
    auto p = FaultProxy::start(cluster_->address(m));
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (!p) FAIL("cannot start a proxy to member " << m << ": " << p.error().message());
    proxies_.push_back(std::move(p).value());
  }
}

std::string Ensemble::proxied(int first) const {
  std::string s = first != 0 ? proxies_.at(static_cast<std::size_t>(first - 1))->address() : "";
  for (int m = 1; m <= size(); ++m) {
    if (m == first) continue;
    if (!s.empty()) s += ',';
    s += proxies_[static_cast<std::size_t>(m - 1)]->address();
  }
  return s;
}

std::string Ensemble::direct(const std::vector<int>& except) const {
  std::string s;
  for (int m = 1; m <= size(); ++m) {
    if (std::find(except.begin(), except.end(), m) != except.end()) continue;
    if (!s.empty()) s += ',';
    s += cluster_->address(m);
  }
  return s;
}

int Ensemble::member_behind(const std::string& host) const {
  for (int m = 1; m <= size(); ++m)
    if (proxies_[static_cast<std::size_t>(m - 1)]->address() == host || cluster_->address(m) == host) return m;
  return 0;
}

void Ensemble::heal() {
  for (auto& p : proxies_) {
    p->stall(false);
    p->refuse(false);
    p->set_delay(0ms);
  }
  std::vector<int> down;
  for (int m = 1; m <= size(); ++m)
    if (!cluster_->running(m)) down.push_back(m);
  if (!down.empty()) {
    Loop idle;
    restart(idle, down);
  }
  auto serving = cluster_->wait_serving(scaled(60s));
  REQUIRE_MESSAGE(serving.ok(), (serving.ok() ? "" : serving.error().message()));
  REQUIRE_MESSAGE(wait_proxies_idle(), "proxies still forward connections of an earlier case");
}

int Ensemble::leader() {
  auto l = cluster_->leader();
  REQUIRE_MESSAGE(l.ok(), (l.ok() ? "" : l.error().message()));
  return *l;
}

void Ensemble::kill(Loop& loop, int member) {
  auto r = loop.offload<Result<void>>(worker(), [this, member] { return cluster_->kill(member); });
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
}

void Ensemble::restart(Loop& loop, const std::vector<int>& members) {
  std::vector<Worker*> workers;
  std::vector<std::function<Result<void>()>> jobs;
  for (std::size_t i = 0; i < members.size(); ++i) {
    workers.push_back(workers_.at(i).get());
    jobs.push_back([this, m = members[i]] { return cluster_->restart(m); });
  }
  auto results = loop.offload<Result<void>>(workers, std::move(jobs));
  for (std::size_t i = 0; i < results.size(); ++i)
    REQUIRE_MESSAGE(results[i].ok(), "member " << members[i] << ": "
                                               << (results[i].ok() ? "" : results[i].error().message()));
}

void Ensemble::wait_serving(Loop& loop) {
  auto r = loop.offload<Result<void>>(worker(), [this] { return cluster_->wait_serving(scaled(60s)); });
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
}

bool Ensemble::wait_proxies_idle(std::chrono::milliseconds timeout) const {
  // The proxies end connections on their own thread and offer no event for it: look every
  // few milliseconds, up to the deadline.
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    bool idle = true;
    for (const auto& p : proxies_) idle = idle && p->active_connections() == 0;
    if (idle) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
}

// --- descriptors ---------------------------------------------------------------------------

FdTable open_fds() {
  FdTable fds;
  DIR* dir = ::opendir("/proc/self/fd");
  REQUIRE(dir != nullptr);
  int own = ::dirfd(dir);
  while (dirent* e = ::readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    int fd = std::atoi(e->d_name);
    if (fd == own) continue;
    char target[512];
    std::string link = std::string("/proc/self/fd/") + e->d_name;
    ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
    fds[fd] = n > 0 ? std::string(target, static_cast<std::size_t>(n)) : "?";
  }
  ::closedir(dir);
  return fds;
}

std::string fd_changes(const FdTable& before, const FdTable& after) {
  std::ostringstream out;
  for (const auto& [fd, what] : after) {
    auto b = before.find(fd);
    if (b == before.end()) out << "opened fd " << fd << " -> " << what << "\n";
    else if (b->second != what) out << "fd " << fd << " was " << b->second << ", now " << what << "\n";
  }
  for (const auto& [fd, what] : before)
    if (!after.count(fd)) out << "closed fd " << fd << " -> " << what << "\n";
  return out.str();
}

void check_no_descriptor_leaked(Loop& loop, const FdTable& before) {
  CHECK_MESSAGE(loop.drain(), "the loop still has live handles after every session was closed");
  CHECK_MESSAGE(Ensemble::get().wait_proxies_idle(), "a proxy still forwards a connection");
  FdTable after = open_fds();
  CHECK_MESSAGE(after == before, "descriptors changed:\n" << fd_changes(before, after));
}

}  // namespace zkit::faults
