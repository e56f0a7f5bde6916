'use strict';
// W3C webrtc-pc 4.4.1.6 ("set a configuration"): iceTransportPolicy may be
// changed by setConfiguration after gathering began; the new policy applies
// from the next gathering, the ICE restart that follows.
const test = require('node:test');
const assert = require('node:assert/strict');
const { TurnServer } = require('./package-under-test').omnirtc;
const { LOOPBACK, once, negotiate, openPair, waitFor } = require('./helpers');

const RELAY_PORTS = [55200, 55299];

test('webrtc-pc 4.4.1.6: iceTransportPolicy changed to "relay" mid-call applies at restartIce(): relay candidates only, the call goes on through the TURN server', async () => {
  const server = new TurnServer({
    listeners: [{ transport: 'udp', address: '127.0.0.1:0' }],
    relay: { address: '127.0.0.1', minPort: RELAY_PORTS[0], maxPort: RELAY_PORTS[1] },
    users: { alice: 'wonder' },
  });
  const [a, b, local, remote] = await openPair(); // over host candidates
  const gathered = [];
  a.addEventListener('icecandidate', ({ candidate }) => { if (candidate?.candidate) gathered.push(candidate); });

  a.setConfiguration({
    ...LOOPBACK,
    iceServers: [{ urls: `turn:${server.stats().listeners[0].address}`, username: 'alice', credential: 'wonder' }],
    iceTransportPolicy: 'relay',
  });
  assert.equal(a.getConfiguration().iceTransportPolicy, 'relay');
  a.restartIce();
  await once(a, 'negotiationneeded');
  await negotiate(a, b);

  // The selected pair's local candidate is a relayed one of this server.
  let relayed;
  await waitFor(() => {
    const pair = a.sctp.transport.iceTransport.getSelectedCandidatePair();
    relayed = pair?.local;
    return relayed?.type === 'relay';
  });
  assert.equal(relayed.address, '127.0.0.1');
  assert.ok(relayed.port >= RELAY_PORTS[0] && relayed.port <= RELAY_PORTS[1], `relay port ${relayed.port}`);
  assert.ok(gathered.length > 0 && gathered.every((c) => c.type === 'relay'),
    `candidates gathered after the change: ${gathered.map((c) => c.candidate).join('; ')}`);
  const message = once(remote, 'message');
  local.send('through the relay');
  assert.equal((await message).data, 'through the relay');
  await waitFor(() => server.stats().bytesRelayed > 0);
  a.close();
  b.close();
  await server.close();
});
