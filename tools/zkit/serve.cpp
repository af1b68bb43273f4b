#include "serve.hpp"

#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>

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

  auto connect = server.start(inv.size);
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
