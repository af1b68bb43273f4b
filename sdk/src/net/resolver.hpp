// Non-blocking name resolution with uv_getaddrinfo, done anew on every connection attempt so a
// server whose address changed is found again.
#pragma once

#include <sys/socket.h>

#include <string>
#include <vector>

#include <uv.h>

#include "zkit/function.hpp"

namespace zkit::net {

using Addresses = std::vector<sockaddr_storage>;

class Lookup {
 public:
  // Resolves host:port; `done` gets 0 and the addresses, or a libuv error. Never called after
  // cancel().
  static Lookup* start(uv_loop_t* loop, const std::string& host, unsigned port,
                       Function<void(int status, Addresses)> done);
  // Drops the result; libuv frees the lookup when it finishes.
  void cancel();

 private:
  Lookup() = default;
  uv_getaddrinfo_t req_{};
  Function<void(int, Addresses)> done_;
  bool cancelled_ = false;
};

}  // namespace zkit::net
