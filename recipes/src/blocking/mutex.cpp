#include "zkit/recipes/blocking/mutex.hpp"

#include <utility>

#include "blocking/on_client.hpp"

namespace zkit::recipes::blocking {

Mutex::Mutex(Client& client, std::string path, MutexOptions options)
    : client_(&client), mutex_(detail::make_on<recipes::Mutex>(client, std::move(path), std::move(options))) {}

Mutex::~Mutex() { detail::close_on(*client_, mutex_); }

Result<Mutex::Guard> Mutex::guard(Result<FencingToken> token) {
  if (!token) return std::move(token).error();
  return Guard(this, *token);
}

Result<Mutex::Guard> Mutex::acquire(std::chrono::milliseconds timeout) {
  if (!mutex_) return detail::closed_client("Mutex");
  return guard(client_->run([this, timeout](Session&) { return mutex_->acquire(timeout); }));
}

Result<Mutex::Guard> Mutex::acquire() {
  if (!mutex_) return detail::closed_client("Mutex");
  return guard(client_->run([this](Session&) { return mutex_->acquire(); }));
}

bool Mutex::is_held() {
  if (!mutex_) return false;
  auto r = detail::read_on(*client_, [this] { return mutex_->is_held(); });
  return r && *r;
}

Mutex::Guard& Mutex::Guard::operator=(Guard&& o) noexcept {
  if (this != &o) {
    if (owns()) (void)release();
    mutex_ = std::exchange(o.mutex_, nullptr);
    token_ = o.token_;
  }
  return *this;
}

Mutex::Guard::~Guard() {
  if (owns()) (void)release();
}

Result<void> Mutex::Guard::release() {
  if (!mutex_) return Error(Errc::bad_arguments, "this lock guard was released already");
  Mutex* m = std::exchange(mutex_, nullptr);
  return m->client_->run([m](Session&) { return m->mutex_->release(); });
}

}  // namespace zkit::recipes::blocking
