'use strict';
// REMB between two omnirtc peers: the receiver's requestBitrate is the
// sender's 'targetbitrate' event; errors for what cannot send one.
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, EncodedTrack } = require('./package-under-test').omnirtc;
const { LOOPBACK, trickle, negotiate, waitFor } = require('./helpers');

/** a sends a video and an audio track to b, until stop(). */
async function mediaPair(interceptors) {
  const config = { omnirtc: { ...LOOPBACK.omnirtc, interceptors } };
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  trickle(a, b);
  const tracks = [new EncodedTrack({ codec: 'vp8', id: 'cam' }), new EncodedTrack({ codec: 'opus', id: 'mic' })];
  for (const track of tracks) a.addTrack(track);
  const targets = [];
  a.addEventListener('targetbitrate', (e) => targets.push(e));
  const remote = {};
  b.addEventListener('track', ({ track }) => { remote[track.kind] ??= track; });
  await negotiate(a, b);
  const frame = new Uint8Array(300).fill(1);
  const writer = setInterval(() => { for (const track of tracks) track.writeSample(frame, 0.02); }, 20);
  // unmuted: their first packets came, so the video's SSRC is known (the tracks come at setRemoteDescription)
  await waitFor(() => remote.video && remote.audio && !remote.video.muted && !remote.audio.muted);
  const stop = () => {
    clearInterval(writer);
    a.close();
    b.close();
    for (const track of tracks) track.stop();
  };
  return { a, targets, remote, stop };
}

test('a REMB from the receiver is the sender\'s targetbitrate, with source, ssrcs and mids', async () => {
  const { a, targets, remote, stop } = await mediaPair(['nack', 'rtcpReports', 'remb']);
  assert.match(a.localDescription.sdp, / goog-remb\r\n/);
  remote.video.requestBitrate(500000); // 250000 * 2: exact in REMB's 18-bit mantissa
  await waitFor(() => targets.length === 1);
  const [target] = targets;
  assert.equal(target.bitrate, 500000);
  assert.equal(target.source, 'remb');
  assert.deepEqual(target.ssrcs, [remote.video.ssrc]);
  assert.deepEqual(target.mids, [a.getTransceivers()[0].mid]);
  remote.video.requestBitrate(1234567); // sent as 154320 * 2^3
  await waitFor(() => targets.length === 2);
  assert.equal(targets[1].bitrate, 1234560);

  assert.throws(() => remote.video.requestBitrate(0), { name: 'TypeError', message: /positive/ });
  assert.throws(() => remote.video.requestBitrate(-5), { name: 'TypeError', message: /positive/ });
  assert.throws(() => remote.video.requestBitrate(1.5), { name: 'TypeError', message: /integer/ });
  assert.throws(() => remote.video.requestBitrate('500000'), { name: 'TypeError', message: /integer/ });
  assert.throws(() => remote.audio.requestBitrate(64000), { name: 'InvalidStateError', message: /video/ });
  stop();
  assert.throws(() => remote.video.requestBitrate(500000), { name: 'InvalidStateError' });
});

test('without the "remb" interceptor nothing offers goog-remb and requestBitrate says why', async () => {
  const { a, remote, stop } = await mediaPair(['nack', 'rtcpReports']);
  assert.doesNotMatch(a.localDescription.sdp, /goog-remb/);
  assert.throws(() => remote.video.requestBitrate(500000), { name: 'InvalidStateError', message: /"remb"/ });
  stop();
});
