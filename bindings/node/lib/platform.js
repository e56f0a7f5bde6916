'use strict';
// The npm package that holds the native addon (and the library) for a
// machine, named like node-datachannel's and esbuild's: @omnirtc/<os>-<cpu>[-<libc>],
// and the addon file the loader (native.js) takes.
const fs = require('node:fs');
const path = require('node:path');

// The platform packages that dist/ builds, the optional dependencies of the published package.
const PLATFORM_PACKAGES = [
  '@omnirtc/linux-x64-gnu', '@omnirtc/linux-arm64-gnu', '@omnirtc/linux-arm-gnu', '@omnirtc/linux-riscv64-gnu',
  '@omnirtc/win32-x64',
];

/** 'gnu' or 'musl' on Linux (Node's report names the glibc it runs on), else null. */
function libc() {
  if (process.platform !== 'linux') return null;
  const report = /** @type {{header: {glibcVersionRuntime?: string}}} */ (process.report.getReport());
  return report.header.glibcVersionRuntime ? 'gnu' : 'musl';
}

/**
 * e.g. '@omnirtc/linux-x64-gnu', '@omnirtc/win32-x64': this machine's, or
 * that of the platform, arch and libc given (libc only on Linux).
 * @param {string} [platform] process.platform's values
 * @param {string} [arch] process.arch's values
 * @param {string | null} [libcName] 'gnu', 'musl' or null
 */
function platformPackage(platform = process.platform, arch = process.arch, libcName = platform === process.platform ? libc() : null) {
  return `@omnirtc/${[platform, arch, platform === 'linux' ? libcName : null].filter(Boolean).join('-')}`;
}

/**
 * The addon to load: the path in OMNIRTC_NODE_ADDON, else the one of the
 * platform package `wanted` (this machine's unless given; with libomnirtc.so or
 * omnirtc.dll next to it) if it is installed where require finds it (from this
 * file, or from `paths`), else the development build; undefined if none exists.
 * @param {string} [wanted]
 * @param {NodeJS.ProcessEnv} [env]
 * @param {string[]} [paths] require.resolve's
 */
function addonFile(wanted = platformPackage(), env = process.env, paths = undefined) {
  let installed = null;
  try {
    installed = require.resolve(wanted, paths && { paths });
  } catch {
    // not installed: the next candidate
  }
  return [env.OMNIRTC_NODE_ADDON, installed, path.join(__dirname, '..', 'build', 'omnirtc.node')]
    .find((file) => file && fs.existsSync(file));
}

module.exports = { PLATFORM_PACKAGES, addonFile, platformPackage };
