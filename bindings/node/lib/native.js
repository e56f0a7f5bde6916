'use strict';
// Loads the N-API addon: the packed copy in native/ (next to libomnirtc.so),
// else the development build, else the path in OMNIRTC_NODE_ADDON.
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');

const candidates = [
  process.env.OMNIRTC_NODE_ADDON,
  path.join(__dirname, '..', 'native', 'omnirtc.node'),
  path.join(__dirname, '..', 'build', 'omnirtc.node'),
].filter(Boolean);

const found = candidates.find((file) => fs.existsSync(file));
if (!found) {
  throw new Error(`omnirtc: native addon not found (looked in ${candidates.join(', ')})`);
}
const addon = require(found);
// This binding calls into the library once per task, not once per message
// (sends are batched), so the engine gets one thread per core instead of the
// C default of cores + 2, whose extra threads cost CPU in bulk transfers on a
// busy machine (BENCHMARKS.md). GOMAXPROCS in the environment still decides.
if (!process.env.GOMAXPROCS) addon.setEngineThreads(os.availableParallelism());
module.exports = addon;
