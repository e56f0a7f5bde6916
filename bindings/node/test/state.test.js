'use strict';
// State attributes are the library's current state when the call that changed
// it returns (W3C: before its promise resolves), and each state event's
// listeners see the state that event reports.
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection } = require('./package-under-test').omnirtc;
const { LOOPBACK, once, trickle, waitFor } = require('./helpers');

/** The states `target`'s listeners saw, one per `type` event. */
function seen(target, type, read) {
  const states = [];
  target.addEventListener(type, () => states.push(read()));
  return states;
}

test('signaling state and descriptions are current when each negotiation step resolves', async () => {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  trickle(a, b);
  const aSignaling = seen(a, 'signalingstatechange', () => a.signalingState);
  const bSignaling = seen(b, 'signalingstatechange', () => b.signalingState);
  const local = a.createDataChannel('state');
  const transceiver = a.addTransceiver('audio', { direction: 'sendonly' });
  assert.equal(transceiver.currentDirection, null);

  await a.setLocalDescription(await a.createOffer());
  assert.equal(a.signalingState, 'have-local-offer');
  assert.equal(a.pendingLocalDescription.type, 'offer');
  assert.equal(a.localDescription.type, 'offer');
  assert.equal(a.currentLocalDescription, null);

  await b.setRemoteDescription(a.localDescription);
  assert.equal(b.signalingState, 'have-remote-offer');
  assert.equal(b.pendingRemoteDescription.type, 'offer');
  assert.equal(b.currentRemoteDescription, null);

  await b.setLocalDescription(await b.createAnswer());
  assert.equal(b.signalingState, 'stable');
  assert.equal(b.currentLocalDescription.type, 'answer');
  assert.equal(b.currentRemoteDescription.type, 'offer');
  assert.equal(b.pendingRemoteDescription, null);

  await a.setRemoteDescription(b.localDescription);
  assert.equal(a.signalingState, 'stable');
  assert.equal(a.currentRemoteDescription.type, 'answer');
  assert.equal(a.pendingLocalDescription, null);
  assert.equal(transceiver.currentDirection, 'sendonly');

  // The events came before each call resolved, each seen with the state it reports.
  assert.deepEqual(aSignaling, ['have-local-offer', 'stable']);
  assert.deepEqual(bSignaling, ['have-remote-offer', 'stable']);
  if (local.readyState !== 'open') await once(local, 'open');
  a.close();
  assert.equal(a.signalingState, 'closed');
  assert.equal(a.connectionState, 'closed');
  assert.equal(a.iceConnectionState, 'closed');
  assert.equal(local.readyState, 'closed');
  b.close();
});

test('webrtc-pc 4.4.1.5: signalingstatechange fires before the description call resolves, gathering after', async () => {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  const log = [];
  for (const [pc, name] of [[a, 'a'], [b, 'b']]) {
    pc.addEventListener('signalingstatechange', () => log.push(`${name} ${pc.signalingState}`));
    pc.addEventListener('icegatheringstatechange', () => log.push(`${name} gathering ${pc.iceGatheringState}`));
    pc.addEventListener('icecandidate', ({ candidate }) => log.push(`${name} candidate${candidate ? '' : ' end'}`));
  }
  a.createDataChannel('order');
  const resolved = (name, call) => call.then(() => log.push(`${name} resolved`));
  await resolved('a offer', a.setLocalDescription());
  assert.deepEqual(log, ['a have-local-offer', 'a offer resolved']);
  await resolved('b offer', b.setRemoteDescription(a.localDescription));
  await resolved('b answer', b.setLocalDescription());
  await resolved('a answer', a.setRemoteDescription(b.localDescription));
  for (const [name, state, step] of [['a', 'stable', 'a answer'], ['b', 'have-remote-offer', 'b offer'],
    ['b', 'stable', 'b answer']]) {
    assert.ok(log.indexOf(`${name} ${state}`) < log.indexOf(`${step} resolved`), log.join(', '));
  }
  // gathering starts after the offer's promise resolved, its candidates after that
  await waitFor(() => log.includes('a candidate end'));
  const gathering = log.indexOf('a gathering gathering');
  assert.ok(gathering > log.indexOf('a offer resolved'), log.join(', '));
  assert.ok(log.indexOf('a candidate') > gathering, log.join(', '));
  a.close();
  b.close();
});

test('webrtc-pc 5.6: ICE is new, not checking, until a remote candidate arrives', async () => {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  const candidates = new Map([[a, []], [b, []]]);
  const ice = new Map([[a, []], [b, []]]);
  const gathered = [];
  for (const pc of [a, b]) {
    gathered.push(new Promise((resolve) => pc.addEventListener('icecandidate', ({ candidate }) => {
      if (candidate) candidates.get(pc).push(candidate);
      else resolve();
    })));
    pc.addEventListener('iceconnectionstatechange', () => ice.get(pc).push(pc.iceConnectionState));
  }
  a.createDataChannel('late');
  const offer = await a.createOffer(); // before gathering: no candidates in either description
  await a.setLocalDescription(offer);
  await b.setRemoteDescription(offer);
  const answer = await b.createAnswer();
  await b.setLocalDescription(answer);
  await a.setRemoteDescription(answer);
  await Promise.all(gathered);
  for (const pc of [a, b]) {
    assert.deepEqual([pc.iceConnectionState, pc.connectionState, ice.get(pc)], ['new', 'new', []]);
  }
  for (const candidate of candidates.get(b)) await a.addIceCandidate(candidate);
  for (const candidate of candidates.get(a)) await b.addIceCandidate(candidate);
  // the events, not the getters, which may run ahead of them
  await waitFor(() => ice.get(a).includes('connected') && ice.get(b).includes('connected'));
  for (const pc of [a, b]) assert.deepEqual(ice.get(pc).slice(0, 2), ['checking', 'connected']);
  a.close();
  b.close();
});

test('each state event is seen with the state it reports, channel states are current', async () => {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  trickle(a, b);
  const connection = seen(a, 'connectionstatechange', () => a.connectionState);
  const ice = seen(a, 'iceconnectionstatechange', () => a.iceConnectionState);
  const local = a.createDataChannel('state');
  const opened = once(local, 'open').then(() => local.readyState);
  const remote = once(b, 'datachannel').then(({ channel }) => [channel, channel.readyState]);
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription);
  const [channel, announcedAs] = await remote;
  assert.equal(announcedAs, 'open');
  assert.equal(await opened, 'open');
  await waitFor(() => connection.includes('connected') && ice.includes('connected'));
  assert.deepEqual(connection, ['connecting', 'connected']);
  assert.deepEqual(ice.slice(0, 2), ['checking', 'connected']);

  const closing = once(channel, 'close');
  local.close();
  assert.equal(local.readyState, 'closing');
  await closing;
  assert.equal(channel.readyState, 'closed');
  a.close();
  b.close();
});

test('perfect negotiation: glare is seen right after setLocalDescription resolves', async () => {
  // Both sides make an offer at once. The W3C perfect negotiation pattern
  // finds the collision from signalingState read right after the awaited
  // setLocalDescription; a stale 'stable' there makes the impolite side
  // apply the other's offer. (The rollback that follows: rollback.test.js.)
  const peers = [new RTCPeerConnection(LOOPBACK), new RTCPeerConnection(LOOPBACK)];
  const sides = peers.map((pc, i) => ({ pc, polite: i === 1, makingOffer: false, offer: null }));
  for (const side of sides) side.pc.createDataChannel('glare');
  await Promise.all(sides.map(async (side) => {
    side.makingOffer = true;
    try {
      await side.pc.setLocalDescription();
      side.offer = side.pc.localDescription;
    } finally {
      side.makingOffer = false;
    }
  }));
  for (const [side, other] of [[sides[0], sides[1]], [sides[1], sides[0]]]) {
    assert.equal(side.pc.signalingState, 'have-local-offer');
    const collision = other.offer.type === 'offer' && (side.makingOffer || side.pc.signalingState !== 'stable');
    assert.ok(collision, `${side.polite ? 'polite' : 'impolite'} side sees the collision`);
  }
  // Without glare, the answerer's state is current after setRemoteDescription.
  const [a, b] = peers;
  const fresh = new RTCPeerConnection(LOOPBACK);
  await fresh.setRemoteDescription(a.localDescription);
  assert.equal(fresh.signalingState, 'have-remote-offer');
  const collision = a.localDescription.type === 'offer' && fresh.signalingState !== 'stable';
  assert.ok(collision, 'a second offer while one is pending is a collision');
  for (const pc of [a, b, fresh]) pc.close();
});
