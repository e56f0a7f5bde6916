'use strict';
// Which platform package and addon file the loader (lib/native.js) takes,
// with the platform as a parameter: Windows' and other machines' choices are
// tested here too, where no Node of theirs runs.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const pkg = require('./package-under-test');

const { PLATFORM_PACKAGES, addonFile, platformPackage } = pkg.internal('lib/platform');

for (const [platform, arch, libc, expected] of [
  ['win32', 'x64', null, '@omnirtc/win32-x64'],
  ['win32', 'x64', 'gnu', '@omnirtc/win32-x64'], // libc names only Linux packages
  ['linux', 'x64', 'gnu', '@omnirtc/linux-x64-gnu'],
  ['linux', 'arm64', 'gnu', '@omnirtc/linux-arm64-gnu'],
]) {
  test(`the platform package of ${platform} ${arch} (libc ${libc}) is ${expected}, one that dist/ builds`, () => {
    assert.equal(platformPackage(platform, arch, libc), expected);
    assert.ok(PLATFORM_PACKAGES.includes(expected));
  });
}

for (const [platform, arch, libc] of [['win32', 'arm64', null], ['darwin', 'arm64', null], ['linux', 'x64', 'musl']]) {
  test(`no platform package is built for ${platform} ${arch} (libc ${libc})`, () => {
    assert.equal(PLATFORM_PACKAGES.includes(platformPackage(platform, arch, libc)), false);
  });
}

test("this machine's platform package is its own platform's, with its libc on Linux", () => {
  const name = platformPackage();
  assert.ok(name.startsWith(`@omnirtc/${process.platform}-${process.arch}`), name);
  assert.equal(name.endsWith('-gnu') || name.endsWith('-musl'), process.platform === 'linux');
});

test('on win32 x64 the loader takes the installed @omnirtc/win32-x64 addon, not another platform package', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnirtc-platform-'));
  test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const name of ['@omnirtc/win32-x64', '@omnirtc/linux-x64-gnu']) {
    const pkg = path.join(dir, 'node_modules', name);
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name, main: 'omnirtc.node' }));
    fs.writeFileSync(path.join(pkg, 'omnirtc.node'), '');
  }
  const addon = (platform, env = {}) => addonFile(platformPackage(platform, 'x64', 'gnu'), env, [dir]);
  assert.equal(addon('win32'), path.join(dir, 'node_modules', '@omnirtc', 'win32-x64', 'omnirtc.node'));
  assert.equal(addon('linux'), path.join(dir, 'node_modules', '@omnirtc', 'linux-x64-gnu', 'omnirtc.node'));
  const override = path.join(dir, 'node_modules', '@omnirtc', 'linux-x64-gnu', 'omnirtc.node');
  assert.equal(addon('win32', { OMNIRTC_NODE_ADDON: override }), override); // the variable comes first
});

test('without the platform package, the loader falls back to the development build (or nothing)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnirtc-platform-'));
  test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const development = path.join(pkg.dir, 'build', 'omnirtc.node'); // none in an installed package
  assert.equal(addonFile('@omnirtc/win32-x64', {}, [dir]), fs.existsSync(development) ? development : undefined);
});
