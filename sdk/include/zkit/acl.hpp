// ACL helpers: an entry for every scheme ZooKeeper ships, and zkCli's text notation.
//
//   zkit::AclList acl = {zkit::acl::digest("alice", "secret", zkit::perm_all),
//                        zkit::acl::ip("10.0.0.0/8", zkit::perm_read).value(),
//                        zkit::acl::x509("O=storage,CN=node-17", zkit::perm_read | zkit::perm_write)};
//   session.create("/vault", "", {.acl = acl});
//   session.add_auth("digest", "alice:secret");     // then this session is "digest:alice:<hash>"
//
// The presets (open_acl_unsafe, creator_all_acl, read_acl_unsafe) are in zkit/types.hpp.
// The digest is ZooKeeper's DigestAuthenticationProvider's: base64(sha1("user:password")).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "zkit/result.hpp"
#include "zkit/types.hpp"

namespace zkit::acl {

// world:anyone (everyone).
Acl world(std::int32_t perms);
// auth: every id the creating session has authenticated as (add_auth, x509, sasl).
Acl auth(std::int32_t perms);
// digest:<user>:<base64 sha1>: a user who adds auth "digest" "<user>:<password>". The
// password is hashed here; it is not kept.
Acl digest(std::string_view user, std::string_view password, std::int32_t perms);
// "<user>:<base64(sha1("<user>:<password>"))>": the id digest() puts in the entry (also what
// DigestAuthenticationProvider.superDigest takes).
std::string digest_id(std::string_view user, std::string_view password);
// ip:<address>[/<bits>] (IPv4 or IPv6, CIDR). Errors: invalid_acl (not an address, or more
// bits than the address has).
Result<Acl> ip(std::string_view cidr, std::int32_t perms);
// x509:<subject DN in RFC 2253>: a session whose TLS client certificate has this subject
// (e.g. "O=zk-tests,CN=test-client", most specific part last as Java prints it).
Acl x509(std::string_view subject, std::int32_t perms);
// sasl:<name>: a session authenticated by SASL as this user (or Kerberos principal).
Acl sasl(std::string_view name, std::int32_t perms);

// Permission letters as zkCli writes them: "cdrwa" order, e.g. "rw". 0 gives "".
std::string perms_text(std::int32_t perms);
// "crdwa" letters in any order to bits. Errors: invalid_acl (another letter).
Result<std::int32_t> parse_perms(std::string_view letters);

// One entry in zkCli's notation, "scheme:id:perms", e.g. "world:anyone:cdrwa",
// "digest:alice:XXXX=:rw", "ip:10.0.0.0/8:r". The id may hold ':' (digest, x509).
std::string to_text(const Acl& a);
// Parses to_text's format; several entries separated by ','. Errors: invalid_acl, naming the
// entry (an unknown scheme, missing perms, a bad ip).
Result<AclList> parse(std::string_view text);

}  // namespace zkit::acl
