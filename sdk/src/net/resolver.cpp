#include "net/resolver.hpp"

#include <netdb.h>

#include <cstring>

namespace zkit::net {

Lookup* Lookup::start(uv_loop_t* loop, const std::string& host, unsigned port,
                      Function<void(int, Addresses)> done) {
  auto* l = new Lookup;
  l->done_ = std::move(done);
  l->req_.data = l;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  std::string service = std::to_string(port);
  int rc = uv_getaddrinfo(
      loop, &l->req_,
      [](uv_getaddrinfo_t* req, int status, addrinfo* res) {
        auto* self = static_cast<Lookup*>(req->data);
        Addresses out;
        for (addrinfo* a = res; a; a = a->ai_next) {
          if (a->ai_addrlen > sizeof(sockaddr_storage)) continue;
          sockaddr_storage s{};
          std::memcpy(&s, a->ai_addr, a->ai_addrlen);
          out.push_back(s);
        }
        uv_freeaddrinfo(res);
        if (!self->cancelled_) {
          if (status == 0 && out.empty()) status = UV_EAI_NONAME;
          self->done_(status, std::move(out));
        }
        delete self;
      },
      host.c_str(), service.c_str(), &hints);
  if (rc != 0) {
    // Report through the same path as an asynchronous failure would, but from the caller's
    // turn: the caller treats a null lookup as "failed now".
    delete l;
    return nullptr;
  }
  return l;
}

void Lookup::cancel() {
  cancelled_ = true;
  done_ = nullptr;
  uv_cancel(reinterpret_cast<uv_req_t*>(&req_));
}

}  // namespace zkit::net
