'use strict';
// `./build.sh npm` packs omnirtc and its platform package @omnirtc/<platform>;
// installed from the tarballs, they work with no Go and no compiler.
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..', '..');
const [platformTarball, mainTarball] = execFileSync(path.join(ROOT, 'scripts', 'npm-pack.sh'), { cwd: ROOT, encoding: 'utf8' })
  .trim().split('\n').slice(-2).map((file) => path.join(ROOT, file));
const env = { PATH: path.dirname(process.execPath) }; // node only: no go, no cc, no LD_LIBRARY_PATH

/** An empty app directory with the given package.json fields. */
function app(fields = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnirtc-npm-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', ...fields }));
  test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const install = (dir, ...args) => execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', ...args], { cwd: dir });

test('omnirtc and its platform package install from the tarballs and work, CommonJS and ESM', () => {
  const dir = app();
  install(dir, platformTarball, mainTarball);
  const version = execFileSync(process.execPath, ['-e', "console.log(require('omnirtc').libraryVersion())"],
    { cwd: dir, env, encoding: 'utf8' });
  const expected = require(path.join(ROOT, 'bindings', 'node', 'package.json')).version;
  assert.equal(version.trim(), expected);
  const esm = execFileSync(process.execPath, ['--input-type=module', '-e',
    "import { libraryVersion, debugCounters } from 'omnirtc'; console.log(libraryVersion(), debugCounters().handles.peer)"],
  { cwd: dir, env, encoding: 'utf8' });
  assert.equal(esm.trim(), `${expected} 0`);
  const out = execFileSync(process.execPath, [path.join(ROOT, 'examples', 'node', 'datachannel.js')],
    { cwd: dir, env: { ...env, NODE_PATH: path.join(dir, 'node_modules') }, encoding: 'utf8', timeout: 30000 });
  assert.match(out, /alice got: echo: hello bob/);
});

test('without its platform package, omnirtc says which package is missing', () => {
  const dir = app();
  install(dir, mainTarball); // the optional dependency is not in any registry here: npm skips it
  assert.equal(fs.existsSync(path.join(dir, 'node_modules', '@omnirtc')), false);
  const run = spawnSync(process.execPath, ['-e', "require('omnirtc')"], { cwd: dir, env, encoding: 'utf8' });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /the package @omnirtc\/linux-x64-gnu, which is not installed/);
  assert.match(run.stderr, /npm install @omnirtc\/linux-x64-gnu/);
});

// The platform package holds an x86_64 glibc build: npm passes it over
// elsewhere, as an optional dependency, rather than install it to fail at require.
for (const [flag, installed] of [['--cpu=arm64', false], ['--libc=musl', false], ['--cpu=x64', true]]) {
  test(`npm ${installed ? 'installs' : 'skips'} the platform package as an optional dependency with ${flag}`, () => {
    const dir = app({ optionalDependencies: { '@omnirtc/linux-x64-gnu': `file:${platformTarball}` } });
    install(dir, flag);
    assert.equal(fs.existsSync(path.join(dir, 'node_modules', '@omnirtc', 'linux-x64-gnu', 'omnirtc.node')), installed);
  });
}
