'use strict';
// The omnirtc package the suite runs against: the installed package whose
// directory OMNIRTC_NODE_PACKAGE names (the dist suite's: the npm tarballs of
// dist/ installed into an empty project, scripts/node-installed.sh), else the
// directory above this one: the source tree, or an installed package the
// tests were copied into (the dist-arches suite's). Every test takes the
// package from here, never by `require('..')`, so the same files test what
// is shipped.
const path = require('node:path');

/** The package's directory. */
const dir = path.resolve(process.env.OMNIRTC_NODE_PACKAGE || path.join(__dirname, '..'));
/** Whether it is installed (in a node_modules), rather than this source tree. */
const installed = path.basename(path.dirname(dir)) === 'node_modules';

module.exports = {
  dir,
  installed,
  /** A node_modules directory in which `omnirtc` is this package, for child processes' NODE_PATH. */
  modules: installed ? path.dirname(dir) : path.join(__dirname, 'resolve'),
  /** The package, as `require('omnirtc')` gives it to a user. */
  omnirtc: require(dir),
  /** One of the package's own modules, e.g. 'lib/native' (behind its exports map for a user). */
  internal: (name) => require(path.join(dir, name)),
};
