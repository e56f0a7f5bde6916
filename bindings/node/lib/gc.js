'use strict';
// The library's garbage collector settings (omnirtc_set_gc): Go's GOGC and
// GOMEMLIMIT, which a Node process cannot put in the environment of a
// library it has already loaded.
const native = require('./native');
const { w3c } = require('./errors');

/**
 * Sets the collector process-wide: percent is GOGC (-1 for off, else
 * 1..1000000; Go's default 100), memoryLimitBytes GOMEMLIMIT (0 for none).
 * Throws TypeError for other values, changing nothing.
 */
function setGC({ percent = 100, memoryLimitBytes = 0 } = {}) {
  if (!Number.isSafeInteger(percent) || !Number.isSafeInteger(memoryLimitBytes)) {
    throw new TypeError(`setGC: percent ${percent} and memoryLimitBytes ${memoryLimitBytes} must be integers`);
  }
  w3c(() => native.setGc(percent, memoryLimitBytes));
}

/** The collector settings in force: { percent, memoryLimitBytes }, as setGC takes them. */
function getGC() {
  const [percent, memoryLimitBytes] = w3c(() => native.getGc());
  return { percent, memoryLimitBytes };
}

module.exports = { setGC, getGC };
