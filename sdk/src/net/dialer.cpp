#include "net/dialer.hpp"

#include <utility>

#include "net/tls_stream.hpp"

namespace zkit::net {

void Dialer::dial(const HostPort& host, std::uint64_t pick) {
  cancel();
  pick_ = pick;
  dialing_ = true;
  tls_ = host.tls;
  host_ = host.host;
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
  Stream* out = stream;
  if (!tls_)
    stream->set_silent_close_reason(
        "the server closed the connection without answering (a TLS port, such as a secureClientPort? "
        "then enable Options::tls)");
  if (tls_) {
    std::string error;
    out = TlsStream::wrap(stream, *tls_, host_, error);
    if (!out) {
      step_ = "cannot use the TLS settings (" + error + ") to connect to";
      return failed(step_.c_str(), 0);
    }
  }
  dialing_ = false;
  events_.on_dialed(out, nullptr, 0);
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
