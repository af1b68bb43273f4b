#include "peer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace zkit::bench {

using namespace std::chrono_literals;

std::unique_ptr<Peer> Peer::start(const std::vector<std::string>& args, const std::vector<std::string>& extra_env,
                                  std::string& failure) {
  int to_child[2], from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0) {
    failure = std::string("pipe: ") + std::strerror(errno);
    return nullptr;
  }
  if (pipe2(from_child, O_CLOEXEC) != 0) {
    failure = std::string("pipe: ") + std::strerror(errno);
    close(to_child[0]);
    close(to_child[1]);
    return nullptr;
  }
  std::vector<std::string> arg_copy = args;
  std::vector<char*> argv;
  for (auto& a : arg_copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_copy = extra_env;
  std::vector<char*> envp;
  for (auto& e : env_copy) envp.push_back(e.data());
  for (char** e = environ; *e; ++e) envp.push_back(*e);  // after the extras: the first one wins
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // dup2 clears O_CLOEXEC on the copies; the originals close at exec.
  posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(to_child[0]);
  close(from_child[1]);
  if (rc != 0) {
    failure = "cannot start " + args[0] + ": " + std::strerror(rc);
    close(to_child[1]);
    close(from_child[0]);
    return nullptr;
  }
  // A peer that died must not take this process with it (SIGPIPE on the next command).
  signal(SIGPIPE, SIG_IGN);
  return std::unique_ptr<Peer>(new Peer(pid, to_child[1], from_child[0]));
}

Peer::~Peer() {
  if (status_ < 0) finish(Clock::now());
  if (out_ >= 0) close(out_);
}

bool Peer::send(const std::string& line) {
  if (in_ < 0) return false;
  std::string l = line + "\n";
  std::size_t done = 0;
  while (done < l.size()) {
    ssize_t n = write(in_, l.data() + done, l.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool Peer::read_line(std::string& line, Deadline deadline, std::string& failure) {
  while (true) {
    auto nl = buffered_.find('\n');
    if (nl != std::string::npos) {
      line = buffered_.substr(0, nl);
      buffered_.erase(0, nl + 1);
      return true;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left <= 0ms) {
      failure = "no answer before the deadline";
      return false;
    }
    pollfd p{out_, POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (r < 0 && errno != EINTR) {
      failure = std::string("poll: ") + std::strerror(errno);
      return false;
    }
    if (r <= 0) continue;
    char buf[65536];
    ssize_t n = read(out_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failure = "it exited without answering";
      return false;
    }
    buffered_.append(buf, static_cast<std::size_t>(n));
  }
}

int Peer::finish(Deadline deadline) {
  if (status_ >= 0) return status_;
  if (in_ >= 0) {
    close(in_);  // end of its commands
    in_ = -1;
  }
  int status = 0;
  while (true) {
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (r < 0) return status_ = 127;
    if (Clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return status_;
}

}  // namespace zkit::bench
