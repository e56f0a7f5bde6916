'use strict';
// setLogger(level, callback): the engine's log lines on the main thread.
// An ICE failure (webrtc-pc 4.4.4, RTCIceConnectionState "failed") can be
// followed in the 'ice' scope, the level filters at the engine, setLogger(null)
// stops delivery, and a logger does not keep the process alive.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { RTCPeerConnection, setLogger } = require('./package-under-test').omnirtc;
const { LOOPBACK, waitFor } = require('./helpers');

// the ICE agent gives up once checking has lasted the two timeouts together
const FAST_FAIL = { omnirtc: { ...LOOPBACK.omnirtc, iceDisconnectedTimeoutMs: 200, iceFailedTimeoutMs: 300 } };
const ORDER = ['Error', 'Warning', 'Info', 'Debug', 'Verbose'];

/** a checks the candidates of b, closed before a has its answer: a's ICE fails. */
async function iceFailure() {
  const a = new RTCPeerConnection(FAST_FAIL);
  const b = new RTCPeerConnection(LOOPBACK);
  try {
    a.createDataChannel('x');
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription(await b.createAnswer());
    await waitFor(() => b.iceGatheringState === 'complete');
    const answer = b.localDescription;
    b.close();
    await a.setRemoteDescription(answer);
    await waitFor(() => a.iceConnectionState === 'failed');
  } finally {
    a.close();
    b.close();
  }
}

/** Every line logged at level while fn runs. */
async function linesDuring(level, fn) {
  const lines = [];
  setLogger(level, (lineLevel, scope, message) => lines.push({ level: lineLevel, scope, message }));
  try {
    await fn();
  } finally {
    setLogger(null);
  }
  return lines;
}

test('an ICE failure is logged in the ice scope', async () => {
  const lines = await linesDuring('Debug', iceFailure);
  const ice = lines.filter((l) => l.scope === 'ice');
  assert.ok(ice.some((l) => /failed/i.test(l.message)), JSON.stringify(ice.slice(-5)));
  assert.ok(lines.some((l) => l.level === 'Debug'));
  for (const l of lines) {
    assert.ok(ORDER.slice(0, 4).includes(l.level), l.level);
    assert.equal(typeof l.scope, 'string');
    assert.equal(typeof l.message, 'string');
  }
});

test('the level filters at the engine: Info gets no Debug or Verbose line', async () => {
  const lines = await linesDuring('Info', iceFailure);
  assert.ok(lines.length > 0);
  for (const l of lines) assert.ok(ORDER.slice(0, 3).includes(l.level), l.level);
});

test('setLogger(null) stops delivery, also of the lines already on their way', async () => {
  let calls = 0;
  const a = new RTCPeerConnection(LOOPBACK); // a burst of lines: gathering at Verbose
  setLogger('Verbose', () => {
    calls++;
    setLogger(null); // from the callback: the queued lines are dropped
  });
  await a.setLocalDescription(await a.createOffer());
  await waitFor(() => calls > 0);
  await iceFailure(); // more lines, none delivered
  await new Promise((resolve) => setImmediate(resolve));
  a.close();
  assert.equal(calls, 1);
});

test('a new logger replaces the old one', async () => {
  const first = [];
  const second = [];
  setLogger('Debug', (...line) => first.push(line));
  setLogger('Debug', (...line) => second.push(line));
  try {
    await iceFailure();
  } finally {
    setLogger(null);
  }
  assert.equal(first.length, 0);
  assert.ok(second.length > 0);
});

test('setLogger rejects an unknown level or a callback that is not a function', () => {
  assert.throws(() => setLogger('Loud', () => {}), (e) => e instanceof TypeError && /Loud/.test(e.message));
  assert.throws(() => setLogger('Info', 'console.log'), TypeError);
});

test('a logger does not keep the process alive', async () => {
  const code = `const { omnirtc } = require(${JSON.stringify(path.join(__dirname, 'package-under-test'))});
    omnirtc.setLogger('Verbose', () => {});
    const pc = new omnirtc.RTCPeerConnection();
    pc.close();`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
  const [exitCode, signal] = await new Promise((resolve) => child.on('exit', (...r) => resolve(r)));
  clearTimeout(timer);
  assert.equal(signal, null, 'killed: the logger held the process');
  assert.equal(exitCode, 0, err);
});

test('webrtc-pc 4.4.1.1: a malformed ICE server URL is a SyntaxError naming the URL and why', () => {
  for (const [url, why] of [['stun.example.org', /scheme/], ['stun:a:99999', /port 99999/]]) {
    assert.throws(() => new RTCPeerConnection({ iceServers: [{ urls: ['stun:fine.example.org', url] }] }),
      (e) => e instanceof DOMException && e.name === 'SyntaxError' && e.message.includes(`"${url}"`)
        && why.test(e.message), url);
  }
});
