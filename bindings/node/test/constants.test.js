'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const native = require('./package-under-test').internal('lib/native');

// Every numeric constant the header names and the value it writes, read from
// its text here, independently of the build's generator.
function headerConstants() {
  const text = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'include', 'omnirtc.h'), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '');
  const values = {};
  for (const [, name, value] of text.matchAll(/#define\s+OMNIRTC_(\w+)\s+(-?\d+)\s*$/gm)) values[name] = Number(value);
  for (const [, name, value] of text.matchAll(/\bOMNIRTC_(\w+)\s*=\s*(-?\d+)\s*[,}\n]/g)) values[name] = Number(value);
  // every upper-case OMNIRTC_ name is a constant with a value, but the include guard and the version string
  for (const [, name] of text.matchAll(/\bOMNIRTC_([A-Z0-9_]+)\b/g)) {
    if (name !== 'H' && name !== 'VERSION') assert.ok(name in values, `OMNIRTC_${name} has no value in the header`);
  }
  return values;
}

test('the addon exports every constant of omnirtc.h with its value', () => {
  const expected = headerConstants();
  assert.ok(Object.keys(expected).length > 70);
  assert.deepEqual({ ...native.constants }, expected);
});
