'use strict';
// RTCIceTransport.getLocalCandidates() / getRemoteCandidates() (webrtc-pc 5.6).
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, RTCIceCandidate } = require('./package-under-test').omnirtc;
const { LOOPBACK } = require('./helpers');

const lines = (candidates) => candidates.map((c) => c.candidate);

test('webrtc-pc 5.6: getLocalCandidates() are those sent in icecandidate, getRemoteCandidates() those added', async () => {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  a.createDataChannel('x');
  const sent = [];
  const gathered = new Promise((resolve) => {
    a.addEventListener('icecandidate', ({ candidate }) => { if (candidate) sent.push(candidate); else resolve(); });
  });
  const offer = await a.createOffer(); // no candidates in it: they only trickle
  await a.setLocalDescription(offer);
  await gathered;
  assert.ok(sent.length > 0, 'a gathered candidates');
  await b.setRemoteDescription(offer);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
  const remote = b.sctp.transport.iceTransport;
  assert.deepEqual(remote.getRemoteCandidates(), [], 'nothing added yet');
  for (const candidate of sent) await b.addIceCandidate(candidate);
  const got = remote.getRemoteCandidates();
  assert.ok(got.every((c) => c instanceof RTCIceCandidate));
  assert.deepEqual(lines(got), lines(sent));
  const local = a.sctp.transport.iceTransport;
  assert.deepEqual(lines(local.getLocalCandidates()), lines(sent));
  assert.ok(lines(remote.getLocalCandidates()).length > 0, 'b gathered too');
  a.close();
  assert.deepEqual(lines(local.getLocalCandidates()), lines(sent), 'after close(), the last ones');
  b.close();
});
