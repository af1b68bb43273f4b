// session::Ring<T>: a FIFO in one array that keeps its capacity. The pending-request queue
// pushes at the back and pops at the front for every request; std::deque frees and allocates
// a block every few requests doing that, a ring allocates only when it grows. An empty ring
// holds no memory, so an idle session costs nothing here.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace zkit::session {

template <class T>
class Ring {
 public:
  Ring() noexcept = default;
  Ring(const Ring&) = delete;
  Ring& operator=(const Ring&) = delete;
  Ring(Ring&& o) noexcept
      : slots_(std::exchange(o.slots_, nullptr)),
        mask_(std::exchange(o.mask_, 0)),
        head_(std::exchange(o.head_, 0)),
        size_(std::exchange(o.size_, 0)) {}
  Ring& operator=(Ring&& o) noexcept {
    if (this != &o) {
      destroy();
      slots_ = std::exchange(o.slots_, nullptr);
      mask_ = std::exchange(o.mask_, 0);
      head_ = std::exchange(o.head_, 0);
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }
  ~Ring() { destroy(); }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t capacity() const noexcept { return slots_ ? mask_ + 1 : 0; }

  T& operator[](std::size_t i) noexcept { return *slot(i); }
  const T& operator[](std::size_t i) const noexcept { return *slot(i); }
  T& front() noexcept { return *slot(0); }
  T& back() noexcept { return *slot(size_ - 1); }

  template <class... A>
  T& emplace_back(A&&... a) {
    if (size_ == capacity()) grow();
    // An aggregate (Pipeline::Pending) is built with braces: clang before 16 has no C++20
    // parenthesized aggregate initialization.
    T* p;
    if constexpr (std::is_constructible_v<T, A&&...>) p = ::new (static_cast<void*>(slot(size_))) T(std::forward<A>(a)...);
    else p = ::new (static_cast<void*>(slot(size_))) T{std::forward<A>(a)...};
    ++size_;
    return *p;
  }
  void push_back(T v) { emplace_back(std::move(v)); }

  void push_front(T v) {
    if (size_ == capacity()) grow();
    head_ = (head_ + mask_) & mask_;
    ::new (static_cast<void*>(slot(0))) T(std::move(v));
    ++size_;
  }

  void pop_front() noexcept {
    slot(0)->~T();
    head_ = (head_ + 1) & mask_;
    --size_;
  }

  // Removes element i, keeping the order of the rest (linear: for rare removals).
  void erase(std::size_t i) {
    for (; i + 1 < size_; ++i) *slot(i) = std::move(*slot(i + 1));
    slot(size_ - 1)->~T();
    --size_;
  }

  void clear() noexcept {
    while (size_ > 0) pop_front();
  }

 private:
  T* slot(std::size_t i) const noexcept { return slots_ + ((head_ + i) & mask_); }

  void grow() {
    std::size_t cap = slots_ ? (mask_ + 1) * 2 : 8;
    T* fresh = std::allocator<T>().allocate(cap);
    for (std::size_t i = 0; i < size_; ++i) {
      ::new (static_cast<void*>(fresh + i)) T(std::move(*slot(i)));
      slot(i)->~T();
    }
    if (slots_) std::allocator<T>().deallocate(slots_, mask_ + 1);
    slots_ = fresh;
    mask_ = cap - 1;
    head_ = 0;
  }

  void destroy() noexcept {
    clear();
    if (slots_) std::allocator<T>().deallocate(slots_, mask_ + 1);
    slots_ = nullptr;
    mask_ = 0;
    head_ = 0;
  }

  T* slots_ = nullptr;
  std::size_t mask_ = 0;  // capacity - 1 (capacity is a power of two)
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace zkit::session
