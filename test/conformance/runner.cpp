#include "runner.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace zkit::conformance {

namespace {

using nlohmann::json;

struct Mismatch : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void expect(bool cond, const std::string& what) {
  if (!cond) throw Mismatch(what);
}

class Runner {
 public:
  Runner(const json& scenario, Binding& binding, std::string connect, std::string self)
      : s_(scenario), b_(binding), connect_(std::move(connect)), self_(std::move(self)) {
    for (auto& [name, code] : s_["event_types"].items()) event_name_[code.get<int>()] = name;
  }

  int run() {
    int failures = 0;
    // The binding's names for the scenario's codes.
    for (auto& [name, code] : s_["errors"].items()) {
      if (b_.error_name(code.get<int>()) != name) {
        std::printf("FAIL    errors: %d is %s here, %s in the scenario\n", code.get<int>(),
                    b_.error_name(code.get<int>()).c_str(), name.c_str());
        ++failures;
      }
    }
    int i = 0;
    for (const auto& st : s_["steps"]) {
      std::string op = st["op"];
      try {
        step(op, st);
        std::printf("ok   %2d %s\n", i, op.c_str());
      } catch (const Mismatch& e) {
        ++failures;
        std::printf("FAIL %2d %s: %s\n", i, op.c_str(), e.what());
      }
      std::fflush(stdout);
      ++i;
    }
    zk_.reset();
    return failures;
  }

 private:
  std::unique_ptr<Client> open() {
    std::string why;
    auto c = b_.open(connect_, &why);
    expect(c != nullptr, "cannot connect: " + why);
    return c;
  }
  Client& zk() {
    expect(zk_ != nullptr, "no connect step before this one");
    return *zk_;
  }
  void check_err(const Err& got, const json& want, const std::string& what) {
    std::string name = want.value("error", std::string("ok"));
    expect(got.name == name, what + ": " + got.name + ", want " + name);
    if (!got.ok()) expect(s_["errors"].value(got.name, got.code) == got.code, what + ": " + got.name + " has code " + std::to_string(got.code));
  }
  json events_json(const std::vector<std::pair<int, std::string>>& seen) {
    json out = json::array();
    for (const auto& [type, path] : seen) {
      auto n = event_name_.find(type);
      out.push_back({{"type", n == event_name_.end() ? std::to_string(type) : n->second}, {"path", path}});
    }
    return out;
  }
  void apply(Client& c, const json& change) {
    std::string ignored;
    int v = 0;
    if (change.contains("create")) (void)c.create(change["create"], change.value("data", ""), 0, &ignored);
    else if (change.contains("set")) (void)c.set(change["set"], change["data"], -1, &v);
    else if (change.contains("delete")) (void)c.remove(change["delete"], -1);
  }

  void step(const std::string& op, const json& st) {
    const json& want = st["expect"];
    if (op == "connect") {
      zk_ = open();
      expect(zk_->state() == want["state"].get<std::string>(), "state " + zk_->state());
    } else if (op == "create") {
      std::string path;
      Err e = zk().create(st["path"], st.value("data", ""), s_["create_modes"][st["mode"].get<std::string>()], &path);
      check_err(e, want, "create " + st["path"].get<std::string>());
      if (!e.ok()) return;
      if (want.contains("path")) expect(path == want["path"].get<std::string>(), "created " + path);
      if (want.contains("path_prefix")) {
        std::string prefix = want["path_prefix"];
        std::string suffix = path.substr(std::min(prefix.size(), path.size()));
        expect(path.rfind(prefix, 0) == 0 && suffix.size() == want["sequence_digits"].get<std::size_t>() &&
                   suffix.find_first_not_of("0123456789") == std::string::npos,
               "sequential path " + path);
      }
      if (want.value("owned_by_session", false)) {
        bool found = false;
        std::int64_t owner = 0;
        expect(zk().exists(path, &found, &owner).ok() && found && owner == zk().session_id(), "owner of " + path);
      }
    } else if (op == "get") {
      std::string data;
      int version = -1;
      Err e = zk().get(st["path"], &data, &version);
      check_err(e, want, "get " + st["path"].get<std::string>());
      if (e.ok())
        expect(data == want["data"].get<std::string>() && version == want["version"].get<int>(),
               "get: " + data + " v" + std::to_string(version));
    } else if (op == "set") {
      int version = -1;
      Err e = zk().set(st["path"], st["data"], st["version"], &version);
      check_err(e, want, "set " + st["path"].get<std::string>());
      if (e.ok()) expect(version == want["version"].get<int>(), "set version " + std::to_string(version));
    } else if (op == "delete") {
      check_err(zk().remove(st["path"], st["version"]), want, "delete " + st["path"].get<std::string>());
    } else if (op == "watch_once") {
      Events events;
      int v = 0;
      expect(zk().get_watched(st["path"], events).ok(), "get with a watch failed");
      for (const auto& d : st["sets"]) expect(zk().set(st["path"], d, -1, &v).ok(), "set failed");
      zk().barrier();
      json seen = events_json(events.take());
      expect(seen == want["events"], "one-shot watch saw " + seen.dump());
    } else if (op == "persistent_watch") {
      Events events;
      expect(zk().add_persistent_watch(st["path"], st["recursive"], events).ok(), "add_watch failed");
      for (const auto& c : st["changes"]) apply(zk(), c);
      zk().barrier();
      zk().remove_persistent_watch();
      for (const auto& c : st["after_remove"]) apply(zk(), c);
      zk().barrier();
      json seen = events_json(events.take());
      expect(seen == want["events"], "persistent watch saw " + seen.dump());
    } else if (op == "multi") {
      std::vector<MultiOp> ops;
      for (const auto& o : st["ops"]) {
        if (o.contains("create")) ops.push_back({"create", o["create"], o.value("data", ""), -1});
        else if (o.contains("check")) ops.push_back({"check", o["check"], "", o["version"]});
        else if (o.contains("set")) ops.push_back({"set", o["set"], o["data"], o["version"]});
      }
      bool committed = false;
      std::vector<Err> results;
      Err e = zk().multi(ops, &committed, &results);
      check_err(e, want, "multi");
      json names = json::array();
      for (const auto& r : results) names.push_back(r.name);
      expect(names == want["results"], "multi results " + names.dump());
      expect(committed == !want.contains("error"), "multi committed " + std::to_string(committed));
      if (want.contains("failed_op")) {
        std::size_t first = 0;
        while (first < results.size() && results[first].ok()) ++first;
        expect(first == want["failed_op"].get<std::size_t>(), "multi failed at " + std::to_string(first));
      }
      for (const auto& p : want.value("absent", json::array())) {
        bool found = true;
        std::int64_t owner = 0;
        expect(zk().exists(p, &found, &owner).ok() && !found, p.get<std::string>() + " exists after a failed multi");
      }
    } else if (op == "mutex_contended") {
      mutex_contended(st["path"]);
    } else if (op == "leader_handover") {
      auto a = open(), b = open();
      std::int64_t t1 = 0, t2 = 0;
      // The second joins once the first leads: "first" is then the order of the election.
      expect(a->latch_start(st["path"], "a").ok(), "latch start failed");
      Err led = a->latch_await(20000, &t1);
      expect(led.ok(), "the first participant's await failed: " + led.name);
      expect(a->latch_leads(), "the first participant does not lead");
      expect(b->latch_start(st["path"], "b").ok(), "latch start failed");
      Err waited = b->latch_await(0, &t2);
      expect(waited.name == "request_timeout" && !b->latch_leads(), "the second participant did not wait: " + waited.name);
      a->latch_close();
      expect(b->latch_await(20000, &t2).ok(), "the second participant never led");
      expect(t2 > t1, "tokens " + std::to_string(t1) + " then " + std::to_string(t2));
      b->latch_close();
    } else if (op == "expire_session") {
      auto c = open();
      Err e = c->expire_and_wait(connect_);
      expect(e.ok(), "expiring failed: " + e.name);
      expect(c->state() == want["state"].get<std::string>(), "state " + c->state());
      std::string data;
      int version = 0;
      const json& then = want["then"];
      check_err(c->get(then["path"], &data, &version), then, "after expiry, get");
    } else if (op == "close_with_pending") {
      auto c = open();
      auto calls = c->close_with_pending(st["count"]);
      expect(calls.size() == want["callbacks"].get<std::size_t>(), std::to_string(calls.size()) + " callbacks");
      for (const auto& r : calls) {
        bool allowed = r.ok();
        for (const auto& a : want["errors_allowed"]) allowed = allowed || r.name == a.get<std::string>();
        expect(allowed, "a pending call ended with " + r.name);
      }
    } else {
      throw Mismatch("unknown step " + op);
    }
  }

  void mutex_contended(const std::string& path) {
    auto mine = open();
    std::int64_t first = 0;
    expect(mine->mutex_acquire(path, &first).ok(), "acquire failed");
    std::string cmd = "'" + self_ + "' --mutex-child '" + connect_ + "' '" + path + "'";
    FILE* child = popen(cmd.c_str(), "r");
    expect(child != nullptr, "cannot start the second process");
    bool waited = false;
    for (int i = 0; i < 10 && !waited; ++i) {
      std::size_t n = 0;
      if (mine->get_children_count(path, &n).ok() && n == 2) waited = true;
      else mine->wait_children_change(path);
    }
    Err released = mine->mutex_release();
    char line[128] = {0};
    bool got = std::fgets(line, sizeof line, child) != nullptr;
    int status = pclose(child);
    expect(waited, "the second process never queued for the lock");
    expect(released.ok(), "release failed: " + released.name);
    expect(got && status == 0, "the second process failed");
    std::int64_t second = std::stoll(std::string(line).substr(6));
    expect(second > first, "tokens " + std::to_string(first) + " then " + std::to_string(second));
  }

  const json& s_;
  Binding& b_;
  std::string connect_, self_;
  std::map<int, std::string> event_name_;
  std::unique_ptr<Client> zk_;
};

}  // namespace

int run_main(int argc, char** argv, Binding& binding) {
  if (argc == 4 && std::string(argv[1]) == "--mutex-child") {
    std::string why;
    auto c = binding.open(argv[2], &why);
    std::int64_t token = 0;
    if (!c || !c->mutex_acquire(argv[3], &token).ok()) {
      std::fprintf(stderr, "mutex child: %s\n", why.c_str());
      return 1;
    }
    std::printf("token %lld\n", static_cast<long long>(token));
    std::fflush(stdout);
    return c->mutex_release().ok() ? 0 : 1;
  }
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s SCENARIO CONNECT | --mutex-child CONNECT PATH\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  json scenario = json::parse(in);
  // popen runs a shell, whose /proc/self/exe would be the shell: resolve ours now.
  std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  int failed = Runner(scenario, binding, argv[argc - 1], self).run();
  std::printf("%s runner: %s\n", binding.name(),
              failed ? (std::to_string(failed) + " step(s) differ").c_str() : "all steps match");
  return failed ? 1 : 0;
}

}  // namespace zkit::conformance
