'use strict';
// index.d.ts and the exports map, as a TypeScript or ESM user meets them: the
// package is resolved by name from an app directory, through package.json.
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const ts = require('typescript');

const PKG = require('./package-under-test').dir;
const DEV_MODULES = path.join(__dirname, '..', 'node_modules');

/** An app directory whose node_modules holds the package under test and @types/node. */
function app() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnirtc-types-'));
  test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true });
  fs.symlinkSync(PKG, path.join(dir, 'node_modules', 'omnirtc'));
  fs.symlinkSync(path.join(DEV_MODULES, '@types', 'node'), path.join(dir, 'node_modules', '@types', 'node'));
  return dir;
}

// Browser-style code is compiled with the DOM lib, server code with @types/node,
// and most projects have both: each must accept the same program.
for (const [name, lib, types] of [
  ['the DOM lib and @types/node', ['es2022', 'dom'], ['node']],
  ['@types/node alone', ['es2022'], ['node']],
  ['the DOM lib alone', ['es2022', 'dom'], []],
]) {
  test(`tsc --noEmit --strict accepts a typical W3C program with ${name}`, () => {
    const dir = app();
    fs.copyFileSync(path.join(__dirname, 'typecheck-program.ts'), path.join(dir, 'program.ts'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'node16', lib, types },
      files: ['program.ts'],
    }));
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });
}

/** The names of the values (classes, functions) index.d.ts exports. */
function declaredValues() {
  const file = path.join(PKG, 'index.d.ts');
  const program = ts.createProgram([file], { strict: true, noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(file));
  return checker.getExportsOfModule(symbol).filter((s) => s.flags & ts.SymbolFlags.Value).map((s) => s.name).sort();
}

test('ESM and CommonJS export exactly the values index.d.ts declares', () => {
  const declared = declaredValues();
  assert.ok(declared.includes('libraryVersion') && declared.includes('RTCPeerConnection'), declared.join());
  const dir = app();
  const names = (code, type) => JSON.parse(execFileSync(process.execPath, ['--input-type', type, '-e', code],
    { cwd: dir, encoding: 'utf8' }));
  const esm = names("import * as m from 'omnirtc'; console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default')))", 'module');
  assert.deepEqual(esm.sort(), declared);
  const cjs = names("console.log(JSON.stringify(Object.keys(require('omnirtc'))))", 'commonjs');
  assert.deepEqual(cjs.sort(), declared);
  const version = execFileSync(process.execPath, ['--input-type', 'module', '-e',
    "import { libraryVersion, debugCounters } from 'omnirtc'; console.log(libraryVersion(), typeof debugCounters().goroutines)"],
  { cwd: dir, encoding: 'utf8' });
  assert.equal(version.trim(), `${require(path.join(PKG, 'package.json')).version} number`);
});
