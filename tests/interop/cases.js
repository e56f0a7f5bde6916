// The interop cases, written once: each runs against every library peer
// (C, Python, Node) with a browser on the other side. `s` is a Session.
'use strict';
const assert = require('node:assert/strict');

const MIB = 1 << 20;
const BOTH = ['browser', 'library'];
const other = (side) => (side === 'browser' ? 'library' : 'browser');

/** `offerer` opens channel `label` and negotiates the call. */
function connect(s, offerer, label = 'chat', init = {}) {
  return s.openChannel(offerer, label, init, { negotiate: true });
}

async function bothWays(s, label, options) {
  for (const from of BOTH) await s.transfer(from, label, options);
}

const connected = (st) => st.connection === 'connected' && ['connected', 'completed'].includes(st.ice);

const cases = [];
// mdns: also run with the browser's addresses behind mDNS names;
// browsers: only with these browsers (default: all).
const add = (name, run, { mdns = false, browsers } = {}) => cases.push({ name, run, mdns, browsers });

for (const offerer of BOTH) {
  add(`${offerer} offers; text both ways`, async (s) => {
    await connect(s, offerer);
    await bothWays(s, 'chat', { binary: false, size: 1000, count: 20 });
  }, { mdns: true });
}

add('binary both ways, reliable and ordered', async (s) => {
  await connect(s, 'browser');
  await bothWays(s, 'chat', { binary: true, size: 4000, count: 50 });
}, { mdns: true });

for (const opener of BOTH) {
  add(`unordered channel opened by the ${opener}, both ways`, async (s) => {
    const remote = await connect(s, opener, 'unordered', { ordered: false });
    assert.equal(remote.ordered, false);
    await bothWays(s, 'unordered', { size: 1000, count: 100, ordered: false });
  });
}

add('unreliable (maxRetransmits 0, unordered), both ways', async (s) => {
  const remote = await connect(s, 'browser', 'lossy', { ordered: false, maxRetransmits: 0 });
  assert.equal(remote.ordered, false);
  assert.equal(remote.maxRetransmits, 0);
  // paced, so that loopback loses nothing and every message can be counted
  await bothWays(s, 'lossy', { size: 1000, count: 50, ordered: false, pace: true });
});

add('unreliable (maxPacketLifeTime 500 ms, ordered), both ways', async (s) => {
  const remote = await connect(s, 'library', 'timed', { maxPacketLifeTime: 500 });
  assert.equal(remote.ordered, true);
  assert.equal(remote.maxPacketLifeTime, 500);
  await bothWays(s, 'timed', { size: 1000, count: 50, pace: true });
});

// Chromium caps max-message-size at 256 KiB (a=max-message-size:262144) and
// enforces it on its own sends, so a 1 MiB message cannot cross in either
// direction: both sides must refuse it, and the largest allowed one arrives.
add('1 MiB refused both ways (Chromium\'s max-message-size is 256 KiB); 256 KiB delivered both ways', async (s) => {
  await connect(s, 'library');
  for (const side of BOTH) {
    const st = await s.state(side);
    assert.equal(st.maxMessageSize, 256 * 1024, `${side}: sctp.maxMessageSize`);
    await assert.rejects(s.side(side).call('send', { label: 'chat', binary: true, size: MIB, count: 1 }), /./, `${side} refuses 1 MiB`);
  }
  await bothWays(s, 'chat', { size: 256 * 1024, count: 2 });
  for (const side of BOTH) assert.equal((await s.state(side)).channels.chat, 'open', `${side}: the channel stays open`);
}, { browsers: ['chromium'] });

// Firefox accepts messages up to 1 GiB (a=max-message-size:1073741823).
add('a 1 MiB message both ways', async (s) => {
  await connect(s, 'browser');
  await bothWays(s, 'chat', { size: MIB, count: 1 });
}, { browsers: ['firefox'] });

for (const from of BOTH) {
  add(`16 MiB byte-identical, ${from} to ${other(from)}`, async (s) => {
    await connect(s, from);
    await s.transfer(from, 'chat', { size: 64 * 1024, count: 256 });
  }, { mdns: from === 'library' });
}

for (const initiator of BOTH) {
  add(`ICE restart started by the ${initiator}`, async (s) => {
    await connect(s, 'browser');
    const before = s.ufrags().length;
    await s.negotiate(initiator, { iceRestart: true });
    const [offer, answer] = s.ufrags().slice(before);
    const [oldOffer, oldAnswer] = s.ufrags().slice(0, 2);
    assert.equal(offer.from, initiator);
    assert.notEqual(offer.ufrag, (oldOffer.from === initiator ? oldOffer : oldAnswer).ufrag, 'new local credentials');
    assert.notEqual(answer.ufrag, (oldOffer.from === initiator ? oldAnswer : oldOffer).ufrag, 'new remote credentials');
    for (const side of BOTH) await s.until(side, connected);
    await bothWays(s, 'chat', { size: 1000, count: 20 });
  });

  add(`renegotiation started by the ${initiator}: a channel added mid-call`, async (s) => {
    await connect(s, 'browser');
    const remote = await s.openChannel(initiator, 'added', { protocol: 'mid-call' }, { negotiate: true });
    assert.equal(remote.protocol, 'mid-call');
    await bothWays(s, 'added', { size: 1000, count: 20 });
    await bothWays(s, 'chat', { size: 1000, count: 20 });
  });

  add(`channel closed by the ${initiator} is seen closed by the ${other(initiator)}`, async (s) => {
    await connect(s, 'browser');
    const m = s.side(other(initiator)).mark();
    await s.side(initiator).call('close', { label: 'chat' });
    await s.side(other(initiator)).waitFor({ ev: 'close', label: 'chat' }, m);
    await s.side(initiator).waitFor({ ev: 'close', label: 'chat' });
  });

  add(`peer connection closed by the ${initiator} is seen by the ${other(initiator)}`, async (s) => {
    await connect(s, 'browser');
    const m = s.side(other(initiator)).mark();
    await s.side(initiator).call('closePeer');
    await s.side(other(initiator)).waitFor({ ev: 'close', label: 'chat' }, m);
  });
}

module.exports = { cases };
