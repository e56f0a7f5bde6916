'use strict';
// Loads the N-API addon: the packed copy in native/ (next to libomnirtc.so),
// else the development build, else the path in OMNIRTC_NODE_ADDON.
const path = require('node:path');
const fs = require('node:fs');

const candidates = [
  process.env.OMNIRTC_NODE_ADDON,
  path.join(__dirname, '..', 'native', 'omnirtc.node'),
  path.join(__dirname, '..', 'build', 'omnirtc.node'),
].filter(Boolean);

const found = candidates.find((file) => fs.existsSync(file));
if (!found) {
  throw new Error(`omnirtc: native addon not found (looked in ${candidates.join(', ')})`);
}
module.exports = require(found);
