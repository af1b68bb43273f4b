// The records of the client protocol (zookeeper.jute), each with encode and decode.
//
// Request records hold views (std::string_view, std::span): encoding a request copies the
// caller's bytes once, into the outgoing frame. Response records decode into zkit's public
// value types, copying the payload once, into what the user receives.
// Every decode returns false (and leaves its Reader failed) on short or malformed input.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "proto/jute.hpp"
#include "proto/opcodes.hpp"
#include "zkit/types.hpp"

namespace zkit::proto {

inline constexpr std::size_t kPasswordSize = 16;

struct ConnectRequest {
  std::int32_t protocol_version = 0;
  std::int64_t last_zxid_seen = 0;
  std::int32_t timeout_ms = 0;
  std::int64_t session_id = 0;
  std::string_view password;  // empty = 16 zero bytes (a new session)
  bool read_only = false;     // appended after the record
};

struct ConnectResponse {
  std::int32_t protocol_version = 0;
  std::int32_t timeout_ms = 0;
  std::int64_t session_id = 0;
  std::string password;
  bool read_only = false;  // absent from pre-3.3 servers: reads as false
};

struct RequestHeader {
  std::int32_t xid = 0;
  Op type = Op::ping;
};

struct ReplyHeader {
  std::int32_t xid = 0;
  std::int64_t zxid = 0;
  std::int32_t err = 0;
};
inline constexpr std::size_t kReplyHeaderSize = 16;

// create (1), create2 (15), createContainer (19); createTTL (21) when ttl >= 0.
struct CreateRequest {
  std::string_view path;
  std::string_view data;
  std::span<const Acl> acl;
  std::int32_t flags = 0;
  std::int64_t ttl = -1;  // written only for createTTL
  bool null_data = false;  // data goes out as a null buffer (length -1)
};

struct PathRequest {  // getACL, sync, getEphemerals, getAllChildrenNumber
  std::string_view path;
};

struct PathVersionRequest {  // delete, check
  std::string_view path;
  std::int32_t version = -1;
};

struct PathWatchRequest {  // exists, getData, getChildren, getChildren2
  std::string_view path;
  bool watch = false;
};

struct SetDataRequest {
  std::string_view path;
  std::string_view data;
  std::int32_t version = -1;
  bool null_data = false;  // data goes out as a null buffer (length -1)
};

struct SetAclRequest {
  std::string_view path;
  std::span<const Acl> acl;
  std::int32_t version = -1;
};

struct AuthPacket {
  std::int32_t type = 0;
  std::string_view scheme;
  std::string_view auth;
};

// SetWatches (101) when both persistent lists are empty, else SetWatches2 (105).
struct SetWatches {
  std::int64_t relative_zxid = 0;
  std::span<const std::string_view> data;
  std::span<const std::string_view> exist;
  std::span<const std::string_view> child;
  std::span<const std::string_view> persistent;
  std::span<const std::string_view> persistent_recursive;
};

struct WatcherEvent {
  std::int32_t type = 0;
  std::int32_t state = 0;
  std::string_view path;
};

// --- encoders ---------------------------------------------------------------------------------
void encode(Writer& w, const ConnectRequest& r);
void encode(Writer& w, const RequestHeader& h);
void encode(Writer& w, const ReplyHeader& h);
void encode(Writer& w, const Stat& s);
void encode(Writer& w, const Acl& a);
void encode(Writer& w, std::span<const Acl> acl);
void encode(Writer& w, const CreateRequest& r);
void encode(Writer& w, const PathRequest& r);
void encode(Writer& w, const PathVersionRequest& r);
void encode(Writer& w, const PathWatchRequest& r);
void encode(Writer& w, const SetDataRequest& r);
void encode(Writer& w, const SetAclRequest& r);
void encode(Writer& w, const AuthPacket& r);
void encode(Writer& w, const WatcherEvent& e);
void encode(Writer& w, const ConnectResponse& r);
// Encodes the lists as SetWatches2 when `version2`, else as SetWatches (persistent lists must
// then be empty).
void encode(Writer& w, const SetWatches& r, bool version2);

// --- decoders ---------------------------------------------------------------------------------
bool decode(Reader& r, ConnectRequest& out, std::string_view& password_view);
bool decode(Reader& r, ConnectResponse& out);
bool decode(Reader& r, RequestHeader& out);
bool decode(Reader& r, ReplyHeader& out);
bool decode(Reader& r, Stat& out);
bool decode(Reader& r, Acl& out);
bool decode(Reader& r, AclList& out);
bool decode(Reader& r, WatcherEvent& out);
// Requests decoded back, for tests and fuzzers (views into the reader's input).
bool decode(Reader& r, CreateRequest& out, AclList& acl_storage, bool with_ttl);
bool decode(Reader& r, PathRequest& out);
bool decode(Reader& r, PathVersionRequest& out);
bool decode(Reader& r, PathWatchRequest& out);
bool decode(Reader& r, SetDataRequest& out);
bool decode(Reader& r, SetAclRequest& out, AclList& acl_storage);
bool decode(Reader& r, AuthPacket& out);
bool decode(Reader& r, std::vector<std::string_view>& out);  // vector<ustring> as views
bool decode(Reader& r, SetWatches& out, std::vector<std::string_view> (&lists)[5], bool version2);

// Response bodies, straight into the public types.
bool decode_create_response(Reader& r, std::string& path);               // CreateResponse
bool decode_create2_response(Reader& r, std::string& path, Stat& stat);  // Create2Response
// GetDataResponse; `*is_null`, when given, says whether the data was a null buffer.
bool decode_get_data_response(Reader& r, std::string& data, Stat& stat, bool* is_null = nullptr);
bool decode_children(Reader& r, std::vector<std::string>& names);        // GetChildrenResponse
bool decode_children2(Reader& r, std::vector<std::string>& names, Stat& stat);
bool decode_get_acl_response(Reader& r, AclList& acl, Stat& stat);
bool decode_path(Reader& r, std::string& path);                          // SyncResponse

// Builds one request frame: length, RequestHeader, body. Returns the frame's start offset.
template <class Body>
std::size_t write_request(std::string& out, std::int32_t xid, Op op, const Body& body) {
  Writer w(out);
  std::size_t start = w.begin_frame();
  encode(w, RequestHeader{xid, op});
  encode(w, body);
  w.end_frame(start);
  return start;
}

// A request frame with no body (ping, closeSession).
std::size_t write_request(std::string& out, std::int32_t xid, Op op);

}  // namespace zkit::proto
