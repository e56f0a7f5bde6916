'use strict';
// setGC / getGC: the library's GOGC and GOMEMLIMIT (omnirtc_set_gc), which a
// Node process cannot set in the environment of an already loaded library.
const test = require('node:test');
const assert = require('node:assert/strict');
const { setGC, getGC, debugCounters, RTCPeerConnection } = require('./package-under-test').omnirtc;

test('getGC reflects what setGC set', () => {
  assert.deepEqual(getGC(), { percent: 100, memoryLimitBytes: 0 }); // Go's defaults
  setGC({ percent: 400, memoryLimitBytes: 512 * 2 ** 20 });
  assert.deepEqual(getGC(), { percent: 400, memoryLimitBytes: 512 * 2 ** 20 });
  setGC({ percent: -1, memoryLimitBytes: 2 ** 40 }); // off but for the limit
  assert.deepEqual(getGC(), { percent: -1, memoryLimitBytes: 2 ** 40 });
  setGC(); // the defaults
  assert.deepEqual(getGC(), { percent: 100, memoryLimitBytes: 0 });
});

test('bad settings are a TypeError and change nothing', () => {
  setGC({ percent: 250, memoryLimitBytes: 2 ** 26 });
  for (const bad of [{ percent: 0 }, { percent: -2 }, { percent: 1000001 }, { percent: 2 ** 32 + 100 },
    { percent: 1.5 }, { percent: '100' }, { memoryLimitBytes: -1 }, { memoryLimitBytes: 2 ** 60 }]) {
    assert.throws(() => setGC(bad), TypeError, JSON.stringify(bad));
  }
  assert.deepEqual(getGC(), { percent: 250, memoryLimitBytes: 2 ** 26 });
  setGC();
});

test('debugCounters carries the collector pause histogram', () => {
  setGC({ percent: 1 }); // a collection at every 1% of growth: some happen
  new RTCPeerConnection().close();
  setGC();
  const { gcPauses } = debugCounters();
  assert.ok(gcPauses.length > 0);
  for (const [upper, count] of gcPauses) assert.ok(upper > 0 && count > 0);
});

test('debugCounters has every counter the header lists, no other, each declared in index.d.ts', () => {
  const fs = require('node:fs');
  const path = require('node:path');
  const root = path.resolve(__dirname, '../../..');
  const header = fs.readFileSync(path.join(root, 'include/omnirtc.h'), 'utf8');
  const doc = header.slice(header.indexOf(' * omnirtc_debug_counters'), header.indexOf('omnirtc_status_t omnirtc_debug_counters'));
  const listed = [...doc.slice(0, doc.indexOf('}\n')).matchAll(/"(\w+)":/g)].map((m) => m[1]).filter((k) => k !== 'peer' && k !== 'channel');
  assert.deepEqual(Object.keys(debugCounters()).sort(), [...new Set(listed)].sort());
  const dts = fs.readFileSync(path.join(root, 'bindings/node/index.d.ts'), 'utf8');
  const declared = dts.slice(dts.indexOf('export function debugCounters'), dts.indexOf('\n};', dts.indexOf('export function debugCounters')));
  for (const key of listed) assert.match(declared, new RegExp(`\\b${key}:`), `${key} in index.d.ts`);
});
