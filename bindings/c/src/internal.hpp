// What the C ABI's source files share: the client struct, the thread's last error, the
// exception fence, closing recipe objects, and conversions between zkit's C++ values and the C
// structs.
#pragma once

#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "../../core/host.hpp"
#include "zkit.h"

struct zkit_client {
  std::shared_ptr<zkit::bindings::Host> host;
};

namespace zkit::c {

// Sets the calling thread's last error and returns its code.
int fail(int code, std::string message);
inline int fail(const Error& e) { return fail(static_cast<int>(e.code()), e.message()); }

// Runs `f` (returning a status) so that no exception crosses into C.
template <class F>
int guarded(F&& f) noexcept {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return fail(ZKIT_NO_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return fail(ZKIT_BAD_ARGUMENTS, e.what());
  }
}

// The int a C caller passed as an enum. C lets an enum hold any int, while C++ makes reading
// one outside its enumerators' range undefined: the value is taken from its bytes instead.
template <class E>
int int_of(const E& e) noexcept {
  static_assert(sizeof(E) == sizeof(int));
  int v;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

// A node's data from C: `len` bytes at `data` (NULL with len 0: empty), or null data
// (NULL with len ZKIT_NULL_DATA).
struct Payload {
  std::string bytes;
  bool null = false;
};
// Fills `out`, or refuses NULL with a length and bytes with ZKIT_NULL_DATA (ZKIT_BAD_ARGUMENTS).
int payload(const char* data, size_t len, Payload& out);

// Closes a recipe object (its close() is a Task<void>) as a task the client's host can run.
template <class R>
Task<Result<void>> close_object(R* object) {
  co_await object->close();
  co_return Result<void>();
}

// ZKIT_BAD_ARGUMENTS for a NULL client or path, or a path the server would refuse.
int check(const zkit_client* client, const char* path, bool sequential = false);

zkit_stat to_c(const Stat& s);
zkit_state to_c(SessionState s);
// A one-shot or persistent watcher that calls `fn(event, closure)`; empty when fn is NULL.
Watcher to_watcher(zkit_watcher_fn fn, void* closure);
// A malloc'd, NUL-terminated copy (NULL when out of memory).
char* copy_out(const std::string& s);
// Fills `out` with malloc'd copies; false when out of memory (nothing is left allocated).
bool copy_out(const std::vector<std::string>& items, zkit_strings* out);

}  // namespace zkit::c
