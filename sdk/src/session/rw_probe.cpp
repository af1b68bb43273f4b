#include "session/rw_probe.hpp"

#include <string_view>

namespace zkit::session {

void RwProbe::start(const HostPort& host, Function<void(bool)> done) {
  cancel();
  done_ = std::move(done);
  used_ = 0;
  dialer_.dial(host, 0);
}

void RwProbe::on_dialed(net::Stream* s, const char*, int) {
  if (!s) return finish(false);
  stream_ = s;
  stream_->start(this);
  std::string word = "isro";
  if (!stream_->write(word)) finish(false);
}

char* RwProbe::read_buffer(std::size_t, std::size_t& size) {
  size = sizeof buf_ - used_;
  return buf_ + used_;
}

void RwProbe::on_read(std::size_t n) {
  used_ += n;
  if (used_ >= 2 || used_ == sizeof buf_) finish(std::string_view(buf_, used_).substr(0, 2) == "rw");
}

void RwProbe::finish(bool rw) {
  Function<void(bool)> done = std::move(done_);
  cancel();
  if (done) done(rw);
}

void RwProbe::cancel() {
  done_ = nullptr;
  dialer_.cancel();
  if (stream_) {
    stream_->close();
    stream_ = nullptr;
  }
}

}  // namespace zkit::session
