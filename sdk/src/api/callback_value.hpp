// Private to the API layer: the T of a Callback<T>, so the one template behind each face of an
// operation (api::awaitable, Client::Impl::blocking) can take the callback form's member
// pointer alone.
#pragma once

#include <cstddef>
#include <tuple>

#include <string_view>

#include "zkit/async.hpp"
#include "zkit/session.hpp"

namespace zkit::api {

// The callback forms of the operations that take a watcher. Their coroutine forms have
// template overloads too (for lambdas built in place), and a member pointer to an overload
// set with templates cannot be deduced: the faces name these types instead.
template <class T>
using WatchedRead = void (Session::*)(std::string_view, Watcher, Callback<T>);
using WatchedConfig = void (Session::*)(Watcher, Callback<Data>);
using AddWatch = void (Session::*)(std::string_view, WatchMode, Watcher, Callback<WatchHandle>);

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
