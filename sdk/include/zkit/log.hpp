// zkit::LogRecord: one log line of a session, with its level, its text and structured fields
// (host, cause, xid, op, duration_ms, ...), for a logger that indexes them instead of parsing
// text. Per session, no global state: set Options::record_logger.
//
//   zkit::Options o{.record_logger = [](const zkit::LogRecord& r) {
//                     std::printf("%s session=%s host=%.*s\n", r.message.data(),
//                                 r.session_id_hex().c_str(), int(r.field("host").size()),
//                                 r.field("host").data());
//                   },
//                   .log_level = zkit::LogLevel::info};
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "zkit/function.hpp"

namespace zkit {

enum class LogLevel { debug, info, warning, error };

// "debug", "info", "warning" or "error".
std::string_view to_string(LogLevel level) noexcept;

// LogField: one key/value pair of a record. Keys are fixed words (see docs/observability.md).
struct LogField {
  std::string_view key;  // the field's name ("host", "cause", ...)
  std::string_view value;  // its value, as text
};

// LogRecord: what a record logger receives. Every view is valid during the call only.
struct LogRecord {
  LogLevel level = LogLevel::info;  // how severe
  std::string_view message;     // the same text the string Logger receives
  std::int64_t session_id = 0;  // 0 before the first connection
  std::span<const LogField> fields;  // key/value details; valid only during the logger call

  // The value of field `key`, or "" when the record has none.
  std::string_view field(std::string_view key) const noexcept;
  // The session id as the server logs it: "0x" and its hex digits ("0x100002432990000").
  std::string session_id_hex() const;
};

// "message key=value key=value": a record as one line, for string sinks. Values with spaces
// are quoted.
std::string format(const LogRecord& record);

// Logger: receives zkit's log lines (connection changes, refused frames, ...). Called on the
// session's loop thread. The default writes warnings and errors to stderr.
using Logger = Function<void(LogLevel, std::string_view)>;
// RecordLogger: the structured form of Logger (see LogRecord). Called on the loop thread.
using RecordLogger = Function<void(const LogRecord&)>;

}  // namespace zkit
