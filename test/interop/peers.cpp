#include "peers.hpp"

#include <unistd.h>

namespace zkit::interop {

std::unique_ptr<Peer> start_curator(Loop& loop) {
  // Paths come from meson (test/interop/meson.build): the JDK, the compiled peer and Debian's jars.
  // A small serial-GC heap and C1 only: quick to start, light on a shared machine.
  return std::make_unique<Peer>(loop, "curator",
                                std::vector<std::string>{ZKIT_INTEROP_JAVA, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                                                         "-cp", ZKIT_INTEROP_CLASSPATH, "CuratorPeer",
                                                         recipes::test::shared_server().connect_string(), "6000"},
                                scaled(30s));
}

std::unique_ptr<Peer> start_kazoo(Loop& loop) {
  return std::make_unique<Peer>(loop, "kazoo",
                                std::vector<std::string>{ZKIT_INTEROP_PYTHON, "-u", ZKIT_INTEROP_KAZOO_PEER,
                                                         recipes::test::shared_server().connect_string(), "6",
                                                         std::to_string(::getpid())},
                                scaled(30s));
}

}  // namespace zkit::interop
