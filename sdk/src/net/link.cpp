#include "net/link.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "net/host_list.hpp"
#include "net/shared_read_buffer.hpp"
#include "proto/frame.hpp"

namespace zkit::net {
namespace {
constexpr std::size_t kReadChunk = 4096;
}

Link::Link(uv_loop_t* loop, std::size_t max_frame, Events& events)
    : max_frame_(max_frame), events_(events), dialer_(loop, *this), flush_(loop, uv_prepare_init) {
  flush_->data = this;
}

Link::~Link() { close(); }

void Link::open(const HostPort& host, std::uint64_t pick) {
  close();
  peer_ = host_name(host);
  state_ = State::dialing;
  in_used_ = 0;
  dialer_.dial(host, pick);
}

void Link::on_dialed(Stream* s, const char* step, int status) {
  if (!s) return lost(std::string(step) + " " + peer_ + (status != 0 ? std::string(": ") + uv_strerror(status) : ""));
  stream_ = s;
  state_ = State::open;
  std::uint64_t generation = generation_;
  stream_->start(this);
  // A TLS stream reports a first write that TCP refused from inside start(): lost() has run.
  if (generation != generation_) return;
  events_.on_link_open();
}

void Link::close() {
  dialer_.cancel();
  if (stream_) {
    stream_->close();
    stream_ = nullptr;
  }
  if (state_ != State::idle) ++generation_;
  state_ = State::idle;
  out_.clear();
  if (flush_) uv_prepare_stop(flush_.get());
}

void Link::release(Function<void()> released) {
  close();
  flush_.close(std::move(released));
}

void Link::lost(std::string reason) {
  close();
  events_.on_link_lost(std::move(reason));
}

void Link::send_soon() {
  // A prepare callback runs once per loop turn, just before the loop waits for I/O: every
  // frame queued during the turn leaves in one write.
  if (!flush_ || uv_is_active(flush_.base())) return;
  uv_prepare_start(flush_.get(), [](uv_prepare_t* p) { static_cast<Link*>(p->data)->send_now(); });
}

void Link::send_now() {
  if (flush_) uv_prepare_stop(flush_.get());
  if (!stream_ || out_.empty()) return;
  bytes_sent_ += out_.size();
  if (!stream_->write(out_)) lost("cannot write to " + peer_);
}

void Link::on_stream_failed(bool end_of_stream, std::string_view reason) {
  lost(end_of_stream ? "connection closed by " + peer_
                     : "connection to " + peer_ + " failed: " + std::string(reason));
}

char* Link::read_buffer(std::size_t, std::size_t& size) {
  // The whole frame begun in in_, when its length has arrived (0: not yet, or malformed:
  // on_read reports that).
  std::size_t frame = 0;
  if (in_used_ >= 4) frame = proto::next_frame(std::string_view(in_.data(), in_used_), max_frame_).frame_size;
  // Usually the loop's shared buffer, behind the partial frame kept from the last read.
  SharedReadBuffer& shared = SharedReadBuffer::of_this_thread();
  reading_shared_ = !shared.busy() && frame <= SharedReadBuffer::kSize && in_used_ <= SharedReadBuffer::kSize / 2;
  if (reading_shared_) {
    if (in_used_ > 0) std::memcpy(shared.data(), in_.data(), in_used_);
    size = SharedReadBuffer::kSize - in_used_;
    return shared.data() + in_used_;
  }
  // A frame larger than the shared buffer (or the buffer busy): read into in_ itself.
  std::size_t want = std::max(kReadChunk, frame > in_used_ ? frame - in_used_ : 0);
  if (in_.size() - in_used_ < want) in_.resize(in_used_ + want);
  size = in_.size() - in_used_;
  return in_.data() + in_used_;
}

void Link::on_read(std::size_t n) {
  SharedReadBuffer& shared = SharedReadBuffer::of_this_thread();
  std::optional<SharedReadBuffer::Lease> lease;
  if (reading_shared_) lease.emplace(shared);
  const char* data = reading_shared_ ? shared.data() : in_.data();
  std::size_t used = in_used_ + n;
  std::uint64_t generation = generation_;
  std::size_t off = 0;
  while (true) {
    proto::FrameResult f = proto::next_frame(std::string_view(data + off, used - off), max_frame_);
    if (f.kind == proto::FrameResult::need_more) break;
    if (f.kind == proto::FrameResult::malformed) return lost("malformed frame from " + peer_ + ": " + f.reason);
    off += f.consumed;
    events_.on_frame(f.body);
    if (generation != generation_) return;  // closed inside; in_ is reset by the next open()
  }
  // Keep only the partial frame; an idle session holds no read buffer.
  in_used_ = used - off;
  if (in_used_ == 0) {
    std::string().swap(in_);
  } else if (reading_shared_) {
    in_.assign(data + off, in_used_);
  } else if (off > 0) {
    std::memmove(in_.data(), in_.data() + off, in_used_);
  }
}

}  // namespace zkit::net
