#include "admin_commands.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <sstream>

#include "bytes.hpp"
#include "json_fields.hpp"
#include "session_stats.hpp"
#include "zkit/options.hpp"
#include "zkit/testing/four_letter_word.hpp"

namespace zkit::cli {
namespace {

using json = nlohmann::ordered_json;

// The value of the "version=" line of a config, or "".
std::string config_version(const std::string& config) {
  std::istringstream in(config);
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("version=")) return line.substr(8);
  return {};
}

void print_config(const Data& d, Printer& out) {
  if (out.is_json()) {
    out.object(json{{"config", d.data}, {"version", config_version(d.data)}, {"stat", stat_json(d.stat)}});
    return;
  }
  std::string text = d.data;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  out.line(text);
}

// mntr's "key<TAB>value" lines; numbers as numbers, except ids, which stay strings.
json parse_mntr(const std::string& text) {
  json j = json::object();
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string key = line.substr(0, tab), value = line.substr(tab + 1);
    double number = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    bool numeric = !value.empty() && ec == std::errc() && end == value.data() + value.size() &&
                   key.find("zxid") == std::string::npos;
    if (numeric && value.find_first_of(".eE") == std::string::npos)
      j[key] = std::stoll(value);
    else if (numeric)
      j[key] = number;
    else
      j[key] = value;
  }
  return j;
}

}  // namespace

Result<void> run_sync(Client& client, const Invocation& inv, Printer& out) {
  if (auto r = client.sync(inv.path); !r) return r;
  if (out.is_json()) out.object(json{{"path", inv.path}, {"synced", true}});
  else out.line("synced " + inv.path);
  return {};
}

Result<void> run_whoami(Client& client, Printer& out) {
  auto r = client.who_am_i();
  if (!r) return std::move(r).error();
  if (out.is_json()) {
    json ids = json::array();
    for (auto& c : *r) ids.push_back({{"scheme", c.scheme}, {"user", c.user}});
    out.object(json{{"session_id", id_string(client.session_id())}, {"identities", ids}});
    return {};
  }
  out.line("session " + hex(client.session_id()));
  for (auto& c : *r) out.line(c.scheme + " " + c.user);
  return {};
}

Result<void> run_config(Client& client, Printer& out) {
  auto r = client.get_config();
  if (!r) return std::move(r).error();
  print_config(*r, out);
  return {};
}

Result<void> run_reconfig(Client& client, const Invocation& inv, Printer& out) {
  Reconfig change{.joining = inv.joining, .leaving = inv.leaving, .new_members = inv.new_members,
                  .from_config = inv.from_config};
  auto r = client.reconfig(change);
  if (!r) return std::move(r).error();
  print_config(*r, out);
  return {};
}

Result<void> run_stats(Client& client, const std::string& connect, Printer& out) {
  auto cs = parse_connect_string(connect);
  if (!cs) return std::move(cs).error();
  json servers = json::array();
  for (auto& hp : cs->hosts) {
    std::string address = hp.host + ":" + std::to_string(hp.port);
    json server{{"address", address}};
    auto mntr = testing::four_letter_word(address, "mntr", client.negotiated_timeout());
    if (mntr && mntr->find("not in the whitelist") == std::string::npos)
      server["mntr"] = parse_mntr(*mntr);
    else
      server["error"] = mntr ? "mntr is not allowed by the server's 4lw.commands.whitelist"
                             : mntr.error().message();
    servers.push_back(std::move(server));
  }
  // A round trip, so the session's figures include one measured now.
  auto t0 = std::chrono::steady_clock::now();
  auto ping = client.exists("/");
  auto rtt = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!ping) return std::move(ping).error();
  json session{{"session_id", id_string(client.session_id())},
               {"state", std::string(to_string(client.state()))},
               {"negotiated_timeout_ms", client.negotiated_timeout().count()},
               {"round_trip_ms", rtt}};
  auto metrics = client.metrics();
  if (!metrics) return std::move(metrics).error();
  if (out.is_json()) {
    session["metrics"] = session_metrics_json(*metrics);
    out.object(json{{"servers", servers}, {"session", session}});
    return {};
  }
  for (auto& s : servers) {
    out.line("server " + s["address"].get<std::string>());
    if (s.contains("error")) {
      out.line("  error: " + s["error"].get<std::string>());
      continue;
    }
    for (auto& [k, v] : s["mntr"].items())
      out.line("  " + k + " " + (v.is_string() ? v.get<std::string>() : v.dump()));
  }
  out.line("session " + hex(client.session_id()));
  for (auto& [k, v] : session.items())
    if (k != "session_id") out.line("  " + k + " " + (v.is_string() ? v.get<std::string>() : v.dump()));
  for (const std::string& l : session_metrics_lines(*metrics)) out.line(l);
  return {};
}

}  // namespace zkit::cli
