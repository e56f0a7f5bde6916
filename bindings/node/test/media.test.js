'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, EncodedTrack, RTCRtpTransceiver, RTCRtpSender, RTCRtpReceiver } = require('./package-under-test').omnirtc;
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

test('video frames arrive equal, with keyframe flags, and PLI and FIR reach the sender', async () => {
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
  const fir = once(sender, 'keyframerequest');
  remote.requestKeyframe({ fir: true });
  assert.equal((await fir).request, 'fir');
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

test('webrtc-pc 5.2 setParameters: active false stops a layer at once, true resumes it', async () => {
  const [a, b] = await connectedPair();
  const rids = ['q', 'f'];
  const track = new EncodedTrack({ codec: 'vp8', rids });
  const { sender } = a.addTransceiver(track, { direction: 'sendonly', sendEncodings: rids.map((rid) => ({ rid })) });
  const got = {};
  b.addEventListener('track', ({ track: remote }) => { got[remote.rid] = tags(remote); });
  await connect(a, b);
  const stop = feed(rids.map((rid) => [track, rid, rid]));
  const after = async (n) => { const target = got.q.length + n; await waitFor(() => got.q.length >= target); };
  await waitFor(() => got.q?.length >= 5 && got.f?.length >= 5);
  const set = async (active) => {
    const parameters = sender.getParameters();
    parameters.encodings[1].active = active;
    await sender.setParameters(parameters);
    assert.deepEqual(sender.getParameters().encodings.map((e) => e.active), [true, active]);
  };
  await set(false);
  await after(10); // what was in flight has arrived
  const paused = got.f.length;
  await after(10);
  assert.equal(got.f.length, paused, 'frames of the inactive layer arrived');
  await set(true);
  await waitFor(() => got.f.length > paused + 5);
  stop();
  a.close();
  b.close();
  track.stop();
});

test('webrtc-pc 5.2 getParameters / setParameters: the transaction and what may not change', async () => {
  const pc = new RTCPeerConnection(LOOPBACK);
  const track = new EncodedTrack({ codec: 'vp8', rids: ['q', 'f'] });
  const { sender } = pc.addTransceiver(track, { sendEncodings: [{ rid: 'q', maxBitrate: 100000 }, { rid: 'f' }] });
  await assert.rejects(sender.setParameters({ transactionId: 'x', encodings: [] }), { name: 'InvalidStateError' });
  let parameters = sender.getParameters();
  assert.equal(typeof parameters.transactionId, 'string');
  assert.deepEqual(parameters.encodings.map((e) => [e.rid, e.active, e.maxBitrate]), [['q', true, 100000], ['f', true, undefined]]);
  await new Promise((resolve) => setImmediate(resolve)); // the task that got them has ended
  await assert.rejects(sender.setParameters(parameters), { name: 'InvalidStateError' });
  parameters = sender.getParameters();
  await assert.rejects(sender.setParameters({ ...parameters, transactionId: 'other' }), { name: 'InvalidModificationError' });
  const changed = (edit) => { const p = sender.getParameters(); edit(p); return sender.setParameters(p); };
  await assert.rejects(changed((p) => p.encodings.pop()), { name: 'InvalidModificationError' });
  await assert.rejects(changed((p) => { p.encodings[0].rid = 'h'; }), { name: 'InvalidModificationError' });
  await changed((p) => { p.encodings[1].maxBitrate = 2500000; p.encodings[1].scaleResolutionDownBy = 2; });
  parameters = sender.getParameters();
  assert.deepEqual([parameters.encodings[1].maxBitrate, parameters.encodings[1].scaleResolutionDownBy], [2500000, 2]);
  pc.close();
  track.stop();
});

test('webrtc-pc 5.2 getCapabilities: the codecs and header extensions offered', () => {
  const audio = RTCRtpSender.getCapabilities('audio');
  const video = RTCRtpReceiver.getCapabilities('video');
  assert.ok(audio.codecs.some((c) => c.mimeType === 'audio/opus' && c.clockRate === 48000 && c.channels === 2));
  for (const mime of ['video/VP8', 'video/VP9', 'video/H264', 'video/AV1']) {
    assert.ok(video.codecs.some((c) => c.mimeType === mime && c.clockRate === 90000), mime);
  }
  assert.equal(video.codecs.filter((c) => c.mimeType === 'video/rtx').length, 1);
  assert.ok(video.headerExtensions.some((e) => /sdes:mid/.test(e.uri)));
  assert.deepEqual(RTCRtpReceiver.getCapabilities('audio'), audio);
  assert.equal(RTCRtpSender.getCapabilities('data'), null);
});

test('replaceTrack switches the media; removeTrack mutes the remote track (webrtc-pc 4.4.1.6)', async () => {
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
  const muted = once(remote, 'mute');
  await negotiate(a, b);
  await muted;
  assert.equal(remote.muted, true);
  assert.equal(remote.readyState, 'live'); // muted, not ended: only its transceiver's stop ends it
  stop();
  a.close();
  b.close();
  first.stop();
  second.stop();
});

test('RTP mode, addTransceiver and errors', async () => {
  const [a, b] = await connectedPair();
  const track = new EncodedTrack({ codec: 'pcmu', mode: 'rtp' });
  const transceiver = a.addTransceiver(track, { direction: 'sendonly' });
  assert.throws(() => transceiver.setCodecPreferences([{ mimeType: 'video/VP8' }]), TypeError);
  const trackEvent = once(b, 'track');
  await connect(a, b);
  const packet = new Uint8Array(12 + 160).fill(0x7f); // PT 127, SSRC 0x7f7f7f7f: both rewritten
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
  for (const p of packets) {
    assert.equal(p[1] & 0x7f, 0); // PCMU's payload type
    assert.equal(Buffer.from(p).readUInt32BE(8), remote.ssrc); // the negotiated SSRC
    assert.notEqual(remote.ssrc, 0x7f7f7f7f);
    // the payload arrives whole: after the header and its extensions, the 160 bytes written
    let header = 12 + 4 * (p[0] & 0x0f);
    if (p[0] & 0x10) header += 4 + 4 * Buffer.from(p).readUInt16BE(header + 2);
    assert.deepEqual([...p.subarray(header)], [...packet.subarray(12)]);
  }
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

/** The payload types of the m-section `index` of an SDP, in order. */
function payloadTypes(sdp, index) {
  return sdp.split('\r\nm=')[index + 1].split('\r\n')[0].split(' ').slice(3).map(Number);
}

test('setCodecPreferences puts a codec that is not first by default first, and it is chosen', async () => {
  const [a, b] = await connectedPair();
  a.addTransceiver('video', { direction: 'recvonly' });
  const preferred = a.addTransceiver('video', { direction: 'recvonly' });
  preferred.setCodecPreferences([{ mimeType: 'video/VP9' }, { mimeType: 'video/VP8' }]);
  await negotiate(a, b);
  const vp9 = Number(/a=rtpmap:(\d+) VP9\/90000/.exec(a.localDescription.sdp)[1]);
  assert.notEqual(payloadTypes(a.localDescription.sdp, 0)[0], vp9); // VP8 leads by default
  assert.equal(payloadTypes(a.localDescription.sdp, 1)[0], vp9);
  assert.ok(!/H264/.test(a.localDescription.sdp.split('\r\nm=')[2]));
  // b answers with the preferred codec first
  assert.equal(payloadTypes(b.localDescription.sdp, 1)[0], vp9);
  a.close();
  b.close();
});

/** The first stats entry of a type. */
function entry(report, type) {
  return [...report.values()].find((s) => s.type === type);
}

test('getStats counts what was sent at both ends, and the counters move', async () => {
  const [a, b] = await connectedPair();
  const track = new EncodedTrack({ codec: 'vp8', id: 'cam' });
  a.addTrack(track);
  await connect(a, b);
  let written = 0;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  async function writeAndRead(n) {
    for (let i = 0; i < n; i++, written++) {
      track.writeSample(vp8Frame(written, 500), 1 / 30);
      await sleep(33);
    }
    await sleep(300); // nothing in flight
    return [await a.getStats(), await b.getStats()];
  }
  let before = [0, 0];
  for (let round = 0; round < 2; round++) {
    // reports come about once a second: send until both ends have new ones
    let sent, got, now;
    for (let i = 0; i < 10; i++) {
      [sent, got] = await writeAndRead(10);
      now = [entry(sent, 'remote-inbound-rtp')?.roundTripTimeMeasurements ?? 0,
        entry(got, 'remote-outbound-rtp')?.reportsSent ?? 0];
      if (now[0] > before[0] && now[1] > before[1]) break;
    }
    assert.ok(now[0] > before[0] && now[1] > before[1], `reports ${now} after ${before}`);
    before = now;
    const out = entry(sent, 'outbound-rtp');
    const source = entry(sent, 'media-source');
    const remoteIn = entry(sent, 'remote-inbound-rtp');
    const inbound = entry(got, 'inbound-rtp');
    const remoteOut = entry(got, 'remote-outbound-rtp');
    assert.equal(out.packetsSent, written);
    assert.ok(out.bytesSent >= 500 * written);
    assert.equal(out.nackCount, 0);
    assert.equal(source.frames, written);
    assert.equal(source.trackIdentifier, 'cam');
    assert.equal(sent.get(out.codecId).mimeType, 'video/VP8');
    assert.ok(remoteIn.packetsReceived > 0 && remoteIn.packetsReceived <= out.packetsSent);
    assert.equal(remoteIn.localId, out.id);
    assert.equal(inbound.packetsReceived, out.packetsSent);
    assert.equal(inbound.bytesReceived, out.bytesSent);
    assert.equal(inbound.framesReceived, written - 1); // the last waits for the next frame's start
    assert.ok(inbound.jitter > 0);
    assert.equal(inbound.nackCount, 0);
    assert.equal(got.get(inbound.codecId).mimeType, 'video/VP8');
    assert.ok(remoteOut.packetsSent > 0 && remoteOut.packetsSent <= out.packetsSent && remoteOut.bytesSent > 0);
    assert.equal(remoteOut.localId, inbound.id);
  }
  a.close();
  b.close();
  track.stop();
});

/** An Annex-B H.265 NAL unit of `size` bytes with header, no zero bytes in it. */
function h265Nal(type, size, i) {
  const nal = new Uint8Array(4 + size);
  nal.set([0, 0, 0, 1, type << 1, 1]);
  for (let k = 2; k < size; k++) nal[4 + k] = 0x10 + ((i + k) % 0xe0);
  return nal;
}

/** Every 30th access unit VPS, SPS, PPS and a 5000-byte IDR (fragmented), else a TRAIL_R. */
function h265Frame(i) {
  if (i % 30) return h265Nal(1, 900, i);
  return Buffer.concat([h265Nal(32, 24, i), h265Nal(33, 40, i), h265Nal(34, 8, i), h265Nal(19, 5000, i)]);
}

for (const codec of ['audio/PCMA', 'audio/G722', 'video/H265']) {
  test(`${codec} samples arrive equal`, async () => {
    const [a, b] = await connectedPair();
    const track = new EncodedTrack({ codec });
    a.addTrack(track);
    const trackEvent = once(b, 'track');
    await connect(a, b);
    const video = codec.startsWith('video/');
    const frames = Array.from({ length: 40 }, (_, i) =>
      (video ? h265Frame(i) : Uint8Array.from({ length: 160 }, (_, k) => (i * 7 + k) % 256)));
    const sending = (async () => {
      for (const frame of [...frames, frames.at(-1)]) {
        track.writeSample(frame, video ? 1 / 30 : 0.02);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const { track: remote } = await trackEvent;
    const got = [];
    remote.addEventListener('frame', (e) => got.push(e));
    await sending;
    await waitFor(() => got.length >= frames.length);
    assert.equal(remote.codec.mimeType, codec); // the received one, since its unmute
    assert.deepEqual(got.slice(0, frames.length).map((e) => Buffer.from(e.data)), frames.map((f) => Buffer.from(f)));
    assert.deepEqual(got.slice(0, frames.length).map((e) => e.keyframe), frames.map((_, i) => !video || i % 30 === 0));
    a.close();
    b.close();
    track.stop();
  });
}
