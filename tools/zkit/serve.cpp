#include "serve.hpp"

#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "interrupts.hpp"
#include "local_server.hpp"

namespace zkit::cli {
namespace {

// Writes the file whole or not at all (a temporary file renamed into place), so a script
// polling for it never reads half a line.
Result<void> write_ready_file(const std::string& file, const std::string& connect) {
  std::string tmp = file + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << connect << '\n';
    f.close();
    if (!f) return Error(Errc::bad_arguments, "cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) return Error(Errc::bad_arguments, "cannot write " + file + ": " + ec.message());
  return {};
}

// True when nothing listens on 127.0.0.1:port and we may bind it.
bool port_free(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

constexpr int kDefaultPort = 2181;  // where the docs' examples and ZKIT_CONNECT's fallback look

}  // namespace

Result<void> run_serve(const Invocation& inv, Printer& out) {
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  LocalServer server;  // before `interrupts`, which may still be running a callback until destroyed
  Interrupts interrupts([&](int) {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    cv.notify_all();
  });

  // --port, else ZooKeeper's usual port when it is free (so the docs' 127.0.0.1:2181 works),
  // else any free port.
  int port = inv.port.value_or(0);
  if (!inv.port && inv.size == 1 && port_free(kDefaultPort)) port = kDefaultPort;
  if (inv.port && !port_free(*inv.port))
    return Error(Errc::bad_arguments, "--port " + std::to_string(*inv.port) + ": 127.0.0.1:" +
                                          std::to_string(*inv.port) + " is already in use");
  auto connect = server.start(inv.size, port);
  if (!connect && !inv.port && port == kDefaultPort)  // taken meanwhile: any port will do
    connect = server.start(inv.size, 0);
  if (!connect) return Error(connect.code(), "starting ZooKeeper: " + connect.error().message());
  out.serving(*connect);
  if (!inv.ready_file.empty())
    if (auto r = write_ready_file(inv.ready_file, *connect); !r) return r;
  std::fprintf(stderr, "zkit: serving %d ZooKeeper server%s at %s; stop with Ctrl-C or SIGTERM\n",
               inv.size, inv.size == 1 ? "" : "s", connect->c_str());

  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return stop; });
  }
  server.stop();
  std::error_code ignored;
  if (!inv.ready_file.empty()) std::filesystem::remove(inv.ready_file, ignored);
  std::fprintf(stderr, "zkit: servers stopped and removed\n");
  return {};
}

}  // namespace zkit::cli
