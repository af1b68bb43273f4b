// Session's introspection and ensemble administration: ephemerals, descendant counts,
// whoAmI and reconfig (get_config, a data read, lives with get).
#include "api/completion.hpp"
#include "proto/admin.hpp"
#include "proto/records.hpp"
#include "zkit/session.hpp"

namespace zkit {

using namespace api;
using proto::Op;

void Session::get_ephemerals(std::string_view prefix, Callback<std::vector<std::string>> done) {
  if (prefix.empty() || prefix.front() != '/')
    return fail_now(done, "get_ephemerals", prefix, Error(Errc::bad_arguments, "prefix must start with '/'"));
  // The chroot goes in front of the prefix and comes off the results (the Java 3.8 client
  // forgets both, protocol doc §11.6). With a chroot, "/" means "under the chroot".
  std::string scratch;
  std::string server(core_->chroot().server_path(prefix, scratch));
  if (prefix == "/" && server != "/") server += '/';
  Core* core = core_.get();
  core_->submit(
      Op::get_ephemerals, server,
      [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::get_ephemerals, proto::PathRequest{server}); },
      complete<std::vector<std::string>>("get_ephemerals", core, std::move(done), [core](Reply& r, std::vector<std::string>& paths) {
        if (!proto::decode_get_ephemerals_response(r.body, paths)) return false;
        for (auto& p : paths) p = core->chroot().client_path(p);
        return true;
      }));
}

Async<std::vector<std::string>> Session::get_ephemerals(std::string_view prefix) {
  return awaitable(*this, &Session::get_ephemerals, prefix);
}

void Session::get_all_children_number(std::string_view path, Callback<std::int32_t> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "get_all_children_number", path, v.error());
  std::string scratch;
  proto::PathRequest req{core_->chroot().server_path(path, scratch)};
  core_->submit(
      Op::get_all_children_number, req.path,
      [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::get_all_children_number, req); },
      complete<std::int32_t>("get_all_children_number", core_.get(), std::move(done),
                             [](Reply& r, std::int32_t& n) { return proto::decode_get_all_children_number_response(r.body, n); }));
}

Async<std::int32_t> Session::get_all_children_number(std::string_view path) {
  return awaitable(*this, &Session::get_all_children_number, path);
}

void Session::who_am_i(Callback<std::vector<ClientInfo>> done) {
  core_->submit(
      Op::who_am_i, {}, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::who_am_i); },
      complete<std::vector<ClientInfo>>("who_am_i", core_.get(), std::move(done), [](Reply& r, std::vector<ClientInfo>& ids) {
        return proto::decode_who_am_i_response(r.body, ids);
      }));
}

Async<std::vector<ClientInfo>> Session::who_am_i() { return awaitable(*this, &Session::who_am_i); }

void Session::reconfig(const Reconfig& change, Callback<Data> done) {
  if (!change.joining && !change.leaving && !change.new_members)
    return fail_now(done, "reconfig", "", Error(Errc::bad_arguments, "nothing to change"));
  if (change.new_members && (change.joining || change.leaving))
    return fail_now(done, "reconfig", "", Error(Errc::bad_arguments, "new_members (bulk) excludes joining and leaving (incremental)"));
  auto view = [](const std::optional<std::string>& s) -> std::optional<std::string_view> {
    if (!s) return std::nullopt;
    return std::string_view(*s);
  };
  proto::ReconfigRequest req{view(change.joining), view(change.leaving), view(change.new_members), change.from_config};
  core_->submit(
      Op::reconfig, {}, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::reconfig, req); },
      complete<Data>("reconfig", core_.get(), std::move(done),
                     [](Reply& r, Data& d) { return proto::decode_get_data_response(r.body, d.data, d.stat, &d.null); }));
}

Async<Data> Session::reconfig(const Reconfig& change) { return awaitable(*this, &Session::reconfig, change); }

}  // namespace zkit
