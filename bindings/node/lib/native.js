'use strict';
// The native half, zkit.node, which the meson build puts beside this folder's parent, with the
// factories it makes its answers with: zkit's Error subclasses (rejections come straight from
// the loop) and the Stat objects.
const native = require('../zkit.node');
const errors = require('./errors');
const { makeStat, makeData } = require('./stat');

native.setFactories({ error: errors.make, stat: makeStat, data: makeData });
module.exports = native;
