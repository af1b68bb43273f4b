// Private to the API layer: the T of a Callback<T>, so the one template behind each face of an
// operation (api::awaitable, Client::Impl::blocking) can take the callback form's member
// pointer alone.
#pragma once

#include <cstddef>
#include <tuple>

#include "zkit/async.hpp"

namespace zkit::api {

template <class C>
struct CallbackValue;
template <class T, std::size_t N>
struct CallbackValue<Function<void(Result<T>), N>> {
  using type = T;
};

// The T of the Callback<T> that ends the parameter list P... (an operation's callback form).
template <class... P>
using last_callback_value_t = typename CallbackValue<std::tuple_element_t<sizeof...(P) - 1, std::tuple<P...>>>::type;

}  // namespace zkit::api
