#include "output.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

#include "bytes.hpp"
#include "json_fields.hpp"

namespace zkit::cli {
namespace {

using json = nlohmann::ordered_json;

std::vector<std::string> sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

// Milliseconds since the epoch as "2024-05-01T12:00:00.123Z".
std::string utc(std::int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
  return buf;
}

// Text form of node data inside a sentence: quoted and escaped, or base64 when binary.
std::string text_of(std::string_view data) {
  return is_utf8(data) ? json(std::string(data)).dump() : "base64:" + base64(data);
}

std::string joined(const std::vector<std::string>& names) {
  if (names.empty()) return "(none)";
  std::string out;
  for (auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

void Printer::line(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

void Printer::children(std::string_view path, const Children& c) {
  auto names = sorted(c.names);
  if (json_) return line(json{{"path", path}, {"children", names}, {"stat", stat_json(c.stat)}}.dump());
  for (auto& n : names) {
    std::fwrite(n.data(), 1, n.size(), stdout);
    std::fputc('\n', stdout);
  }
  std::fflush(stdout);
}

void Printer::object(const json& j) { line(j.dump()); }

void Printer::data(std::string_view path, const Data& d, bool raw) {
  if (json_) {
    json j{{"path", path}};
    put_data(j, d.data);
    j["stat"] = stat_json(d.stat);
    return line(j.dump());
  }
  std::fwrite(d.data.data(), 1, d.data.size(), stdout);
  if (!raw && isatty(STDOUT_FILENO)) std::fputc('\n', stdout);
  std::fflush(stdout);
}

void Printer::stat(std::string_view path, const Stat& s) {
  if (json_) return line(json{{"path", path}, {"stat", stat_json(s)}}.dump());
  auto field = [](const char* name, const std::string& value) {
    std::printf("%-16s %s\n", name, value.c_str());
  };
  field("czxid", hex(s.czxid));
  field("mzxid", hex(s.mzxid));
  field("pzxid", hex(s.pzxid));
  field("ctime", utc(s.ctime));
  field("mtime", utc(s.mtime));
  field("version", std::to_string(s.version));
  field("cversion", std::to_string(s.cversion));
  field("aversion", std::to_string(s.aversion));
  field("ephemeral_owner", hex(s.ephemeral_owner));
  field("data_length", std::to_string(s.data_length));
  field("num_children", std::to_string(s.num_children));
  std::fflush(stdout);
}

void Printer::created(const Created& c) {
  if (json_) return line(json{{"path", c.path}, {"stat", stat_json(c.stat)}}.dump());
  line(c.path);
}

void Printer::updated(std::string_view path, const Stat& s) {
  if (json_) return line(json{{"path", path}, {"stat", stat_json(s)}}.dump());
  line(std::string(path) + ": version " + std::to_string(s.version));
}

void Printer::deleted(std::string_view path) {
  if (json_) return line(json{{"path", path}, {"deleted", true}}.dump());
  line("deleted " + std::string(path));
}

void Printer::watched_data(std::string_view path, const Data& d) {
  if (json_) {
    json j{{"kind", "value"}, {"path", path}};
    put_data(j, d.data);
    j["stat"] = stat_json(d.stat);
    return line(j.dump());
  }
  line(std::string(path) + " = " + text_of(d.data) + " (version " +
       std::to_string(d.stat.version) + ")");
}

void Printer::watched_children(std::string_view path, const Children& c) {
  auto names = sorted(c.names);
  if (json_)
    return line(json{{"kind", "value"}, {"path", path}, {"children", names},
                     {"stat", stat_json(c.stat)}}
                    .dump());
  line(std::string(path) + " children: " + joined(names));
}

void Printer::watched_missing(std::string_view path) {
  if (json_) return line(json{{"kind", "value"}, {"path", path}, {"exists", false}}.dump());
  line(std::string(path) + " does not exist");
}

void Printer::event(const WatchEvent& e) {
  if (json_)
    return line(json{{"kind", "event"}, {"type", to_string(e.type)}, {"path", e.path}}.dump());
  line("event: " + std::string(to_string(e.type)) + " " + e.path);
}

void Printer::serving(std::string_view connect) {
  if (json_) return line(json{{"connect", connect}}.dump());
  line("connect: " + std::string(connect));
}

void Printer::election(const ElectionEvent& e) {
  using K = ElectionEvent::Kind;
  static constexpr const char* kName[] = {"joined", "leader", "lost", "command_started",
                                          "command_exited"};
  if (json_) {
    json j{{"event", kName[static_cast<int>(e.kind)]}, {"path", e.path}, {"id", e.id}};
    if (e.kind == K::leader) j["token"] = id_string(e.token);
    if (e.kind == K::lost || e.kind == K::command_exited) j["reason"] = e.reason;
    if (e.kind == K::command_started) j["pid"] = e.pid;
    if (e.kind == K::command_exited) j["status"] = e.status;
    return line(j.dump());
  }
  switch (e.kind) {
    case K::joined: return line("joined " + e.path + " as " + e.id + ", waiting for leadership");
    case K::leader:
      return line("leader: " + e.id + " leads " + e.path + " (fencing token " +
                  std::to_string(e.token) + ")");
    case K::lost: return line("lost: " + e.id + " no longer leads " + e.path + ": " + e.reason);
    case K::command_started: return line("command started (pid " + std::to_string(e.pid) + ")");
    case K::command_exited:
      return line("command exited with status " + std::to_string(e.status) + " (" + e.reason + ")");
  }
}

}  // namespace zkit::cli
