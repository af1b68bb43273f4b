// Private to the API layer: checks of operation arguments that have no home in the value
// types, done before anything is sent.
#pragma once

#include <string_view>

#include "proto/opcodes.hpp"
#include "zkit/result.hpp"
#include "zkit/types.hpp"

namespace zkit::api {

Result<void> validate_acl(const AclList& acl);
// Checks a create's arguments; returns the opcode that makes this kind of node.
Result<proto::Op> check_create(std::string_view path, const CreateOptions& o);

}  // namespace zkit::api
