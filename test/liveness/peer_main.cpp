// zkit-scripted-peer MODE [--password-length N] [--interval MS]: runs a ScriptedPeer on
// 127.0.0.1 until SIGTERM or SIGINT, printing its port on the first line of stdout. The CLI's
// liveness tests (cli_liveness_test.sh) point `zkit` at it.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "scripted_peer.hpp"

int main(int argc, char** argv) {
  using namespace zkit::test_support;
  if (argc < 2 || !parse_misbehaviour(argv[1])) {
    std::fprintf(stderr,
                 "usage: %s trickle|pings-only|huge-timeout|bad-password|truncated|garbage|drop-after-handshake|silent "
                 "[--password-length N] [--interval MS]\n",
                 argv[0]);
    return 2;
  }
  Script script{.what = *parse_misbehaviour(argv[1])};
  // A line per request, so a test knows when the client is waiting on one.
  script.on_request = [](std::int32_t xid) {
    std::printf("request %d\n", xid);
    std::fflush(stdout);
  };
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--password-length") script.password_length = static_cast<std::int32_t>(std::strtol(argv[i + 1], nullptr, 10));
    else if (flag == "--interval") script.trickle_interval = std::chrono::milliseconds(std::strtol(argv[i + 1], nullptr, 10));
  }
  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    ScriptedPeer peer(&loop, std::move(script));
    std::printf("%d\n", peer.port());
    std::fflush(stdout);
    zkit::uv::Handle<uv_signal_t> term(&loop, uv_signal_init), intr(&loop, uv_signal_init);
    auto stop = [](uv_signal_t* s, int) { uv_stop(s->loop); };
    uv_signal_start(term.get(), stop, SIGTERM);
    uv_signal_start(intr.get(), stop, SIGINT);
    uv_run(&loop, UV_RUN_DEFAULT);
  }
  uv_run(&loop, UV_RUN_DEFAULT);  // let the handles close
  uv_loop_close(&loop);
  return 0;
}
