// Records of the 3.5+ ops outside the data tree proper: persistent watches (addWatch 106),
// watch removal (removeWatches 18, checkWatches 17), reconfig (16), getEphemerals (103),
// getAllChildrenNumber (104), whoAmI (107). Same rules as records.hpp: requests are views,
// responses decode into public types, every decoder returns false on short or hostile input.
//
// Requests without a record of their own here: getEphemerals and getAllChildrenNumber send a
// PathRequest (records.hpp), whoAmI sends no body (write_request(out, xid, Op::who_am_i)).
// Reconfig answers with a GetDataResponse: decode_get_data_response (records.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "proto/jute.hpp"
#include "zkit/types.hpp"

namespace zkit::proto {

enum class AddWatchMode : std::int32_t {
  persistent = 0,            // data + child events of the path itself
  persistent_recursive = 1,  // created/deleted/changed of the path and every descendant
};

// WatcherType of removeWatches / checkWatches.
enum class WatcherType : std::int32_t {
  children = 1,
  data = 2,
  any = 3,
};

struct AddWatchRequest {
  std::string_view path;
  AddWatchMode mode = AddWatchMode::persistent;
};

// RemoveWatchesRequest and CheckWatchesRequest have the same fields on the wire.
struct WatchesRequest {
  std::string_view path;
  WatcherType type = WatcherType::any;
};
using RemoveWatchesRequest = WatchesRequest;
using CheckWatchesRequest = WatchesRequest;

// Each server list is "server.N=host:quorum:election[:role];[client host:]port" lines joined by
// commas (joining, newMembers) or server ids (leaving). nullopt goes out as a null string
// (length -1), which is what "nothing" means to the server; an empty string is a different
// value. newMembers (non-incremental reconfig) excludes the other two.
struct ReconfigRequest {
  std::optional<std::string_view> joining_servers;
  std::optional<std::string_view> leaving_servers;
  std::optional<std::string_view> new_members;
  std::int64_t cur_config_id = -1;  // -1: do not check the current config version
};

// addWatch's reply body (err is 0 whenever the header's is).
struct ErrorResponse {
  std::int32_t err = 0;
};

void encode(Writer& w, const AddWatchRequest& r);
void encode(Writer& w, const WatchesRequest& r);
void encode(Writer& w, const ReconfigRequest& r);
void encode(Writer& w, const ErrorResponse& r);

// Requests decoded back, for tests and fuzzers (views into the reader's input).
bool decode(Reader& r, AddWatchRequest& out);
bool decode(Reader& r, WatchesRequest& out);
bool decode(Reader& r, ReconfigRequest& out);
bool decode(Reader& r, ErrorResponse& out);

// Response bodies, straight into the public types.
bool decode_get_ephemerals_response(Reader& r, std::vector<std::string>& paths);  // full paths
bool decode_get_all_children_number_response(Reader& r, std::int32_t& total);
bool decode_who_am_i_response(Reader& r, std::vector<ClientInfo>& out);

// The same responses written, for fake servers and round-trip tests.
void encode_get_ephemerals_response(Writer& w, std::span<const std::string> paths);
void encode_get_all_children_number_response(Writer& w, std::int32_t total);
void encode_who_am_i_response(Writer& w, std::span<const ClientInfo> infos);

}  // namespace zkit::proto
