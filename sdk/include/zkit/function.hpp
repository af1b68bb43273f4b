// zkit::Function: a move-only callable, the type of every callback zkit takes.
//
// GCC 12 has no std::move_only_function, and std::function cannot hold a lambda that owns a
// move-only value (a promise, a unique_ptr, a coroutine handle). Small callables (up to
// kInline bytes) are stored in place, so a typical completion costs no heap allocation. The
// second parameter sets kInline; the default (6 pointers) is what every public callback uses.
//
//   zkit::Function<void(int)> f = [p = std::make_unique<int>(1)](int v) { *p += v; };
//   f(41);
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace zkit {

template <class Signature, std::size_t InlineBytes = 6 * sizeof(void*)>
class Function;

// Function<R(Args...)>: a move-only callable returning R; callables up to InlineBytes are stored without allocating.
template <class R, class... Args, std::size_t InlineBytes>
class Function<R(Args...), InlineBytes> {
 public:
  // Callables up to this size are stored inline, without allocating.
  static constexpr std::size_t kInline = InlineBytes;

  // Whether a callable of type F is stored in place (no heap allocation).
  template <class F>
  static constexpr bool stores_inline = sizeof(F) <= kInline && alignof(F) <= alignof(std::max_align_t) &&
                                        std::is_nothrow_move_constructible_v<F>;

  Function() noexcept = default;
  // An empty function.
  Function(std::nullptr_t) noexcept {}

  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, Function> &&
             std::is_invocable_r_v<R, std::decay_t<F>&, Args...>)
  Function(F&& f) {  // NOLINT: implicit on purpose, like std::function
    using T = std::decay_t<F>;
    if constexpr (stores_inline<T>) {
      ::new (static_cast<void*>(storage_)) T(std::forward<F>(f));
      ops_ = &inline_ops<T>;
    } else {
      *reinterpret_cast<T**>(storage_) = new T(std::forward<F>(f));
      ops_ = &heap_ops<T>;
    }
  }

  Function(Function&& other) noexcept : ops_(other.ops_) {
    if (ops_) {
      ops_->move(other.storage_, storage_);
      other.ops_ = nullptr;
    }
  }

  Function& operator=(Function&& other) noexcept {
    if (this != &other) {
      reset();
      ops_ = other.ops_;
      if (ops_) {
        ops_->move(other.storage_, storage_);
        other.ops_ = nullptr;
      }
    }
    return *this;
  }

  // Drops the callable; the function is empty after.
  Function& operator=(std::nullptr_t) noexcept {
    reset();
    return *this;
  }

  Function(const Function&) = delete;
  Function& operator=(const Function&) = delete;
  ~Function() { reset(); }

  // Whether it holds a callable.
  explicit operator bool() const noexcept { return ops_ != nullptr; }

  // Calls the callable; it must not be empty.
  R operator()(Args... args) { return ops_->call(storage_, std::forward<Args>(args)...); }

 private:
  struct Ops {
    R (*call)(void*, Args&&...);
    void (*move)(void* from, void* to) noexcept;
    void (*destroy)(void*) noexcept;
  };

  template <class T>
  static constexpr Ops inline_ops = {
      [](void* s, Args&&... a) -> R { return (*static_cast<T*>(s))(std::forward<Args>(a)...); },
      [](void* from, void* to) noexcept {
        ::new (to) T(std::move(*static_cast<T*>(from)));
        static_cast<T*>(from)->~T();
      },
      [](void* s) noexcept { static_cast<T*>(s)->~T(); },
  };

  template <class T>
  static constexpr Ops heap_ops = {
      [](void* s, Args&&... a) -> R { return (**static_cast<T**>(s))(std::forward<Args>(a)...); },
      [](void* from, void* to) noexcept { *static_cast<T**>(to) = *static_cast<T**>(from); },
      [](void* s) noexcept { delete *static_cast<T**>(s); },
  };

  void reset() noexcept {
    if (ops_) {
      ops_->destroy(storage_);
      ops_ = nullptr;
    }
  }

  alignas(std::max_align_t) unsigned char storage_[kInline];
  const Ops* ops_ = nullptr;
};

}  // namespace zkit
