'use strict';
// RTCConfiguration as W3C webrtc-pc writes it: the constructor's checks
// (4.2, 4.4.1.1), getConfiguration / setConfiguration (4.4.1.6, "set a
// configuration"), rtcpMuxPolicy "require" against a remote offer, and
// setConfiguration changing the ICE servers mid-call followed by restartIce().
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, TurnServer } = require('./package-under-test').omnirtc;
const { LOOPBACK, once, negotiate, openPair, selectedPair, waitFor } = require('./helpers');

const domError = (name, pattern) => (error) => error instanceof DOMException && error.name === name
  && pattern.test(error.message);

test('webrtc-pc 4.2 / 4.4.1.1: a malformed ICE server URL is a SyntaxError naming the key', () => {
  for (const urls of ['', 'stun.example.org', 'turn:example.org?transport=xyz', ['stun:a:99999']]) {
    assert.throws(() => new RTCPeerConnection({ iceServers: [{ urls, username: 'u', credential: 'c' }] }),
      domError('SyntaxError', /iceServers\[0\]\.urls/), JSON.stringify(urls));
  }
});

test('webrtc-pc 4.2 / 4.4.1.1: a TURN URL without username or credential is an InvalidAccessError', () => {
  for (const server of [{ urls: 'turn:turn.example.org' }, { urls: 'turns:turn.example.org', username: 'u' },
    { urls: ['stun:stun.example.org', 'turn:turn.example.org'], credential: 'c' }]) {
    assert.throws(() => new RTCPeerConnection({ iceServers: [server] }),
      domError('InvalidAccessError', /iceServers\[0\]\.urls.*username/), JSON.stringify(server));
  }
});

test('webrtc-pc 4.2.1: turns: with empty strings for username and credential is taken', () => {
  const server = { urls: 'turns:turn.example.org', username: '', credential: '' };
  const pc = new RTCPeerConnection({ iceServers: [server] });
  assert.deepEqual(pc.getConfiguration().iceServers, [server]);
  pc.close();
});

test('webrtc-pc 4.2: bundlePolicy null is a TypeError, rtcpMuxPolicy "negotiate" a NotSupportedError', () => {
  assert.throws(() => new RTCPeerConnection({ bundlePolicy: null }),
    (error) => error instanceof TypeError && /bundlePolicy/.test(error.message));
  assert.throws(() => new RTCPeerConnection({ bundlePolicy: 'bogus' }), TypeError);
  assert.throws(() => new RTCPeerConnection({ rtcpMuxPolicy: 'negotiate' }), domError('NotSupportedError', /rtcpMuxPolicy/));
  assert.throws(() => new RTCPeerConnection({ rtcpMuxPolicy: 'bogus' }), TypeError);
});

test('webrtc-pc 4.2.4 / JSEP 5.8: a remote offer without rtcp-mux under "require" is an InvalidAccessError', async () => {
  const offerer = new RTCPeerConnection(LOOPBACK);
  offerer.addTransceiver('audio');
  const offer = await offerer.createOffer();
  const pc = new RTCPeerConnection({ ...LOOPBACK, rtcpMuxPolicy: 'require' });
  await assert.rejects(pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp.replace(/a=rtcp-mux\r\n/g, '') }),
    domError('InvalidAccessError', /rtcp-mux/));
  assert.equal(pc.signalingState, 'stable');
  await pc.setRemoteDescription(offer);
  assert.equal(pc.signalingState, 'have-remote-offer');
  pc.close();
  offerer.close();
});

test('webrtc-pc 4.4.1.6 getConfiguration: the members as given, defaults for the others', () => {
  const pc = new RTCPeerConnection({ iceServers: [{ urls: 'stun:stun.example.org' }, { urls: ['stun:a', 'stun:b'] }],
    bundlePolicy: 'max-bundle', ...LOOPBACK });
  const config = pc.getConfiguration();
  assert.deepEqual(config.iceServers, [{ urls: 'stun:stun.example.org' }, { urls: ['stun:a', 'stun:b'] }]);
  assert.equal(config.bundlePolicy, 'max-bundle');
  assert.equal(config.iceTransportPolicy, 'all');
  assert.equal(config.rtcpMuxPolicy, 'require');
  assert.equal(config.iceCandidatePoolSize, 0);
  assert.deepEqual(config.certificates, []);
  config.bundlePolicy = 'balanced'; // a copy
  assert.equal(pc.getConfiguration().bundlePolicy, 'max-bundle');
  pc.close();
  assert.equal(pc.getConfiguration().bundlePolicy, 'max-bundle');
});

test('webrtc-pc 4.4.1.6 set a configuration: what may not change is an InvalidModificationError', async () => {
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', iceCandidatePoolSize: 1, ...LOOPBACK });
  const same = { bundlePolicy: 'max-bundle', iceCandidatePoolSize: 1 };
  assert.throws(() => pc.setConfiguration({ ...same, bundlePolicy: 'balanced' }),
    domError('InvalidModificationError', /bundlePolicy/));
  assert.throws(() => pc.setConfiguration({ iceCandidatePoolSize: 1 }), // bundlePolicy defaults to balanced
    domError('InvalidModificationError', /bundlePolicy/));
  assert.throws(() => pc.setConfiguration({ ...same, omnirtc: { mdns: 'gather' } }),
    domError('InvalidModificationError', /omnirtc/));
  assert.throws(() => pc.setConfiguration({ ...same, certificates: ['not the one in use'] }),
    domError('InvalidModificationError', /certificates/));
  assert.throws(() => pc.setConfiguration({ ...same, iceServers: [{ urls: 'stun.example.org' }] }),
    domError('SyntaxError', /iceServers\[0\]\.urls/));
  assert.throws(() => pc.setConfiguration({ ...same, iceServers: [{ urls: 'turn:turn.example.org' }] }),
    domError('InvalidAccessError', /username/));
  assert.throws(() => pc.setConfiguration({ ...same, bundlePolicy: null }), TypeError);
  pc.setConfiguration({ ...same, iceCandidatePoolSize: 2, iceTransportPolicy: 'relay' }); // before setLocalDescription
  assert.equal(pc.getConfiguration().iceTransportPolicy, 'relay');
  pc.createDataChannel('x');
  await pc.setLocalDescription();
  assert.throws(() => pc.setConfiguration({ ...same, iceCandidatePoolSize: 3, iceTransportPolicy: 'relay' }),
    domError('InvalidModificationError', /iceCandidatePoolSize/));
  const servers = [{ urls: 'stun:stun.example.org' }];
  pc.setConfiguration({ ...same, iceCandidatePoolSize: 2, iceTransportPolicy: 'relay', iceServers: servers });
  assert.deepEqual(pc.getConfiguration().iceServers, servers);
  assert.deepEqual(pc.getConfiguration().omnirtc, LOOPBACK.omnirtc); // an omitted omnirtc section is kept
  pc.close();
  assert.throws(() => pc.setConfiguration(same), domError('InvalidStateError', /closed/));
});

function turnServer(minPort) {
  return new TurnServer({
    listeners: [{ transport: 'udp', address: '127.0.0.1:0' }],
    relay: { address: '127.0.0.1', minPort, maxPort: minPort + 499 },
    users: { alice: 'wonder' },
  });
}

const relayThrough = (server) => ({
  iceServers: [{ urls: `turn:${server.stats().listeners[0].address}`, username: 'alice', credential: 'wonder' }],
  iceTransportPolicy: 'relay',
});

test('webrtc-pc 4.4.1.6: setConfiguration with new iceServers, then restartIce(): the call goes on through them', async () => {
  const first = turnServer(54000);
  const second = turnServer(54500);
  const [a, b, local, channel] = await openPair({}, { ...relayThrough(first), ...LOOPBACK });
  assert.equal(second.stats().allocationsCreated, 0);

  for (const pc of [a, b]) pc.setConfiguration(relayThrough(second));
  assert.equal(a.getConfiguration().iceServers[0].urls, relayThrough(second).iceServers[0].urls);
  a.restartIce();
  await once(a, 'negotiationneeded');
  await negotiate(a, b);
  await waitFor(() => second.stats().allocationsCreated >= 2);
  const message = once(channel, 'message');
  local.send('after the restart');
  assert.equal((await message).data, 'after the restart');
  // The selected pair is relayed by the second server, on its relay ports.
  const { pair, report } = await selectedPair(a);
  const candidate = report.get(pair.localCandidateId);
  assert.equal(candidate.candidateType, 'relay');
  assert.ok(candidate.port >= 54500 && candidate.port < 55000, JSON.stringify(candidate));
  await waitFor(() => second.stats().bytesRelayed > 0);
  a.close();
  b.close();
  await first.close();
  await second.close();
});
