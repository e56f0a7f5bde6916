'use strict';
// TurnServer: two peers of this process relayed through a server on loopback,
// events, stats, REST credentials, bad configuration. (Relaying across
// network namespaces is scripts/test-nat.sh.)
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, TurnServer } = require('./package-under-test').omnirtc;
const { once, trickle, negotiate, selectedPair, waitFor } = require('./helpers');

const CONFIG = {
  listeners: [{ transport: 'udp', address: '127.0.0.1:0' }],
  relay: { address: '127.0.0.1', minPort: 53000, maxPort: 53999 },
  users: { alice: 'wonder' },
  sharedSecret: 'north',
};

function relayConfig(server, username, credential) {
  const address = server.stats().listeners[0].address;
  return {
    iceServers: [{ urls: `turn:${address}`, username, credential }],
    iceTransportPolicy: 'relay',
    omnirtc: { includeLoopback: true, mdns: 'disabled' },
  };
}

async function relayedEcho(config) {
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  trickle(a, b);
  const local = a.createDataChannel('relayed');
  const remote = once(b, 'datachannel').then((e) => e.channel);
  const opened = once(local, 'open');
  await negotiate(a, b);
  const [channel] = await Promise.all([remote, opened]);
  const message = once(channel, 'message');
  local.send('through the relay');
  assert.equal((await message).data, 'through the relay');
  const { pair, report } = await selectedPair(a);
  assert.equal(report.get(pair.localCandidateId).candidateType, 'relay');
  assert.equal(report.get(pair.remoteCandidateId).candidateType, 'relay');
  a.close();
  b.close();
}

/** A peer using these credentials gathers no relay candidate; the server counts the failure. */
async function expectRefused(server, username, credential) {
  const failures = server.stats().authFailures;
  const pc = new RTCPeerConnection(relayConfig(server, username, credential));
  pc.createDataChannel('x');
  await pc.setLocalDescription(await pc.createOffer());
  await waitFor(() => pc.iceGatheringState === 'complete');
  assert.doesNotMatch(pc.localDescription.sdp, /typ relay/);
  pc.close();
  await waitFor(() => server.stats().authFailures > failures);
}

test('peers relay through the server, with events and stats', async () => {
  const server = new TurnServer(CONFIG);
  const created = [];
  const deleted = [];
  server.addEventListener('allocationcreated', (e) => created.push(e));
  server.onallocationdeleted = (e) => deleted.push(e);
  await relayedEcho(relayConfig(server, 'alice', 'wonder'));
  const stats = server.stats();
  assert.ok(stats.allocationsCreated >= 2 && stats.bytesRelayed > 0, JSON.stringify(stats));
  const closed = once(server, 'close');
  await server.close();
  await closed;
  await server.close(); // idempotent
  assert.ok(created.length >= 2);
  assert.equal(deleted.length, created.length);
  assert.equal(created[0].username, 'alice');
  assert.match(created[0].relayAddress, /^127\.0\.0\.1:/);
  assert.throws(() => server.stats(), { name: 'InvalidStateError' });
});

test('REST credentials: valid relays, expired is refused', async () => {
  const server = new TurnServer(CONFIG);
  const { username, credential } = TurnServer.restCredential('north', 'dave', 600);
  await relayedEcho(relayConfig(server, username, credential));
  const expired = TurnServer.restCredential('north', 'erin', -60);
  await expectRefused(server, expired.username, expired.credential);
  await server.close();
});

test('the auth function decides users neither static nor REST', async () => {
  const asked = [];
  const server = new TurnServer(CONFIG, {
    auth: (username, realm) => {
      asked.push(username);
      if (username === 'mallory') throw new Error('refuse by throwing');
      return username === 'carol' && realm === 'omnirtc' ? 'from-node' : null;
    },
  });
  await relayedEcho(relayConfig(server, 'carol', 'from-node'));
  assert.ok(asked.includes('carol'));
  await expectRefused(server, 'mallory', 'x');
  await server.close();
  assert.throws(() => new TurnServer(CONFIG, { auth: 'no' }), TypeError);
});

test('bad configuration is a TypeError naming the key; a taken address an OperationError', async () => {
  assert.throws(() => new TurnServer({ ...CONFIG, listen: true }), { name: 'TypeError', message: /"listen"/ });
  const server = new TurnServer(CONFIG);
  const taken = server.stats().listeners[0].address;
  assert.throws(() => new TurnServer({ ...CONFIG, listeners: [{ transport: 'udp', address: taken }] }),
    { name: 'OperationError' });
  assert.throws(() => TurnServer.restCredential('s', 'a:b'), TypeError);
  await server.close();
});

test('events come in order from the library queue, none lost in a burst, nothing after close', async () => {
  const server = new TurnServer(CONFIG);
  const log = [];
  for (const type of ['allocationcreated', 'allocationdeleted', 'close']) {
    server.addEventListener(type, (e) => log.push({ type, client: e.clientAddress }));
  }
  const peers = Array.from({ length: 10 }, () => new RTCPeerConnection(relayConfig(server, 'alice', 'wonder')));
  for (const pc of peers) pc.createDataChannel('x');
  await Promise.all(peers.map(async (pc) => pc.setLocalDescription(await pc.createOffer())));
  // The main thread stays busy until every allocation exists and the server is
  // closed: the whole burst, deletions and CLOSED wait in the library's queue.
  while (server.stats().allocations < peers.length) { /* the allocations are made on library threads */ }
  assert.equal(log.length, 0);
  const closed = server.close();
  for (const pc of peers) pc.close();
  await closed;
  const created = log.filter((e) => e.type === 'allocationcreated');
  const deleted = log.filter((e) => e.type === 'allocationdeleted');
  assert.ok(created.length >= peers.length, JSON.stringify(log));
  assert.equal(deleted.length, created.length);
  for (const d of deleted) {
    const at = log.indexOf(d);
    assert.ok(log.findIndex((e) => e.type === 'allocationcreated' && e.client === d.client) < at);
  }
  assert.equal(log.at(-1).type, 'close');
  assert.equal(log.length, 2 * created.length + 1);
  await new Promise((resolve) => setTimeout(resolve, 0)); // one more turn of the loop: still nothing after close
  assert.equal(log.at(-1).type, 'close');
});
