#include "records.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

namespace zkit::proof {

using nlohmann::json;

namespace {
std::string line(const json& j) { return j.dump() + "\n"; }
}  // namespace

std::string to_line(const Hold& r) {
  return line({{"kind", "hold"}, {"worker", r.worker}, {"token", r.token}, {"t_in", r.t_in}, {"t_out", r.t_out}});
}
std::string to_line(const Write& r) {
  return line({{"kind", "write"}, {"worker", r.worker}, {"token", r.token}, {"t", r.t}, {"accepted", r.accepted}});
}
std::string to_line(const Pause& r) {
  return line({{"kind", "pause"}, {"worker", r.worker}, {"t_stop", r.t_stop}, {"t_cont", r.t_cont}});
}
std::string to_line(const Term& r) {
  return line({{"kind", "term"}, {"worker", r.worker}, {"token", r.token}, {"t_start", r.t_start}, {"t_end", r.t_end}});
}
std::string to_line(const Round& r) {
  return line({{"kind", "round"}, {"worker", r.worker}, {"round", r.round}, {"enter_begin", r.enter_begin},
               {"enter_end", r.enter_end}, {"leave_begin", r.leave_begin}, {"leave_end", r.leave_end},
               {"ok", r.ok}, {"error", r.error}});
}
std::string to_line(const Ownership& r) {
  return line({{"kind", "shard"}, {"worker", r.worker}, {"shard", r.shard}, {"token", r.token},
               {"t_start", r.t_start}, {"t_end", r.t_end}});
}
std::string session_line(int worker, std::int64_t session_id, std::int64_t t) {
  return line({{"kind", "session"}, {"worker", worker}, {"id", session_id}, {"t", t}});
}

void parse_into(std::string_view text, Records& out, std::vector<std::string>& errors) {
  int number = 0;
  while (!text.empty()) {
    auto end = text.find('\n');
    std::string_view one = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++number;
    if (one.empty()) continue;
    json j = json::parse(one, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("kind")) {
      errors.push_back("line " + std::to_string(number) + ": not a record: " + std::string(one));
      continue;
    }
    try {
      const std::string kind = j.at("kind");
      const int w = j.at("worker");
      if (kind == "hold") {
        out.holds.push_back({w, j.at("token"), j.at("t_in"), j.at("t_out")});
      } else if (kind == "write") {
        out.writes.push_back({w, j.at("token"), j.at("t"), j.at("accepted")});
      } else if (kind == "pause") {
        out.pauses.push_back({w, j.at("t_stop"), j.at("t_cont")});
      } else if (kind == "term") {
        out.terms.push_back({w, j.at("token"), j.at("t_start"), j.at("t_end")});
      } else if (kind == "round") {
        out.rounds.push_back({w, j.at("round"), j.at("enter_begin"), j.at("enter_end"), j.at("leave_begin"),
                              j.at("leave_end"), j.at("ok"), j.at("error")});
      } else if (kind == "shard") {
        out.ownerships.push_back({w, j.at("shard"), j.at("token"), j.at("t_start"), j.at("t_end")});
      } else if (kind == "session") {
        ++out.sessions;
        out.session_starts.push_back({w, j.at("t")});
      } else {
        errors.push_back("line " + std::to_string(number) + ": unknown kind " + kind);
      }
    } catch (const json::exception& e) {
      errors.push_back("line " + std::to_string(number) + ": " + e.what());
    }
  }
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace zkit::proof
