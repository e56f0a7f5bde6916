'use strict';
// The npm package that holds the native addon (and libomnirtc.so) for this
// machine, named like node-datachannel's and esbuild's: @omnirtc/<os>-<cpu>[-<libc>].
// Which ones exist: optionalDependencies in the published package.json.

/** 'gnu' or 'musl' on Linux (Node's report names the glibc it runs on), else null. */
function libc() {
  if (process.platform !== 'linux') return null;
  const report = /** @type {{header: {glibcVersionRuntime?: string}}} */ (process.report.getReport());
  return report.header.glibcVersionRuntime ? 'gnu' : 'musl';
}

/** e.g. '@omnirtc/linux-x64-gnu' */
function platformPackage() {
  return `@omnirtc/${[process.platform, process.arch, libc()].filter(Boolean).join('-')}`;
}

module.exports = { platformPackage };
