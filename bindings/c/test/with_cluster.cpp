// Runs a test program against a real ZooKeeper server: starts one (zkit::testing::Cluster),
// runs `argv[1] argv[2]... <connect string>` as a child, and exits with its status. With
// `--env-only` first, the connect string is only in the environment (ZKIT_TEST_CONNECT), for
// programs such as pytest that take no such argument.
// The C and Python suites use it so that their programs need no server logic of their own.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "zkit/testing/cluster.hpp"

int main(int argc, char** argv) {
  bool env_only = argc > 1 && std::string(argv[1]) == "--env-only";
  int first = env_only ? 2 : 1;
  if (argc <= first) {
    std::fprintf(stderr, "usage: %s [--env-only] program [args...]\n", argv[0]);
    return 2;
  }
  auto cluster = zkit::testing::Cluster::start({.tick_ms = 500});
  if (!cluster) {
    std::fprintf(stderr, "with_cluster: %s\n", cluster.error().message().c_str());
    return 1;
  }
  std::string connect = (*cluster)->connect_string();
  setenv("ZKIT_TEST_CONNECT", connect.c_str(), 1);
  std::vector<char*> args(argv + first, argv + argc);
  if (!env_only) args.push_back(connect.data());
  args.push_back(nullptr);
  pid_t child = fork();
  if (child < 0) {
    std::perror("fork");
    return 1;
  }
  if (child == 0) {
    execv(args[0], args.data());
    std::perror(args[0]);
    _exit(127);
  }
  int status = 0;
  if (waitpid(child, &status, 0) != child) {
    std::perror("waitpid");
    return 1;
  }
  if (WIFSIGNALED(status)) {
    std::fprintf(stderr, "with_cluster: %s died of signal %d\n", args[0], WTERMSIG(status));
    return 1;
  }
  return WEXITSTATUS(status);
}
