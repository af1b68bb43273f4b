#include "child_process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace zkit::tools {

namespace {

// NAME of "NAME=value".
std::string_view name_of(std::string_view assignment) {
  return assignment.substr(0, assignment.find('='));
}

// Our environment with `extra` added, each replacing a variable of the same name.
std::vector<std::string> merged_env(const std::vector<std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string_view cur(*e);
    bool replaced = false;
    for (auto& x : extra) replaced = replaced || name_of(x) == name_of(cur);
    if (!replaced) out.emplace_back(cur);
  }
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// In the child between fork and exec: async-signal-safe calls only. Reports a failed exec's
// errno on `report` (close-on-exec, so a successful exec closes it with nothing written).
[[noreturn]] void exec_child(const SpawnOptions& o, int parent, int report, char** argv, char** envp) {
  prctl(PR_SET_PDEATHSIG, o.death_signal);
  if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
  if (o.own_group) setpgid(0, 0);
  // Signal dispositions the tool changed must not leak into the command.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig : {SIGINT, SIGTERM, SIGCHLD, SIGPIPE, SIGHUP}) sigaction(sig, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  // (dup2 clears close-on-exec on the copy, so pipes made with O_CLOEXEC work here.)
  if (o.stdin_fd >= 0) dup2(o.stdin_fd, 0);
  if (o.stdout_fd >= 0) dup2(o.stdout_fd, 1);
  if (o.stderr_fd >= 0) dup2(o.stderr_fd, 2);
  execvpe(argv[0], argv, envp);
  int err = errno;
  [[maybe_unused]] auto n = write(report, &err, sizeof err);
  _exit(err == ENOENT ? 127 : 126);
}

}  // namespace

Result<std::unique_ptr<ChildProcess>> ChildProcess::spawn(uv_loop_t* loop, SpawnOptions o,
                                                          ExitCallback on_exit) {
  if (o.argv.empty()) return Error(Errc::bad_arguments, "no command given");
  std::vector<std::string> args = o.argv;
  std::vector<std::string> env = merged_env(o.env);
  auto argv = c_strings(args);
  auto envp = c_strings(env);

  std::unique_ptr<ChildProcess> child(new ChildProcess());
  child->own_group_ = o.own_group;
  child->on_exit_ = std::move(on_exit);
  // Watch SIGCHLD before forking, so an exit that comes at once is not missed.
  child->sigchld_ = uv::Handle<uv_signal_t>(loop, uv_signal_init);
  if (!child->sigchld_)
    return Error(Errc::bad_arguments, std::string("SIGCHLD watcher: ") + uv_strerror(child->sigchld_.error()));
  child->grace_.emplace(loop);
  child->sigchld_->data = child.get();
  uv_signal_start(child->sigchld_.get(), [](uv_signal_t* s, int) {
    static_cast<ChildProcess*>(s->data)->reap();
  }, SIGCHLD);

  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0)
    return Error(Errc::bad_arguments, std::string("pipe: ") + std::strerror(errno));
  int parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    int err = errno;
    ::close(report[0]);
    ::close(report[1]);
    return Error(Errc::bad_arguments, std::string("fork: ") + std::strerror(err));
  }
  if (pid == 0) exec_child(o, parent, report[1], argv.data(), envp.data());
  ::close(report[1]);
  // Also in the parent, so the group exists before we may signal it.
  if (o.own_group) setpgid(pid, pid);
  child->pid_ = pid;
  child->running_ = true;

  int err = 0;
  ssize_t n;
  do n = read(report[0], &err, sizeof err);
  while (n < 0 && errno == EINTR);
  ::close(report[0]);
  if (n == static_cast<ssize_t>(sizeof err)) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    child->running_ = false;
    std::string what = o.argv[0] + ": " + std::strerror(err);
    return Error(err == ENOENT ? Errc::no_node : Errc::bad_arguments, what);
  }
  child->reap();  // in case it exited before the watcher could see it
  return child;
}

ChildProcess::~ChildProcess() {
  if (running_) {
    signal(SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  // (The handles close with their members: no callback of theirs runs after that.)
}

void ChildProcess::reap() {
  if (!running_) return;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r != pid_) return;
  running_ = false;
  grace_->stop();
  uv_signal_stop(sigchld_.get());
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (on_exit_) {
    auto cb = std::move(on_exit_);
    cb(code);  // may destroy this object: nothing after it
  }
}

void ChildProcess::signal(int sig) {
  if (!running_) return;
  // A group of its own: reach the command's children too.
  if (own_group_ && ::kill(-pid_, sig) == 0) return;
  ::kill(pid_, sig);
}

void ChildProcess::terminate(std::chrono::milliseconds grace) {
  if (!running_) return;
  signal(SIGTERM);
  grace_->start(grace, [this] { signal(SIGKILL); });
}

}  // namespace zkit::tools
