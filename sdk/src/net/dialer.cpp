#include "net/dialer.hpp"

#include "net/host_list.hpp"

namespace zkit::net {

void Dialer::dial(const HostPort& host, std::uint64_t pick, Done done) {
  cancel();
  name_ = host_name(host);
  pick_ = pick;
  done_ = std::move(done);
  lookup_ = Lookup::start(loop_, host.host, host.port, [this](int status, Addresses addrs) {
    lookup_ = nullptr;
    if (status != 0) return failed("cannot resolve " + name_ + ": " + uv_strerror(status));
    const sockaddr_storage& a = addrs[pick_ % addrs.size()];
    int err = 0;
    connecting_ = TcpStream::connect(
        loop_, reinterpret_cast<const sockaddr*>(&a),
        [this](int st) {
          TcpStream* s = std::exchange(connecting_, nullptr);
          if (st != 0) return failed("cannot connect to " + name_ + ": " + uv_strerror(st));
          Done d = std::move(done_);
          d(s, {});
        },
        err);
    if (!connecting_) failed("cannot connect to " + name_ + ": " + uv_strerror(err));
  });
  if (!lookup_) failed("cannot start resolving " + name_);
}

void Dialer::failed(std::string error) {
  Done d = std::move(done_);
  done_ = nullptr;
  if (d) d(nullptr, std::move(error));
}

void Dialer::cancel() {
  done_ = nullptr;
  if (lookup_) {
    lookup_->cancel();
    lookup_ = nullptr;
  }
  if (connecting_) {
    connecting_->close();
    connecting_ = nullptr;
  }
}

}  // namespace zkit::net
