// ACL helpers (zkit/acl.hpp): one constructor per scheme and zkCli's text form.
#include "zkit/acl.hpp"

#include <arpa/inet.h>

#include <cstring>

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace zkit::acl {
namespace {

constexpr std::string_view kLetters = "cdrwa";
constexpr std::int32_t kBits[] = {perm_create, perm_delete, perm_read, perm_write, perm_admin};

Error invalid(std::string message) { return Error(Errc::invalid_acl, std::move(message)); }

}  // namespace

Acl world(std::int32_t perms) { return {perms, {"world", "anyone"}}; }
Acl auth(std::int32_t perms) { return {perms, {"auth", ""}}; }
Acl x509(std::string_view subject, std::int32_t perms) { return {perms, {"x509", std::string(subject)}}; }
Acl sasl(std::string_view name, std::int32_t perms) { return {perms, {"sasl", std::string(name)}}; }

std::string digest_id(std::string_view user, std::string_view password) {
  std::string plain = std::string(user) + ":" + std::string(password);
  unsigned char sha[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), sha);
  OPENSSL_cleanse(plain.data(), plain.size());
  unsigned char b64[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  int n = EVP_EncodeBlock(b64, sha, SHA_DIGEST_LENGTH);
  return std::string(user) + ":" + std::string(reinterpret_cast<const char*>(b64), static_cast<std::size_t>(n));
}

Acl digest(std::string_view user, std::string_view password, std::int32_t perms) {
  return {perms, {"digest", digest_id(user, password)}};
}

Result<Acl> ip(std::string_view cidr, std::int32_t perms) {
  std::string text(cidr);
  std::string address = text;
  int bits = -1;
  if (auto slash = text.find('/'); slash != std::string::npos) {
    address = text.substr(0, slash);
    std::string b = text.substr(slash + 1);
    if (b.empty() || b.size() > 3 || b.find_first_not_of("0123456789") != std::string::npos)
      return invalid("ip ACL \"" + text + "\": the prefix length after '/' must be a number");
    bits = std::stoi(b);
  }
  unsigned char buf[sizeof(in6_addr)];
  int max_bits = 0;
  if (inet_pton(AF_INET, address.c_str(), buf) == 1) max_bits = 32;
  else if (inet_pton(AF_INET6, address.c_str(), buf) == 1) max_bits = 128;
  else return invalid("ip ACL \"" + text + "\": \"" + address + "\" is not an IPv4 or IPv6 address");
  if (bits > max_bits)
    return invalid("ip ACL \"" + text + "\": at most " + std::to_string(max_bits) + " prefix bits");
  return Acl{perms, {"ip", text}};
}

std::string perms_text(std::int32_t perms) {
  std::string s;
  for (std::size_t i = 0; i < kLetters.size(); ++i)
    if (perms & kBits[i]) s += kLetters[i];
  return s;
}

Result<std::int32_t> parse_perms(std::string_view letters) {
  std::int32_t bits = 0;
  for (char c : letters) {
    auto at = kLetters.find(c);
    if (at == std::string_view::npos)
      return invalid("permission \"" + std::string(1, c) + "\" is not one of c, d, r, w, a");
    bits |= kBits[at];
  }
  return bits;
}

std::string to_text(const Acl& a) { return a.id.scheme + ":" + a.id.id + ":" + perms_text(a.perms); }

// Where the entry starting at `from` ends: at the first ',' followed by "<scheme>:", so that
// ids holding commas (x509 subjects) stay whole.
static std::size_t entry_end(std::string_view text, std::size_t from) {
  static constexpr std::string_view kSchemes[] = {"world:", "auth:", "digest:", "ip:", "x509:", "sasl:", "super:"};
  for (std::size_t comma = text.find(',', from); comma != std::string_view::npos; comma = text.find(',', comma + 1)) {
    std::string_view rest = text.substr(comma + 1);
    for (std::string_view s : kSchemes)
      if (rest.substr(0, s.size()) == s) return comma;
    if (rest.empty()) return comma;
  }
  return text.size();
}

Result<AclList> parse(std::string_view text) {
  AclList out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = entry_end(text, start);
    std::string_view entry = text.substr(start, end - start);
    start = end + 1;
    std::string e(entry);
    auto first = e.find(':');
    auto last = e.rfind(':');
    if (first == std::string::npos || first == last)
      return invalid("ACL entry \"" + e + "\" is not scheme:id:perms");
    std::string scheme = e.substr(0, first);
    std::string id = e.substr(first + 1, last - first - 1);
    auto perms = parse_perms(e.substr(last + 1));
    if (!perms) return invalid("ACL entry \"" + e + "\": " + perms.error().message());
    if (scheme == "world") {
      if (id != "anyone") return invalid("ACL entry \"" + e + "\": the world scheme's only id is \"anyone\"");
      out.push_back(world(*perms));
    } else if (scheme == "auth") {
      out.push_back({*perms, {"auth", id}});
    } else if (scheme == "digest") {
      auto colon = id.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == id.size())
        return invalid("ACL entry \"" + e + "\": a digest id is user:base64-sha1 (see zkit::acl::digest_id)");
      out.push_back({*perms, {"digest", id}});
    } else if (scheme == "ip") {
      auto a = ip(id, *perms);
      if (!a) return std::move(a).error();
      out.push_back(*a);
    } else if (scheme == "x509" || scheme == "sasl" || scheme == "super") {
      if (id.empty()) return invalid("ACL entry \"" + e + "\": the " + scheme + " scheme needs an id");
      out.push_back({*perms, {scheme, id}});
    } else {
      return invalid("ACL entry \"" + e + "\": unknown scheme \"" + scheme +
                     "\" (world, auth, digest, ip, x509, sasl)");
    }
  }
  return out;
}

}  // namespace zkit::acl
