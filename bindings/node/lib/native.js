'use strict';
// The native half, zkit.node, which the meson build puts beside this folder's parent.
module.exports = require('../zkit.node');
