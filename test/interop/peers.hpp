// The two peers the interop tests talk to: Apache Curator 5 in a JVM (java/CuratorPeer.java)
// and kazoo in Debian's python (kazoo_peer.py), both on the binary's shared server.
#pragma once

#include <memory>
#include <string>

#include "peer.hpp"

namespace zkit::interop {

using namespace std::chrono_literals;
using zkit::testing::scaled;

// Replies to plain commands come within this (a JVM under load can be slow to answer).
inline std::chrono::milliseconds reply_timeout() { return scaled(20s); }
// Events that need a few round trips to the server (an acquire, an election).
inline std::chrono::milliseconds event_timeout() { return scaled(20s); }
// The timeout of a zkit acquire the test waits for with event_timeout(): longer, so a lost
// wake-up fails the test instead of being rescued by the acquire's last look at its deadline.
inline std::chrono::milliseconds waiter_timeout() { return scaled(60s); }

// A Curator JVM connected to the shared server (sessions of 6 s, like the zkit ones).
std::unique_ptr<Peer> start_curator(Loop& loop);
// A kazoo client connected to the shared server (one session, 6 s).
std::unique_ptr<Peer> start_kazoo(Loop& loop);

}  // namespace zkit::interop
