#include "net/dialer.hpp"

#include <utility>


namespace zkit::net {

void Dialer::dial(const HostPort& host, std::uint64_t pick) {
  cancel();
  pick_ = pick;
  dialing_ = true;
  lookup_ = Lookup::start(loop_, host.host, host.port, [this](int status, Addresses addrs) {
    lookup_ = nullptr;
    if (status != 0) return failed("cannot resolve", status);
    const sockaddr_storage& a = addrs[pick_ % addrs.size()];
    int err = 0;
    connecting_ = TcpStream::connect(loop_, reinterpret_cast<const sockaddr*>(&a), *this, err);
    if (!connecting_) failed("cannot connect to", err);
  });
  if (!lookup_) failed("cannot start resolving", 0);
}

void Dialer::on_connected(TcpStream* stream, int status) {
  connecting_ = nullptr;
  if (status != 0) return failed("cannot connect to", status);
  dialing_ = false;
  events_.on_dialed(stream, nullptr, 0);
}

void Dialer::failed(const char* step, int status) {
  if (!dialing_) return;
  dialing_ = false;
  events_.on_dialed(nullptr, step, status);
}

void Dialer::cancel() {
  dialing_ = false;
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
