#include "process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace zkit::testing::detail {

Result<pid_t> spawn(const SpawnRequest& request) {
  // Everything the child needs is prepared here: between fork and exec only async-signal-safe
  // calls are allowed (another thread may hold the allocator's lock).
  std::vector<char*> argv;
  for (const auto& a : request.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int log = ::open(request.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0)
    return Error(Errc::bad_arguments,
                 "cannot open " + request.log_path + ": " + std::strerror(errno));
  int null_in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid == 0) {
    // The server must not outlive the test, even when the test crashes.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
    // Signal state survives exec: a test that blocks or ignores signals must not leave the
    // server deaf to SIGTERM.
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);
    if (null_in >= 0) ::dup2(null_in, STDIN_FILENO);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    // No descriptor of the test (sockets, other servers' logs) leaks into the server.
    ::close_range(3, ~0U, 0);
    if (::chdir(request.directory.c_str()) != 0) {
      const char msg[] = "zkit testing kit: chdir failed\n";
      [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
      ::_exit(127);
    }
    ::execv(request.program.c_str(), argv.data());
    const char msg[] = "zkit testing kit: exec failed\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::_exit(127);
  }
  int fork_errno = errno;
  ::close(log);
  if (null_in >= 0) ::close(null_in);
  if (pid < 0)
    return Error(Errc::bad_arguments, std::string("fork failed: ") + std::strerror(fork_errno));
  return pid;
}

bool has_exited(pid_t pid) noexcept {
  siginfo_t info{};
  // WNOWAIT: look without reaping, so the pid cannot be reused behind our back.
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0)
    return errno == ECHILD;  // someone reaped it (SIGCHLD ignored): it is gone either way
  return info.si_pid == pid;
}

bool reap(pid_t pid, std::chrono::milliseconds timeout, int* status) noexcept {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int st = 0;
    pid_t r = ::waitpid(pid, &st, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) {
      *status = r == pid ? st : 0;
      return true;
    }
    if (r < 0 && errno == EINTR) continue;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int end_process(pid_t pid, int signal, std::chrono::milliseconds grace) noexcept {
  int status = 0;
  if (pid <= 0) return status;  // kill(0) or kill(-1) would hit far more than our child
  ::kill(pid, signal);
  if (reap(pid, grace, &status)) return status;
  ::kill(pid, SIGKILL);
  while (!reap(pid, std::chrono::seconds(60), &status)) {
  }
  return status;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "ended (wait status " + std::to_string(status) + ")";
}

std::string find_program(const std::string& name) {
  auto executable = [](const std::string& p) { return ::access(p.c_str(), X_OK) == 0; };
  if (name.empty()) return {};
  if (name.find('/') != std::string::npos) return executable(name) ? name : std::string();
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    auto colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (executable(candidate)) return candidate;
    if (colon == std::string_view::npos) return {};
    dirs.remove_prefix(colon + 1);
  }
}

std::string tail_of_file(const std::string& path, int lines) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "(cannot read " + path + ")";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  if (text.empty()) return "(" + path + " is empty)";
  std::size_t pos = text.size();
  for (int i = 0; i < lines && pos != std::string::npos && pos > 0; ++i)
    pos = text.rfind('\n', pos - 1);
  if (pos == std::string::npos) return text;
  return text.substr(pos + 1);
}

}  // namespace zkit::testing::detail
