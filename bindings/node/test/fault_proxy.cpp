// fault_proxy <server host:port>: the testing kit's FaultProxy in front of one server, driven
// by the Node tests (which cannot link the kit) over stdin and stdout. It prints its own
// address, then answers each command line with "ok": `drop` (reset every connection),
// `refuse on|off`. It ends when stdin closes.
#include <cstdio>
#include <iostream>
#include <string>

#include "zkit/testing/fault_proxy.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <server host:port>\n", argv[0]);
    return 2;
  }
  auto proxy = zkit::testing::FaultProxy::start(argv[1]);
  if (!proxy) {
    std::fprintf(stderr, "fault_proxy: %s\n", proxy.error().message().c_str());
    return 1;
  }
  std::cout << (*proxy)->address() << std::endl;
  for (std::string line; std::getline(std::cin, line);) {
    if (line == "drop") (*proxy)->drop_connections();
    else if (line == "refuse on") (*proxy)->refuse(true);
    else if (line == "refuse off") (*proxy)->refuse(false);
    else {
      std::cout << "unknown command: " << line << std::endl;
      continue;
    }
    std::cout << "ok" << std::endl;
  }
  return 0;
}
