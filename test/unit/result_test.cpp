// Result::value() on an error and Result::error() on a value abort loudly in every build
// type: this file is compiled with NDEBUG, as a release build is, so no assert() can do it.
#define NDEBUG 1

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "zkit/result.hpp"

namespace {

struct Death {
  bool aborted = false;
  std::string stderr_text;
};

// Runs `f` in a child process and reports whether it died of SIGABRT and what it printed.
template <class F>
Death run_in_child(F f) {
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // doctest's handler would report the abort as a crash of its own, and under
    // ThreadSanitizer (which defers signals to its own handler) the child then exits instead of
    // dying of SIGABRT: the child dies the default way.
    std::signal(SIGABRT, SIG_DFL);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    f();
    _exit(0);  // f returned: the test below fails on the exit status
  }
  close(pipe_fds[1]);
  Death d;
  char buf[512];
  for (ssize_t n; (n = read(pipe_fds[0], buf, sizeof buf)) > 0;) d.stderr_text.append(buf, std::size_t(n));
  close(pipe_fds[0]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  d.aborted = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
  return d;
}

}  // namespace

TEST_CASE("value() of a failed Result aborts with the error's message, asserts off") {
  Death d = run_in_child([] {
    zkit::Result<int> r(zkit::Errc::no_node, "get /a: no node");
    volatile int v = r.value();
    (void)v;
  });
  CHECK(d.aborted);
  CHECK(d.stderr_text.find("get /a: no node") != std::string::npos);
}

TEST_CASE("error() of a successful Result aborts, asserts off") {
  CHECK(run_in_child([] {
          zkit::Result<int> r(7);
          volatile auto c = r.error().code();
          (void)c;
        }).aborted);
  CHECK(run_in_child([] {
          zkit::Result<void> r;
          volatile auto c = r.error().code();
          (void)c;
        }).aborted);
}

TEST_CASE("value() of a successful Result is the value") {
  zkit::Result<std::string> r(std::string("v"));
  CHECK(r.value() == "v");
  CHECK(*r == "v");
}
