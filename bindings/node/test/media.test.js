'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, EncodedTrack, RTCRtpTransceiver } = require('..');
const { LOOPBACK, once, trickle, negotiate, waitFor } = require('./helpers');

/** A fake VP8 frame: byte 0 bit 0 clear marks the keyframe (the first). */
function vp8Frame(i, size = 1500) {
  const frame = new Uint8Array(size).fill(i % 256);
  frame[0] = i === 0 ? 0 : 1;
  new TextEncoder().encodeInto(`frame-${i}`, frame.subarray(1));
  return frame;
}

async function connectedPair() {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  trickle(a, b);
  return [a, b];
}

async function connect(a, b) {
  await negotiate(a, b);
  await waitFor(() => a.connectionState === 'connected' && b.connectionState === 'connected');
}

test('video frames arrive equal, with keyframe flags, and PLI reaches the sender', async () => {
  const [a, b] = await connectedPair();
  const track = new EncodedTrack({ codec: 'video/VP8', id: 'cam', streamId: 's' });
  const sender = a.addTrack(track);
  const trackEvent = once(b, 'track');
  await connect(a, b);
  const frames = Array.from({ length: 30 }, (_, i) => vp8Frame(i));
  const sending = (async () => {
    for (const frame of [...frames, frames.at(-1)]) {
      track.writeSample(frame, 1 / 30);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const { track: remote, transceiver, receiver } = await trackEvent;
  assert.equal(remote.kind, 'video');
  assert.equal(remote.id, 'cam');
  assert.equal(remote.codec.mimeType, 'video/VP8');
  assert.ok(transceiver instanceof RTCRtpTransceiver);
  assert.equal(receiver.track, remote);
  const got = [];
  remote.addEventListener('frame', (e) => got.push(e));
  await sending;
  await waitFor(() => got.length >= frames.length);
  assert.deepEqual(got.slice(0, frames.length).map((e) => Buffer.from(e.data)), frames.map((f) => Buffer.from(f)));
  assert.deepEqual(got.slice(0, frames.length).map((e) => e.keyframe), frames.map((_, i) => i === 0));
  const request = once(sender, 'keyframerequest');
  remote.requestKeyframe();
  assert.equal((await request).request, 'pli');
  const sent = a.getTransceivers()[0];
  assert.equal(sent.mid, '0');
  assert.equal(sent.currentDirection, 'sendonly'); // b sends nothing: answered recvonly
  const ended = once(remote, 'ended');
  a.close();
  b.close();
  await ended;
  track.stop();
});

test('RTP mode, addTransceiver, setCodecPreferences and errors', async () => {
  const [a, b] = await connectedPair();
  const track = new EncodedTrack({ codec: 'pcmu', mode: 'rtp' });
  const transceiver = a.addTransceiver(track, { direction: 'sendonly' });
  transceiver.setCodecPreferences([{ mimeType: 'audio/PCMU' }]);
  assert.throws(() => transceiver.setCodecPreferences([{ mimeType: 'video/VP8' }]), TypeError);
  const trackEvent = once(b, 'track');
  await connect(a, b);
  const packet = new Uint8Array(12 + 160).fill(0x7f);
  packet[0] = 0x80;
  let seq = 0;
  const writer = setInterval(() => {
    packet[3] = seq++;
    track.writeRtp(packet);
  }, 10);
  const { track: remote } = await trackEvent;
  remote.setReceiveMode('rtp');
  const packets = [];
  remote.addEventListener('rtp', (e) => packets.push(e.data));
  await waitFor(() => packets.length >= 5);
  clearInterval(writer);
  assert.equal(packets[0][1] & 0x7f, 0); // rewritten to PCMU's payload type
  assert.equal(transceiver.direction, 'sendonly');
  assert.throws(() => new EncodedTrack({ codec: 'video/MPEG2' }), { name: 'NotSupportedError' });
  assert.throws(() => track.writeRtp(new Uint8Array([0x80, 0])), TypeError);
  assert.throws(() => a.addTransceiver('data'), TypeError);
  const video = new EncodedTrack({ codec: 'vp8' });
  await assert.rejects(transceiver.sender.replaceTrack(video), TypeError);
  video.stop();
  track.stop();
  assert.throws(() => track.writeRtp(packet), { name: 'InvalidStateError' });
  a.close();
  b.close();
});
