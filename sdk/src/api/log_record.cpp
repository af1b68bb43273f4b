// LogRecord helpers (zkit/log.hpp).
#include "metrics/hex_id.hpp"
#include "zkit/log.hpp"

namespace zkit {

std::string_view to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
  }
  return "info";
}

std::string_view LogRecord::field(std::string_view key) const noexcept {
  for (const LogField& f : fields)
    if (f.key == key) return f.value;
  return {};
}

std::string LogRecord::session_id_hex() const {
  return metrics::hex_id(session_id);
}

std::string format(const LogRecord& r) {
  std::string out(r.message);
  for (const LogField& f : r.fields) {
    out += ' ';
    out += f.key;
    out += '=';
    bool quote = f.value.empty() || f.value.find_first_of(" \"=") != std::string_view::npos;
    if (!quote) {
      out += f.value;
      continue;
    }
    out += '"';
    for (char c : f.value) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out;
}

}  // namespace zkit
