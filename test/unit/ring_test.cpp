#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "session/ring.hpp"

using zkit::session::Ring;

TEST_CASE("a ring is a FIFO across wrap-around and growth") {
  Ring<std::string> r;
  CHECK(r.empty());
  CHECK(r.capacity() == 0);  // an idle session's queue holds no memory
  int next_in = 0, next_out = 0;
  // Steady traffic wraps the head around without growing.
  for (int round = 0; round < 100; ++round) {
    for (int i = 0; i < 5; ++i) r.push_back("item " + std::to_string(next_in++));
    for (int i = 0; i < 5; ++i) {
      CHECK(r.front() == "item " + std::to_string(next_out++));
      r.pop_front();
    }
  }
  CHECK(r.capacity() == 8);
  // Growth while wrapped keeps the order.
  for (int i = 0; i < 3; ++i) r.push_back("item " + std::to_string(next_in++));
  r.pop_front();
  ++next_out;
  for (int i = 0; i < 40; ++i) r.push_back("item " + std::to_string(next_in++));
  REQUIRE(r.size() == 42);
  for (std::size_t i = 0; i < r.size(); ++i) CHECK(r[i] == "item " + std::to_string(next_out + static_cast<int>(i)));
  CHECK(r.back() == "item " + std::to_string(next_in - 1));
}

TEST_CASE("push_front, erase and clear keep the order and destroy what they remove") {
  auto counter = std::make_shared<int>(0);
  Ring<std::shared_ptr<int>> r;
  for (int i = 0; i < 6; ++i) r.push_back(counter);
  CHECK(counter.use_count() == 7);
  std::shared_ptr<int> first = r.front();
  r.pop_front();
  r.push_front(std::move(first));
  CHECK(counter.use_count() == 7);
  r.erase(2);
  CHECK(r.size() == 5);
  CHECK(counter.use_count() == 6);
  r.clear();
  CHECK(counter.use_count() == 1);

  Ring<int> n;
  for (int i = 0; i < 5; ++i) n.push_back(i);
  n.erase(1);
  n.push_front(-1);
  int expect[] = {-1, 0, 2, 3, 4};
  for (int i = 0; i < 5; ++i) CHECK(n[static_cast<std::size_t>(i)] == expect[i]);
  Ring<int> moved = std::move(n);
  CHECK(n.empty());
  CHECK(moved.size() == 5);
}
