#include "probes.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

namespace zkit::faults {

// --- Ledger --------------------------------------------------------------------------------

std::size_t Ledger::outstanding() const noexcept {
  std::size_t n = 0;
  for (int c : st_->calls) n += c == 0;
  return n;
}

std::size_t Ledger::count(Errc e) const noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < st_->codes.size(); ++i) n += st_->calls[i] > 0 && st_->codes[i] == e;
  return n;
}

std::string Ledger::once_problems() const {
  std::ostringstream out;
  int shown = 0;
  for (std::size_t i = 0; i < st_->calls.size() && shown < 10; ++i) {
    if (st_->calls[i] == 1) continue;
    out << "request " << i << " of " << st_->calls.size() << " was answered " << st_->calls[i]
        << " times (last: " << to_string(st_->codes[i]) << ")\n";
    ++shown;
  }
  return out.str();
}

std::string Ledger::order_problems() const {
  std::ostringstream out;
  const auto& order = st_->order;
  for (std::size_t k = 1; k < order.size(); ++k) {
    if (order[k] > order[k - 1]) continue;
    out << "request " << order[k] << " (" << to_string(st_->codes[order[k]]) << ") completed after request "
        << order[k - 1] << " (" << to_string(st_->codes[order[k - 1]]) << ")";
    return out.str();
  }
  return {};
}

std::string Ledger::summary() const {
  std::map<std::string_view, std::size_t> by_code;
  for (std::size_t i = 0; i < st_->codes.size(); ++i)
    by_code[st_->calls[i] > 0 ? to_string(st_->codes[i]) : std::string_view("unanswered")]++;
  std::ostringstream out;
  out << st_->calls.size() << " requests:";
  for (const auto& [code, n] : by_code) out << " " << code << " " << n;
  return out.str();
}

// --- Load ----------------------------------------------------------------------------------

Load::Load(Session& session, Ledger ledger, std::string path, std::size_t depth)
    : st_(std::make_shared<State>(State{&session, std::move(ledger), std::move(path), depth})) {}

Load::~Load() { stop(); }

void Load::start() {
  st_->running = true;
  fill(st_);
}

void Load::stop() { st_->running = false; }

void Load::fill(const std::shared_ptr<State>& st) {
  while (st->running && st->in_flight < st->depth) {
    SessionState s = st->session->state();
    if (s == SessionState::expired || s == SessionState::closed || s == SessionState::auth_failed) {
      st->running = false;
      return;
    }
    std::size_t n = st->sent++;
    ++st->in_flight;
    auto then = [st](const auto& r) {
      --st->in_flight;
      Errc e = r.code();
      if (e == Errc::session_expired || e == Errc::closing || e == Errc::auth_failed) st->running = false;
      fill(st);
    };
    if (n % 2 == 0)
      st->session->set(st->path, std::to_string(n), -1, st->ledger.slot<Stat>(then));
    else
      st->session->get(st->path, {}, st->ledger.slot<Data>(then));
  }
}

// --- watches and states --------------------------------------------------------------------

Watcher WatchProbe::watcher() {
  return [events = events_](const WatchEvent& e) { events->push_back(e); };
}

StateListener StateLog::listener() {
  return [seen = seen_](SessionState s) { seen->push_back(s); };
}

std::size_t StateLog::count(SessionState s) const noexcept {
  return static_cast<std::size_t>(std::count(seen_->begin(), seen_->end(), s));
}

std::string StateLog::describe() const {
  std::string out;
  for (SessionState s : *seen_) {
    if (!out.empty()) out += ' ';
    out += to_string(s);
  }
  return out.empty() ? "(none)" : out;
}

std::string state_path_problems(const std::vector<SessionState>& seen) {
  using S = SessionState;
  auto allowed = [](S from, S to) {
    switch (from) {
      case S::connected:
      case S::reconnected:
        return to == S::suspended || to == S::expired || to == S::auth_failed || to == S::closed;
      case S::suspended:
        return to == S::reconnected || to == S::expired || to == S::auth_failed || to == S::closed;
      default:  // expired, auth_failed and closed are final
        return false;
    }
  };
  S from = S::connected;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (!allowed(from, seen[i]))
      return "transition " + std::to_string(i) + " goes from " + std::string(to_string(from)) + " to " +
             std::string(to_string(seen[i]));
    from = seen[i];
  }
  return {};
}

// --- changes -------------------------------------------------------------------------------

namespace {

// Awaits a create that may be made again after connection_loss; node_exists then means done.
Task<void> settle_create(Session& writer, std::string path, Async<Created> first, std::shared_ptr<Changes> out) {
  Result<Created> r = co_await first;
  CreateOptions plain;
  while (r.code() == Errc::connection_loss) r = co_await writer.create(path, "", plain);
  if (!r && r.code() != Errc::node_exists) out->failures.push_back("create " + path + ": " + r.error().message());
}

Task<void> change_all(Session& writer, std::string root, std::shared_ptr<Changes> out) {
  std::string data = root + "/w";
  std::string child = root + "/w/c";
  std::string created = root + "/new";
  CreateOptions plain;
  // Submitted together, so they reach the ensemble as close to the fault as they can.
  Async<Stat> set = writer.set(data, "changed");
  Async<Created> make_child = writer.create(child, "", plain);
  Async<Created> make_new = writer.create(created, "", plain);
  Result<Stat> r = co_await set;
  while (r.code() == Errc::connection_loss) r = co_await writer.set(data, "changed");
  if (!r) out->failures.push_back("set " + data + ": " + r.error().message());
  co_await settle_create(writer, child, std::move(make_child), out);
  co_await settle_create(writer, created, std::move(make_new), out);
  out->done = true;
  note("changes under " + root + " made");
}

}  // namespace

void make_changes(Session& writer, std::string root, std::shared_ptr<Changes> out) {
  spawn(change_all(writer, std::move(root), std::move(out)));
}

// --- Victim --------------------------------------------------------------------------------

Victim::Victim(Loop& loop, Options options, std::string_view name)
    : loop_(loop), session_(connect(loop, std::move(options))), id_(session_.session_id()), root_(unique_path(name)) {
  session_.add_listener(states_.listener());
  if (verbose())
    session_.add_listener([root = root_](SessionState s) { note(root + ": " + std::string(to_string(s))); });
}

int Victim::member() const { return Ensemble::get().member_behind(session_.connected_host()); }

void Victim::prepare() {
  CreateOptions plain;
  CreateOptions eph{.mode = CreateMode::ephemeral};
  auto root = await(loop_, session_.create(root_, "", plain));
  REQUIRE_MESSAGE(root.ok(), root.error().message());
  auto e = await(loop_, session_.create(root_ + "/eph", "mine", eph));
  REQUIRE_MESSAGE(e.ok(), e.error().message());
  REQUIRE(await(loop_, session_.create(root_ + "/load", "", plain)).ok());
  REQUIRE(await(loop_, session_.create(root_ + "/w", "before", plain)).ok());
  REQUIRE(await(loop_, session_.get(root_ + "/w", data_.watcher())).ok());
  REQUIRE(await(loop_, session_.get_children(root_ + "/w", child_.watcher())).ok());
  auto missing = await(loop_, session_.exists(root_ + "/new", created_.watcher()));
  REQUIRE(missing.ok());
  REQUIRE(!missing->has_value());
}

void Victim::start_load() {
  if (!load_) load_ = std::make_unique<Load>(session_, ledger_, root_ + "/load");
  load_->start();
}

void Victim::warm_up() {
  start_load();
  REQUIRE(loop_.run_until([&] { return ledger_.submitted() >= 40; }));
}

void Victim::pause_load() {
  if (load_) load_->stop();
  bool answered = loop_.run_until([&] { return ledger_.outstanding() == 0; });
  CHECK_MESSAGE(answered, ledger_.outstanding() << " requests still unanswered; " << ledger_.summary());
}

void Victim::check_watches_fired_before_sync() {
  auto synced = await(loop_, session_.sync(root_));
  REQUIRE_MESSAGE(synced.ok(), synced.error().message());
  CHECK_MESSAGE(watches_fired(), "a sync sent after the changes completed when only " << watch_calls()
                                     << " of the 3 watches had fired");
}

void Victim::check_watches_saw_changes() const {
  auto one = [](const WatchProbe& p, EventType type, const std::string& path, const char* what) {
    CHECK_MESSAGE(p.fired() == 1, what << " watch fired " << p.fired() << " times");
    if (p.fired() == 0) return;
    const WatchEvent& e = p.events().front();
    CHECK_MESSAGE(e.type == type, what << " watch got " << to_string(e.type) << " / " << to_string(e.state));
    CHECK(e.path == path);
  };
  one(data_, EventType::node_data_changed, root_ + "/w", "data");
  one(child_, EventType::node_children_changed, root_ + "/w", "child");
  one(created_, EventType::node_created, root_ + "/new", "exists");
}

void Victim::check_watches_expired() const {
  for (const WatchProbe* p : {&data_, &child_, &created_}) {
    CHECK_MESSAGE(p->fired() == 1, "a watch fired " << p->fired() << " times");
    for (const WatchEvent& e : p->events()) {
      CHECK_MESSAGE(e.type == EventType::none, "got " << to_string(e.type) << " for " << e.path);
      CHECK(e.state == SessionState::expired);
    }
  }
}

void Victim::check_resumed() {
  CHECK(session_.session_id() == id_);
  CHECK(session_.state() == SessionState::reconnected);
  CHECK(states_.count(SessionState::suspended) >= 1);
  CHECK(states_.last() == SessionState::reconnected);
  auto eph = await(loop_, session_.get(root_ + "/eph"));
  REQUIRE_MESSAGE(eph.ok(), "the ephemeral is gone: " << eph.error().message());
  CHECK(eph->stat.ephemeral_owner == id_);
  CHECK(eph->data == "mine");
}

void Victim::check_ledger() const {
  std::string once = ledger_.once_problems();
  CHECK_MESSAGE(once.empty(), once << ledger_.summary());
  std::string order = ledger_.order_problems();
  CHECK_MESSAGE(order.empty(), order << "; " << ledger_.summary());
}

void Victim::check_state_path() const {
  std::string why = state_path_problems(states_.seen());
  CHECK_MESSAGE(why.empty(), why << " in: " << states_.describe());
}

void Victim::close() {
  close_and_wait(loop_, session_);
  char id[20];
  std::snprintf(id, sizeof id, "%llx", static_cast<unsigned long long>(id_));
  note(root_ + " (session 0x" + id + "): " + ledger_.summary() + "; states: " + states_.describe());
}

void Victim::close_and_check() {
  finish_load();
  close();
  INFO("session 0x" << std::hex << id_ << std::dec << ": " << ledger_.summary() << "; states: " << states_.describe());
  check_ledger();
  check_state_path();
  // closed, or expired when the session ended before (close then reports nothing more)
  CHECK((states_.last() == SessionState::closed || states_.last() == SessionState::expired));
}

void close_and_wait(Loop& loop, Session& session) {
  auto closed = std::make_shared<bool>(false);
  session.close([closed] { *closed = true; });
  REQUIRE_MESSAGE(loop.run_until([&] { return *closed; }), "close() did not complete");
}

void on_first(Session& session, SessionState state, std::function<void()> action) {
  session.add_listener([state, action = std::move(action), fired = false](SessionState s) mutable {
    if (s != state || fired) return;
    fired = true;
    action();
  });
}

}  // namespace zkit::faults
