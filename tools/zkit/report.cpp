#include "report.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace zkit::cli {
namespace {

// What a server error means for the command at hand, when the message says no more than the code.
std::string_view meaning(Errc code, Verb verb) {
  switch (code) {
    case Errc::no_node: return verb == Verb::create ? "the parent node does not exist"
                                                    : "the node does not exist";
    case Errc::node_exists: return "the node already exists";
    case Errc::not_empty: return "the node has children; delete them first";
    case Errc::bad_version: return "the node's version is not the one given";
    case Errc::no_auth: return "the node's ACL does not allow this";
    case Errc::no_children_for_ephemerals: return "an ephemeral node cannot have children";
    case Errc::unimplemented:
      return "the server does not support this (TTL nodes need a server started with "
             "-Dzookeeper.extendedTypesEnabled=true)";
    case Errc::session_expired: return "the session expired";
    default: return {};
  }
}

}  // namespace

void report(std::string_view what, const Error& e, Verb verb, std::string_view path, bool json,
            int exit) {
  std::string_view message = e.message();
  if (!path.empty()) {
    std::string context = " " + std::string(path) + ": ";
    auto at = message.find(context);
    if (at != std::string_view::npos && message.substr(0, at).find(' ') == std::string_view::npos)
      message.remove_prefix(at + context.size());
  }
  std::string_view code = to_string(e.code());
  if (message.empty() || message == code) message = meaning(e.code(), verb);
  if (json) {
    nlohmann::ordered_json j{{"code", code},
                             {"zk_code", static_cast<std::int32_t>(e.code())},
                             {"message", std::string(message)},
                             {"command", verb == Verb::help ? std::string_view() : name_of(verb)},
                             {"what", what}};
    if (!path.empty()) j["path"] = path;
    j["exit"] = exit;
    std::string line = nlohmann::ordered_json{{"error", j}}.dump() + "\n";
    std::fputs(line.c_str(), stderr);
    return;
  }
  std::string line = "zkit: " + std::string(what) + ": " + std::string(code);
  if (!message.empty()) line += ": " + std::string(message);
  line += '\n';
  std::fputs(line.c_str(), stderr);
}

}  // namespace zkit::cli
