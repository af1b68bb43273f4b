// zkit-storage-demo: a fleet of storage nodes coordinating through ZooKeeper with zkit.
//   zkit-storage-demo [--quick]      the story (see docs/storage-demo.md)
//   zkit-storage-demo node ...       one storage node (started by the story itself)
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>

#include "node.hpp"
#include "orchestrator.hpp"

namespace {

constexpr const char* kUsage =
    "usage: zkit-storage-demo [--quick]\n"
    "       zkit-storage-demo node --connect HOSTS --id ID [--port N] [--capacity-gb N]\n"
    "                              [--session-timeout MS]\n"
    "Without arguments: starts a local 3-member ZooKeeper ensemble and three storage nodes,\n"
    "kills the fleet's leader and a ZooKeeper member, and shows what happens.\n"
    "--quick leaves out the ZooKeeper kill.\n";

int usage_error(const std::string& what) {
  std::fprintf(stderr, "zkit-storage-demo: %s\n%s", what.c_str(), kUsage);
  return 2;
}

bool parse_int(std::string_view s, int& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

int node_main(int argc, char** argv) {
  zkit::demo::NodeConfig c;
  for (int i = 2; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (i + 1 >= argc) return usage_error(std::string(flag) + " needs a value");
    std::string_view value = argv[++i];
    int n = 0;
    if (flag == "--connect") c.connect = value;
    else if (flag == "--id") c.id = value;
    else if (flag == "--port" && parse_int(value, n)) c.port = n;
    else if (flag == "--capacity-gb" && parse_int(value, n)) c.capacity_gb = n;
    else if (flag == "--session-timeout" && parse_int(value, n) && n > 0)
      c.session_timeout = std::chrono::milliseconds(n);
    else return usage_error("bad argument " + std::string(flag) + " " + std::string(value));
  }
  if (c.connect.empty() || c.id.empty()) return usage_error("node needs --connect and --id");
  return zkit::demo::run_node(c);
}

std::string self_path(const char* argv0) {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string(argv0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string_view(argv[1]) == "node") return node_main(argc, argv);
  zkit::demo::DemoOptions options{.exe = self_path(argv[0])};
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--quick") options.kill_zookeeper = false;
    else if (a == "-h" || a == "--help") return std::fputs(kUsage, stdout), 0;
    else return usage_error("unknown argument " + std::string(a));
  }
  return zkit::demo::run_orchestrator(options);
}
