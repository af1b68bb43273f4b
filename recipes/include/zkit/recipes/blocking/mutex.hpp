// zkit::recipes::blocking::Mutex: the Mutex recipe for thread-based code, over a zkit::Client.
// It is the coroutine Mutex (zkit/recipes/locks/mutex.hpp), run on the client's thread through
// Client::run: same znodes, same fencing tokens, no second implementation.
//
//   auto client = zkit::Client::open({.connect = "127.0.0.1:2181"});
//   zkit::recipes::blocking::Mutex lock(*client, "/locks/ledger");
//   auto held = lock.acquire(std::chrono::seconds(5));
//   if (!held) return log(held.error().message());   // request_timeout, ...
//   ledger.append("entry", held->token());            // the storage checks the token
//   // held's destructor (or held->release()) releases the lock
//
// Thread-safe: any thread may call it (each call blocks until the client's thread has done
// it). Listeners added through the coroutine Mutex run on the client's thread. The Client
// must outlive the Mutex and every Guard.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "zkit/client.hpp"
#include "zkit/recipes/fencing.hpp"
#include "zkit/recipes/locks/mutex.hpp"
#include "zkit/result.hpp"

namespace zkit::recipes::blocking {

class Mutex {
 public:
  // Holds one acquisition; releases it when destroyed, unless released already.
  class Guard {
   public:
    Guard(Guard&& o) noexcept : mutex_(std::exchange(o.mutex_, nullptr)), token_(o.token_) {}
    Guard& operator=(Guard&& o) noexcept;
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    ~Guard();

    // The fencing token of this acquisition: hand it to the storage with every write.
    FencingToken token() const noexcept { return token_; }
    // Whether this guard still owes a release.
    bool owns() const noexcept { return mutex_ != nullptr; }
    // Releases now. Errors: those of recipes::Mutex::release(), bad_arguments (released
    // already), closing (the client is closed).
    Result<void> release();

   private:
    friend class Mutex;
    Guard(Mutex* m, FencingToken t) noexcept : mutex_(m), token_(t) {}
    Mutex* mutex_;
    FencingToken token_;
  };

  // A mutex on `path`, as recipes::Mutex(session, path, options), on the client's session.
  Mutex(Client& client, std::string path, MutexOptions options = {});
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;
  // Closes the Mutex on the client's thread (our node is deleted) and waits for it.
  ~Mutex();

  // Waits for the lock up to `timeout` (zero: tries once), or as long as it takes. Errors:
  // those of recipes::Mutex::acquire() (request_timeout when the time ran out), closing (the
  // client is closed or interrupted), bad_arguments (called from the client's own thread).
  Result<Guard> acquire(std::chrono::milliseconds timeout);
  Result<Guard> acquire();

  // Whether this object holds the lock, as the coroutine Mutex knows it.
  bool is_held();
  // The coroutine Mutex underneath, for what this face does not wrap (listeners...): use it
  // only on the client's thread (inside Client::run).
  recipes::Mutex& recipe() noexcept { return *mutex_; }

 private:
  Result<Guard> guard(Result<FencingToken> token);
  Client* client_;
  std::unique_ptr<recipes::Mutex> mutex_;  // created, used and destroyed on the client's thread
};

}  // namespace zkit::recipes::blocking
