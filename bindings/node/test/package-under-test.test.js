'use strict';
// The suite tests the package it names (package-under-test.js), with nothing
// of the source tree in between: when that is an installed package, its
// JavaScript, the addon of its platform package and the library beside that
// addon ($ORIGIN), not a development build found on LD_LIBRARY_PATH.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { dir, installed, modules, omnirtc, internal } = require('./package-under-test');

/** The files named `name` mapped into this process. */
function mapped(name) {
  const files = fs.readFileSync('/proc/self/maps', 'utf8').split('\n').map((line) => line.split(/\s+/)[5]);
  return [...new Set(files.filter((file) => file && path.basename(file) === name))];
}

test('the package under test is the one loaded: its JavaScript, one addon, one library', () => {
  assert.equal(omnirtc.libraryVersion(), require(path.join(dir, 'package.json')).version);
  assert.ok(require.resolve(dir).startsWith(fs.realpathSync(dir) + path.sep), require.resolve(dir));
  const [addon, ...otherAddons] = mapped('omnirtc.node');
  const [library, ...otherLibraries] = mapped('libomnirtc.so.0');
  assert.deepEqual([otherAddons, otherLibraries], [[], []]);
  if (installed) {
    const platform = fs.realpathSync(path.join(modules, internal('lib/platform').platformPackage()));
    assert.equal(addon, path.join(platform, 'omnirtc.node'));
    assert.equal(library, path.join(platform, 'libomnirtc.so.0'));
  } else {
    assert.equal(addon, path.join(dir, 'build', 'omnirtc.node'));
    assert.ok(library, 'libomnirtc.so.0 is not mapped');
  }
});
