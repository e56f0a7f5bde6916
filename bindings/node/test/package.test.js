'use strict';
// `./build.sh npm` makes a tarball that installs and runs with no Go and no compiler.
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..', '..');

const tarball = execFileSync(path.join(ROOT, 'scripts', 'npm-pack.sh'), { cwd: ROOT, encoding: 'utf8' })
  .trim().split('\n').pop();

/** An empty app directory with the given package.json fields. */
function app(fields = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnirtc-npm-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', ...fields }));
  test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('the packed tarball installs in an empty directory and works', () => {
  const dir = app();
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', path.join(ROOT, tarball)], { cwd: dir });
  const env = { PATH: path.dirname(process.execPath) }; // node only: no go, no cc, no LD_LIBRARY_PATH
  const version = execFileSync(process.execPath, ['-e', "console.log(require('omnirtc').libraryVersion())"],
    { cwd: dir, env, encoding: 'utf8' });
  assert.equal(version.trim(), '0.1.0');
  const out = execFileSync(process.execPath, [path.join(ROOT, 'examples', 'node', 'datachannel.js')],
    { cwd: dir, env: { ...env, NODE_PATH: path.join(dir, 'node_modules') }, encoding: 'utf8', timeout: 30000 });
  assert.match(out, /alice got: echo: hello bob/);
});

// The tarball holds an x86_64 glibc build: npm must pass it over elsewhere
// (as it does for an optional dependency) rather than install it to fail at require.
for (const [flag, installed] of [['--cpu=arm64', false], ['--libc=musl', false], ['--cpu=x64', true]]) {
  test(`npm ${installed ? 'installs' : 'skips'} the package as an optional dependency with ${flag}`, () => {
    const dir = app({ optionalDependencies: { omnirtc: `file:${path.join(ROOT, tarball)}` } });
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', flag], { cwd: dir });
    assert.equal(fs.existsSync(path.join(dir, 'node_modules', 'omnirtc', 'package.json')), installed);
  });
}
