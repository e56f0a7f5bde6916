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
