// Reporting a failure: one line on stderr, "zkit: get /x: no_node: the node does not exist",
// or with --json one object: {"error":{"code":"no_node","zk_code":-101,"message":"...",
// "command":"get","path":"/x","exit":3}}.
#pragma once

#include <string>
#include <string_view>

#include "args.hpp"
#include "zkit/error.hpp"

namespace zkit::cli {

// Prints the line for `e`, which happened while doing `what` ("get /x", "connect HOST:PORT").
// zkit's own "<op> <path>: " context in the message is dropped (`what` says it already), and a
// bare code gets a few words on what it means for `verb`.
// With `json`, the line is the JSON object above ("path" only when there is one).
void report(std::string_view what, const Error& e, Verb verb = Verb::help,
            std::string_view path = {}, bool json = false, int exit = 1);

}  // namespace zkit::cli
