'use strict';
// Loads the N-API addon: the path in OMNIRTC_NODE_ADDON, else this machine's
// platform package (installed as an optional dependency, with libomnirtc.so,
// or omnirtc.dll on Windows, next to the addon), else the development build
// (lib/platform.js chooses).
const os = require('node:os');
const { addonFile, platformPackage } = require('./platform');

const wanted = platformPackage();
const found = addonFile(wanted);
if (!found) {
  const manifest = /** @type {{optionalDependencies?: object}} */ (require('../package.json')); // set when published
  const builds = Object.keys(manifest.optionalDependencies || {});
  throw new Error(builds.includes(wanted)
    ? `omnirtc: the native addon for this machine is in the package ${wanted}, which is not installed ` +
      '(it is an optional dependency: was it omitted, or the lockfile made on another platform?); ' +
      `install it with: npm install ${wanted}`
    : `omnirtc: there is no build for this machine (${wanted}); builds exist for ` +
      `${builds.join(', ') || 'no platform'}.` + (wanted.endsWith('-musl')
      ? " musl (Alpine) is unsupported: Go's shared-library runtime crashes at load there (golang/go#13492)."
      : ''));
}
const addon = require(found);
// This binding calls into the library once per task, not once per message
// (sends are batched), so the engine gets one thread per core instead of the
// C default of cores + 2, whose extra threads cost CPU in bulk transfers on a
// busy machine (BENCHMARKS.md). GOMAXPROCS in the environment still decides.
if (!process.env.GOMAXPROCS) addon.setEngineThreads(os.availableParallelism());
module.exports = addon;
