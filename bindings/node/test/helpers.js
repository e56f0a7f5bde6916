'use strict';
// Shared by the tests: they run in a private network namespace (see
// scripts/test-node.sh) where peers talk over loopback.
const { RTCPeerConnection } = require('./package-under-test').omnirtc;

const LOOPBACK = { omnirtc: { includeLoopback: true, mdns: 'disabled' } };
const TIMEOUT = 20000;

/** Resolves with the next `type` event of target; rejects after TIMEOUT. */
function once(target, type, timeout = TIMEOUT) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for '${type}'`)), timeout);
    target.addEventListener(type, (event) => { clearTimeout(timer); resolve(event); }, { once: true });
  });
}

/** Trickle ICE between two W3C peer connections (any library), queueing
 * candidates that arrive before the remote description. */
function trickle(a, b) {
  for (const [from, to] of [[a, b], [b, a]]) {
    const queued = [];
    from.addEventListener('icecandidate', ({ candidate }) => {
      if (!candidate) return;
      if (to.remoteDescription) to.addIceCandidate(candidate).catch(() => {});
      else queued.push(candidate);
    });
    to.addEventListener('signalingstatechange', () => {
      if (to.remoteDescription) for (const c of queued.splice(0)) to.addIceCandidate(c).catch(() => {});
    });
  }
}

async function negotiate(a, b) {
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
}

/** Two connected omnirtc peers and one open channel: [a, b, local, remote]. */
async function openPair(init = {}, config = LOOPBACK) {
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  trickle(a, b);
  const local = a.createDataChannel('test', init);
  const remote = once(b, 'datachannel').then((e) => e.channel);
  const opened = once(local, 'open');
  await negotiate(a, b);
  const [channel] = await Promise.all([remote, opened]);
  return [a, b, local, channel];
}

/** Waits until condition() is true. */
async function waitFor(condition, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The candidate-pair stats of the pair ICE selected (nominated and succeeded), and the report. */
async function selectedPair(pc, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const report = await pc.getStats();
    const pair = [...report.values()].find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
    if (pair) return { pair, report };
    if (Date.now() > deadline) throw new Error(`no selected candidate pair in ${JSON.stringify([...report.values()])}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

module.exports = { LOOPBACK, TIMEOUT, once, trickle, negotiate, openPair, selectedPair, waitFor };
