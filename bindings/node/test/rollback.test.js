'use strict';
// Rollback (W3C webrtc-pc 4.4.1.5 setLocalDescription, 4.4.1.6 "set the
// RTCSessionDescription"), the transceiver.direction setter (5.4), and the
// perfect negotiation pattern that needs both.
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, EncodedTrack } = require('./package-under-test').omnirtc;
const { LOOPBACK, negotiate, once, trickle, waitFor } = require('./helpers');

const ROLLBACK = { type: 'rollback' };

test('4.4.1.6: a rollback without a pending offer is an InvalidStateError', async () => {
  const pc = new RTCPeerConnection(LOOPBACK);
  await assert.rejects(pc.setLocalDescription(ROLLBACK), { name: 'InvalidStateError' });
  await assert.rejects(pc.setRemoteDescription(ROLLBACK), { name: 'InvalidStateError' });
  assert.equal(pc.signalingState, 'stable');
  pc.close();
  await assert.rejects(pc.setLocalDescription(ROLLBACK), { name: 'InvalidStateError' });
});

test('4.4.1.6: rolling back a local offer returns to stable, drops the pending description and the mids it gave', async () => {
  const pc = new RTCPeerConnection(LOOPBACK);
  const states = [];
  pc.addEventListener('signalingstatechange', () => states.push(pc.signalingState));
  const transceiver = pc.addTransceiver('audio');
  pc.createDataChannel('kept');
  // Taken in "stable", before the offer: once it is set, the event waits for
  // "stable" again (webrtc-pc 4.7.3, update the negotiation-needed flag), and
  // whether the engine checked before or after that was a race (it lost on
  // one core).
  await once(pc, 'negotiationneeded');
  await pc.setLocalDescription();
  assert.equal(pc.signalingState, 'have-local-offer');
  assert.equal(transceiver.mid, '0');
  const renegotiate = once(pc, 'negotiationneeded');
  await pc.setLocalDescription(ROLLBACK);
  assert.equal(pc.signalingState, 'stable');
  assert.equal(pc.localDescription, null);
  assert.equal(pc.pendingLocalDescription, null);
  assert.equal(transceiver.mid, null, 'a transceiver no current description associates loses its mid');
  await waitFor(() => states.length === 2);
  assert.deepEqual(states, ['have-local-offer', 'stable']);
  await renegotiate; // what the offer carried still needs negotiating
  // The same rollback through setRemoteDescription (JSEP 5.7: either method).
  await pc.setLocalDescription();
  await pc.setRemoteDescription(ROLLBACK);
  assert.equal(pc.signalingState, 'stable');
  pc.close();
});

test('4.4.1.6: rolling back a remote offer restores the current description; an implicit rollback takes the other offer', async () => {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  trickle(a, b);
  a.createDataChannel('first');
  await negotiate(a, b);
  await waitFor(() => a.connectionState === 'connected' && b.connectionState === 'connected');
  const current = b.remoteDescription.sdp;
  const states = [];
  a.addEventListener('signalingstatechange', () => states.push(a.signalingState));
  a.addTransceiver('video');
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription);
  assert.equal(b.signalingState, 'have-remote-offer');
  await b.setLocalDescription(ROLLBACK);
  assert.equal(b.signalingState, 'stable');
  assert.equal(b.pendingRemoteDescription, null);
  assert.equal(b.remoteDescription.sdp, current);
  assert.doesNotMatch(b.remoteDescription.sdp, /m=video/);
  await assert.rejects(b.createAnswer(), { name: 'InvalidStateError' });
  // b then makes its own offer, which a takes by rolling its own back.
  b.createDataChannel('b');
  const remote = once(a, 'datachannel');
  await b.setLocalDescription();
  assert.doesNotMatch(b.localDescription.sdp, /m=video/, 'the rolled back offer left no transceiver');
  await a.setRemoteDescription(b.localDescription);
  assert.equal(a.signalingState, 'have-remote-offer');
  await waitFor(() => states.length === 3);
  assert.deepEqual(states, ['have-local-offer', 'stable', 'have-remote-offer'], 'the implicit rollback, then the offer');
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription);
  assert.equal((await remote).channel.label, 'b');
  a.close();
  b.close();
});

test('5.4: the direction setter changes direction and fires negotiationneeded; currentDirection waits for negotiation', async () => {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  trickle(a, b);
  let needed = 0;
  a.addEventListener('negotiationneeded', () => needed++);
  const transceiver = a.addTransceiver('audio');
  // addTransceiver's event, in "stable": after the offer it would wait for
  // "stable" again (webrtc-pc 4.7.3), and so be counted after the setter's
  await waitFor(() => needed === 1);
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription);
  assert.equal(transceiver.currentDirection, 'sendonly'); // b has nothing to send: it answered recvonly
  // pion's work of the negotiation done (which would update the
  // negotiation-needed flag whatever the setter did)
  await waitFor(() => needed === 1 && a.connectionState === 'connected');
  transceiver.direction = 'recvonly';
  assert.equal(transceiver.direction, 'recvonly');
  assert.equal(transceiver.currentDirection, 'sendonly');
  await waitFor(() => needed === 2, 5000);
  transceiver.direction = 'inactive';
  transceiver.direction = 'upwards'; // not an RTCRtpTransceiverDirection: ignored (WebIDL)
  assert.equal(transceiver.direction, 'inactive');
  assert.equal(transceiver.currentDirection, 'sendonly', 'unchanged until negotiated');
  await a.setLocalDescription();
  assert.match(a.localDescription.sdp, /a=inactive/);
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription);
  assert.equal(transceiver.currentDirection, 'inactive');
  transceiver.stop();
  assert.throws(() => { transceiver.direction = 'sendrecv'; }, { name: 'InvalidStateError' });
  a.close();
  b.close();
});

/** MDN's perfect negotiation pattern on pc; send delivers to the other peer.
 * Returns the message handler and counters of collisions seen. */
function perfectNegotiation(pc, polite, send, failures) {
  const seen = { makingOffer: false, ignoreOffer: false, collisions: 0, ignored: 0 };
  pc.addEventListener('negotiationneeded', async () => {
    try {
      seen.makingOffer = true;
      await pc.setLocalDescription();
      send({ description: pc.localDescription });
    } catch (err) {
      failures.push(err);
    } finally {
      seen.makingOffer = false;
    }
  });
  pc.addEventListener('icecandidate', ({ candidate }) => send({ candidate }));
  const receive = async ({ description, candidate }) => {
    try {
      if (description) {
        const collision = description.type === 'offer' && (seen.makingOffer || pc.signalingState !== 'stable');
        if (collision) seen.collisions++;
        seen.ignoreOffer = !polite && collision;
        if (seen.ignoreOffer) {
          seen.ignored++;
          return;
        }
        await pc.setRemoteDescription(description); // rolls a local offer back (4.4.1.6)
        if (description.type === 'offer') {
          await pc.setLocalDescription();
          send({ description: pc.localDescription });
        }
      } else if (candidate) {
        try {
          await pc.addIceCandidate(candidate);
        } catch (err) {
          if (!seen.ignoreOffer) throw err;
        }
      }
    } catch (err) {
      failures.push(err);
    }
  };
  return { receive, seen };
}

test('perfect negotiation: both offer at once, the polite side rolls back, a channel opens and a track arrives', async () => {
  const peers = [new RTCPeerConnection(LOOPBACK), new RTCPeerConnection(LOOPBACK)];
  const failures = [];
  const sides = [];
  // Each message arrives 50 ms after it was sent, in order: both offers are
  // made before either side hears of the other's.
  const send = (to) => {
    let last = Promise.resolve();
    return (message) => {
      const json = JSON.parse(JSON.stringify(message));
      last = last.then(() => new Promise((resolve) => setTimeout(resolve, 50))).then(() => sides[to].receive(json));
    };
  };
  peers.forEach((pc, i) => sides.push(perfectNegotiation(pc, i === 1, send(1 - i), failures)));
  const [impolite, polite] = peers;
  const states = [];
  polite.addEventListener('signalingstatechange', () => states.push(polite.signalingState));
  const channel = once(polite, 'datachannel');
  const track = new EncodedTrack({ codec: 'video/VP8', id: 'cam', streamId: 's' });
  const trackEvent = once(polite, 'track');
  impolite.createDataChannel('glare');
  impolite.addTrack(track);
  const own = polite.createDataChannel('polite');
  const ownOpen = once(own, 'open');
  const receiving = polite.addTransceiver('video', { direction: 'recvonly' });

  const { channel: remote } = await channel;
  await ownOpen;
  assert.equal(remote.label, 'glare');
  assert.equal(remote.readyState, 'open');
  await waitFor(() => impolite.connectionState === 'connected' && polite.connectionState === 'connected');
  const writing = setInterval(() => track.writeSample(new Uint8Array(200).fill(7), 1 / 30), 20);
  try {
    const event = await trackEvent;
    assert.equal(event.track.id, 'cam');
    assert.equal(event.transceiver, receiving, "the polite side's transceiver took the impolite side's m-line");
  } finally {
    clearInterval(writing);
  }
  assert.deepEqual(failures, []);
  assert.equal(sides[1].seen.collisions, 1, 'the polite side saw the collision');
  assert.equal(sides[0].seen.ignored, 1, 'the impolite side ignored the polite offer');
  assert.deepEqual(states.slice(0, 3), ['have-local-offer', 'stable', 'have-remote-offer'], 'the polite side rolled back');
  await waitFor(() => impolite.signalingState === 'stable' && polite.signalingState === 'stable');
  const [sent] = impolite.getTransceivers();
  assert.equal(receiving.mid, sent.mid);
  assert.equal(sent.currentDirection, 'sendonly');
  assert.equal(receiving.currentDirection, 'recvonly');
  for (const pc of peers) pc.close();
});
