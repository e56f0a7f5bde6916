'use strict';
// W3C webrtc-pc 4.4.1.6 "set the RTCSessionDescription" for remote tracks
// beyond the remote's own direction: our answer that stops receiving mutes
// them (step 7.1.6.1), a rejected media section stops its transceiver (step
// 8.1.12) and ends them, and a rollback of a remote offer (step 9) ends the
// tracks of the transceivers it created and restores the others'.
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, EncodedTrack } = require('./package-under-test').omnirtc;
const { LOOPBACK, once, trickle, waitFor } = require('./helpers');

function frame(i) {
  const f = new Uint8Array(500).fill(i % 256);
  f[0] = i === 0 ? 0 : 1;
  return f;
}

/** a offers, b answers. */
async function offerAnswer(a, b) {
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
}

/** a sends a video to b, negotiated; b's track unmuted by media. */
async function sending() {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  trickle(a, b);
  const track = new EncodedTrack({ codec: 'vp8', id: 'cam', streamId: 'stream' });
  a.addTrack(track);
  const trackEvent = once(b, 'track');
  await offerAnswer(a, b);
  const { track: remote, transceiver, streams: [stream] } = await trackEvent;
  let i = 0;
  const timer = setInterval(() => track.writeSample(frame(i++), 1 / 30), 10);
  await once(remote, 'unmute');
  const close = () => { clearInterval(timer); a.close(); b.close(); track.stop(); };
  return { a, b, remote, transceiver, stream, close };
}

test('4.4.1.6 step 7.1.6.1: our own answer that no longer receives mutes the remote track', async () => {
  const { a, b, remote, transceiver, close } = await sending();
  transceiver.direction = 'inactive';
  const muted = once(remote, 'mute');
  await offerAnswer(a, b); // a offers sendrecv; b answers inactive
  await muted;
  assert.equal(remote.muted, true);
  assert.equal(remote.readyState, 'live');
  assert.equal(transceiver.currentDirection, 'inactive');
  close();
});

test('4.4.1.6 step 8.1.12: a rejected media section stops the transceiver and ends its track', async () => {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  a.createDataChannel('transport');
  const track = new EncodedTrack({ codec: 'vp8', id: 'cam' });
  a.addTrack(track);
  const [offerer] = a.getTransceivers();
  offerer.setCodecPreferences([{ mimeType: 'video/VP8' }]);
  await a.setLocalDescription(await a.createOffer());
  const trackEvent = once(b, 'track');
  // b knows none of the section's codecs: its answer rejects it (port 0)
  await b.setRemoteDescription({ type: 'offer', sdp: a.localDescription.sdp.replaceAll('VP8/90000', 'XV8/90000') });
  const { track: remote, transceiver } = await trackEvent;
  const ended = once(remote, 'ended');
  await b.setLocalDescription(await b.createAnswer());
  assert.match(b.localDescription.sdp, /m=video 0 /);
  await ended;
  assert.equal(remote.readyState, 'ended');
  await a.setRemoteDescription(b.localDescription);
  for (const t of [transceiver, offerer]) {
    assert.equal(t.currentDirection, 'stopped');
    assert.equal(t.direction, 'stopped');
  }
  a.close();
  b.close();
  track.stop();
});

test('4.4.1.6 step 9: a rollback of a remote offer ends the tracks of its transceivers and restores the others', async () => {
  const { a, b, remote, stream, close } = await sending();
  const [video] = a.getTransceivers();
  video.direction = 'recvonly';
  const audio = new EncodedTrack({ codec: 'opus', id: 'mic' });
  a.addTrack(audio);
  const tracks = [];
  b.addEventListener('track', (e) => tracks.push(e.track));
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  assert.equal(remote.muted, true, 'the offer stopped the remote sending');
  assert.deepEqual(stream.getTracks(), [], 'and took the track out of its stream');
  assert.equal(tracks.length, 1);
  const added = tracks[0];
  assert.equal(added.kind, 'audio');
  const ended = once(added, 'ended');
  const unmuted = once(remote, 'unmute');
  const readded = once(stream, 'addtrack');

  await b.setLocalDescription({ type: 'rollback' });
  await ended;
  await unmuted;
  assert.equal(remote.muted, false);
  assert.equal((await readded).track, remote, 'the rollback puts it back in its stream');
  assert.deepEqual(stream.getTracks(), [remote]);
  assert.equal(added.readyState, 'ended');
  assert.equal(b.getTransceivers().length, 1, 'the transceiver the offer created is removed');
  await waitFor(() => b.signalingState === 'stable');
  audio.stop();
  close();
});
