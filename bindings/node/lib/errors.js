'use strict';
// zkit's errors as Error subclasses: the same names and codes as in C++, C and Python
// (sdk/include/zkit/error.hpp, docs/errors.md). `err.code` is the number, `err.codeName` the
// name ("no_node"); each code has its class (NoNodeError), all of them ZkitError.

const codes = {
  ok: 0,
  runtime_inconsistency: -2,
  data_inconsistency: -3,
  connection_loss: -4,
  marshalling_error: -5,
  unimplemented: -6,
  operation_timeout: -7,
  bad_arguments: -8,
  new_config_no_quorum: -13,
  reconfig_in_progress: -14,
  no_node: -101,
  no_auth: -102,
  bad_version: -103,
  no_children_for_ephemerals: -108,
  node_exists: -110,
  not_empty: -111,
  session_expired: -112,
  invalid_callback: -113,
  invalid_acl: -114,
  auth_failed: -115,
  closing: -116,
  nothing: -117,
  session_moved: -118,
  not_read_only: -119,
  ephemeral_on_local_session: -120,
  no_watcher: -121,
  request_timeout: -122,
  reconfig_disabled: -123,
  session_closed_requires_sasl_auth: -124,
  quota_exceeded: -125,
  throttled_op: -127,
};

class ZkitError extends Error {
  constructor(code, codeName, message) {
    super(message);
    this.code = code;
    this.codeName = codeName;
  }
  get name() { return this.constructor.name; }
  // node-zookeeper-client's spelling.
  getCode() { return this.code; }
}

function className(codeName) {
  const words = codeName.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return words.endsWith('Error') ? words : words + 'Error';  // marshalling_error: MarshallingError
}

const classes = { ZkitError };
const byCode = new Map();
for (const [codeName, code] of Object.entries(codes)) {
  if (code === 0) continue;
  const name = className(codeName);
  // A named class per code, so stack traces and `instanceof` say which.
  const cls = { [name]: class extends ZkitError {} }[name];
  classes[name] = cls;
  byCode.set(code, cls);
}

// The Error for a native {code, name, message} (or a native exception carrying zkitCode);
// a TypeError or RangeError about the arguments is returned as it is.
function toError(e) {
  if (e instanceof ZkitError) return e;
  if (e && e.zkitCode !== undefined) return make(e.zkitCode, e.zkitName, e.message);
  if (e instanceof Error) return e;
  return make(e.code, e.name, e.message);
}

function make(code, codeName, message) {
  const cls = byCode.get(code) || ZkitError;
  return new cls(code, codeName, message);
}

module.exports = { codes, toError, make, ...classes };
