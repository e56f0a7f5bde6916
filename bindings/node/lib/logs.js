'use strict';
// The engine's log lines (pion's included) to a function, as node-datachannel's
// initLogger does: setLogger(level, callback) calls callback(level, scope,
// message) on the main thread for each line at level or more severe, scope
// naming the subsystem ('ice', 'dtls', 'sctp', 'pc', 'omnirtc'…).
// setLogger(null) turns it off; without a logger the engine formats nothing.
// A logger never keeps the process alive.
const native = require('./native');
const { C } = require('./constants');
const { w3c } = require('./errors');

/** The levels by name, least verbose first ('Verbose' is the engine's trace). */
const LEVELS = {
  Error: C.LOG_ERROR,
  Warning: C.LOG_WARNING,
  Info: C.LOG_INFO,
  Debug: C.LOG_DEBUG,
  Verbose: C.LOG_TRACE,
};
const NAMES = Object.fromEntries(Object.entries(LEVELS).map(([name, value]) => [value, name]));

let silenceAtExit = false;

/**
 * Sends the engine's lines at level or more severe to callback(level, scope,
 * message), replacing any earlier logger; setLogger(null) (or no callback)
 * turns logging off. Throws TypeError for an unknown level or a callback that
 * is not a function, changing nothing.
 */
function setLogger(level, callback) {
  if (level === null || level === undefined || callback === null || callback === undefined) {
    w3c(() => native.setLogCallback(C.LOG_NONE, null));
    return;
  }
  if (!Object.hasOwn(LEVELS, level)) {
    throw new TypeError(`setLogger: level ${JSON.stringify(level)} is not one of ${Object.keys(LEVELS).join(', ')}`);
  }
  if (typeof callback !== 'function') throw new TypeError('setLogger: callback must be a function');
  w3c(() => native.setLogCallback(LEVELS[level], (value, scope, message) => {
    callback(NAMES[value], scope, message);
  }));
  if (!silenceAtExit) {
    // no line may reach a function that process.exit() is tearing down
    process.once('exit', () => native.setLogCallback(C.LOG_NONE, null));
    silenceAtExit = true;
  }
}

module.exports = { setLogger };
