#include "child.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <thread>

extern char** environ;

namespace zkit::bench {

using namespace std::chrono_literals;

ChildRun run_child(const std::vector<std::string>& args, Deadline limit) {
  ChildRun run;
  char tmpl[] = "/tmp/zkit-bench-child-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) return run;
  close(fd);
  std::string out = tmpl;
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_TRUNC, 0600);
  pid_t pid = 0;
  run.started = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0;
  posix_spawn_file_actions_destroy(&actions);
  if (run.started) {
    int status = 0;
    while (true) {
      pid_t r = waitpid(pid, &status, WNOHANG);
      if (r == pid) {
        run.exited = true;
        run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      if (Clock::now() >= limit) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(50ms);
    }
    std::ifstream in(out);
    run.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::remove(out.c_str());
  return run;
}

}  // namespace zkit::bench
