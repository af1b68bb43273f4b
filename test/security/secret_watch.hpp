// SecretWatch: collects everything a session lets out where a user or an operator reads it
// (every log line at debug, error messages, a tool's output) and checks that no secret given
// to it appears there in any common spelling: the bytes, hex (either case), base64 (padded or
// not). Each scenario of secrets_test.cpp uses one; a new way of authenticating (TLS keys,
// SASL) adds its scenario the same way: attach, add the secrets, run, check leaks().
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "zkit/options.hpp"
#include "zkit/result.hpp"

namespace zkit::test_security {

class SecretWatch {
 public:
  // Makes `o` log every line, at debug, here (from any thread: Client logs on its own).
  void attach(Options& o);
  // A secret, by a name for the failure message (the value is never printed).
  void secret(std::string name, std::string_view bytes);
  // Text a user could see: an error message, a tool's stdout or stderr.
  void saw(std::string_view where, std::string text);
  template <class T>
  void saw(std::string_view where, const Result<T>& r) {
    if (!r.ok()) saw(where, r.error().message());
  }
  // Each (secret, place) where a secret appears, as "secret NAME in PLACE" (never the text:
  // it holds the secret). A scenario checks that this is empty.
  std::vector<std::string> leaks() const;
  // How many texts were seen that contain `part` (all of them for ""), so a scenario can check
  // that it captured what it meant to.
  std::size_t texts(std::string_view part = {}) const;

 private:
  struct Seen {
    std::string where;
    std::string text;
  };
  struct Secret {
    std::string name;
    std::vector<std::string> spellings;
  };
  mutable std::mutex mutex_;
  std::vector<Seen> seen_;
  std::vector<Secret> secrets_;
};

}  // namespace zkit::test_security
