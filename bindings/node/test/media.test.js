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

/** Writes frame i + tag to every [track, rid, tag], i = 0, 1, ..., every 10 ms; returns a stop function. */
function feed(tracks) {
  let i = 0;
  const timer = setInterval(() => {
    for (const [track, rid, tag] of tracks) track.writeSample(Buffer.concat([vp8Frame(i, 1200), Buffer.from(tag)]), 1 / 30, rid);
    i++;
  }, 10);
  return () => clearInterval(timer);
}

/** The tags (last byte, as a string) of the frames of a remote track, as they arrive. */
function tags(remote) {
  const got = [];
  remote.addEventListener('frame', ({ data }) => got.push(String.fromCharCode(new Uint8Array(data).at(-1))));
  return got;
}

test('simulcast: three rids arrive as three tracks, each with its own frames', async () => {
  const [a, b] = await connectedPair();
  const rids = ['q', 'h', 'f'];
  const track = new EncodedTrack({ codec: 'vp8', rids });
  a.addTransceiver(track, { direction: 'sendonly', sendEncodings: rids.map((rid) => ({ rid })) });
  const remotes = [];
  b.addEventListener('track', ({ track: remote }) => remotes.push([remote, tags(remote)]));
  await connect(a, b);
  // Each layer's frames end with its rid: swapped layers show.
  const stop = feed(rids.map((rid) => [track, rid, rid]));
  await waitFor(() => remotes.length === 3 && remotes.every(([, got]) => got.length >= 10));
  stop();
  assert.deepEqual(remotes.map(([remote]) => remote.rid).sort(), [...rids].sort());
  assert.equal(b.getTransceivers().length, 1); // one transceiver, three layers
  for (const [remote, got] of remotes) assert.deepEqual(got.filter((tag) => tag !== remote.rid), [], remote.rid);
  a.close();
  b.close();
  track.stop();
});

test('replaceTrack switches the media; removeTrack ends the remote track', async () => {
  const [a, b] = await connectedPair();
  const first = new EncodedTrack({ codec: 'vp8' });
  const second = new EncodedTrack({ codec: 'vp8' });
  const sender = a.addTrack(first);
  const trackEvent = once(b, 'track');
  await connect(a, b);
  // Both tracks are fed all along; only the one the sender holds reaches b.
  const stop = feed([[first, null, '1'], [second, null, '2']]);
  const { track: remote } = await trackEvent;
  const got = tags(remote);
  await waitFor(() => got.includes('1'));
  await sender.replaceTrack(second);
  assert.equal(sender.track, second);
  // ten frames in a row of the second track: switched
  await waitFor(() => got.slice(-10).join('') === '2'.repeat(10));
  const needed = once(a, 'negotiationneeded');
  a.removeTrack(sender);
  assert.equal(sender.track, null);
  await needed;
  const ended = once(remote, 'ended');
  await negotiate(a, b);
  await ended;
  assert.equal(remote.readyState, 'ended');
  stop();
  a.close();
  b.close();
  first.stop();
  second.stop();
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
