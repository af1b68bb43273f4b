'use strict';
// A watch event. `type` keeps the server's numbers (node-zookeeper-client's Event.NODE_CREATED
// ...); NONE (-1) reports the session instead of a node: `state` then says what happened
// (suspended, reconnected, expired, auth_failed, closed).

const types = {
  NONE: -1,
  NODE_CREATED: 1,
  NODE_DELETED: 2,
  NODE_DATA_CHANGED: 3,
  NODE_CHILDREN_CHANGED: 4,
  DATA_WATCH_REMOVED: 5,
  CHILD_WATCH_REMOVED: 6,
  PERSISTENT_WATCH_REMOVED: 7,
};
const names = new Map(Object.entries(types).map(([k, v]) => [v, k]));

// Session states that end a watch: no event follows one of them.
const finalStates = new Set(['expired', 'auth_failed', 'closed']);

class Event {
  constructor(type, state, path) {
    this.type = type;
    this.name = names.get(type) || 'UNKNOWN';
    this.state = state;
    this.path = path;
  }
  getType() { return this.type; }
  getName() { return this.name; }
  getPath() { return this.path; }
  // True when the session ended: the watch is gone.
  get final() { return this.type === types.NONE && finalStates.has(this.state); }
  toString() { return `${this.name}[${this.type}]@${this.path}`; }
}
Object.assign(Event, types);

module.exports = { Event };
