'use strict';
// zkit for Node.js. docs/node.md is the guide.
const { Client, createClient, connect } = require('./client');
const { Event } = require('./event');
const { Transaction } = require('./transaction');
const { PersistentWatch } = require('./persistent_watch');
const { Mutex, LeaderLatch, DoubleBarrier } = require('./recipes');
const { CreateMode, WatcherKind, Permission, ACL } = require('./constants');
const errors = require('./errors');

const { codes, toError, make, ...errorClasses } = errors;

module.exports = {
  Client, createClient, connect, Event, Transaction, PersistentWatch, Mutex, LeaderLatch, DoubleBarrier,
  CreateMode, WatcherKind, Permission, ACL, errorCodes: codes, ...errorClasses,
};
