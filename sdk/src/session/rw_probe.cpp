#include "session/rw_probe.hpp"

#include <string_view>

namespace zkit::session {

RwProbe* RwProbe::start(uv_loop_t* loop, HostPort host, Function<void(bool)> done) {
  auto* p = new RwProbe(loop, std::move(done));
  p->lookup_ = net::Lookup::start(loop, host.host, host.port, [p](int status, net::Addresses a) {
    p->lookup_ = nullptr;
    if (status != 0) return p->finish(false);
    int err = 0;
    p->conn_ = net::TcpConnection::connect(p->loop_, reinterpret_cast<const sockaddr*>(&a.front()), p, err);
    if (!p->conn_) p->finish(false);
  });
  if (!p->lookup_) {
    delete p;
    return nullptr;
  }
  return p;
}

void RwProbe::on_connect(int status) {
  if (status != 0) return finish(false);
  std::string word = "isro";
  if (!conn_->write(word)) finish(false);
}

char* RwProbe::read_buffer(std::size_t, std::size_t& size) {
  size = sizeof buf_ - used_;
  return buf_ + used_;
}

void RwProbe::on_read(std::size_t n) {
  used_ += n;
  if (used_ >= 2 || used_ == sizeof buf_) finish(std::string_view(buf_, used_).substr(0, 2) == "rw");
}

void RwProbe::on_error(int) { finish(false); }

void RwProbe::finish(bool rw) {
  Function<void(bool)> done = std::move(done_);
  done_ = nullptr;
  cancel();
  if (done) done(rw);
}

void RwProbe::cancel() {
  done_ = nullptr;
  if (lookup_) {
    lookup_->cancel();
    lookup_ = nullptr;
  }
  if (conn_) {
    conn_->close();
    conn_ = nullptr;
  }
  delete this;
}

}  // namespace zkit::session
