// The interop cases, written once: each runs against every library peer
// (C, Python, Node) with a browser on the other side. `s` is a Session.
'use strict';
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const MIB = 1 << 20;
const BOTH = ['browser', 'library'];
const other = (side) => (side === 'browser' ? 'library' : 'browser');

/** `offerer` opens channel `label` and negotiates the call. */
function connect(s, offerer, label = 'chat', init = {}) {
  return s.openChannel(offerer, label, init, { negotiate: true });
}

async function bothWays(s, label, options) {
  for (const from of BOTH) await s.transfer(from, label, options);
}

/** `opener` adds a channel to a connected call and renegotiates; then data
 * both ways on both channels. */
async function channelAddedMidCall(s, opener) {
  await connect(s, 'browser');
  const remote = await s.openChannel(opener, 'added', { protocol: 'mid-call' }, { negotiate: true });
  assert.equal(remote.protocol, 'mid-call');
  await bothWays(s, 'added', { size: 1000, count: 20 });
  await bothWays(s, 'chat', { size: 1000, count: 20 });
}

const connected = (st) => st.connection === 'connected' && ['connected', 'completed'].includes(st.ice);

const cases = [];
// mdns: also run with the browser's addresses behind mDNS names;
// browsers: only with these browsers (default: all).
// languages: only with these library peers (default: all).
// engine: keys of the library's "omnirtc" section for this case.
// env: environment of the library peer's process.
const add = (name, run, { mdns = false, browsers, languages, engine = {}, env = {} } = {}) =>
  cases.push({ name, run, mdns, browsers, languages, engine, env });

for (const offerer of BOTH) {
  add(`${offerer} offers; text both ways`, async (s) => {
    await connect(s, offerer);
    await bothWays(s, 'chat', { binary: false, size: 1000, count: 20 });
  }, { mdns: true });
}

add('binary both ways, reliable and ordered', async (s) => {
  await connect(s, 'browser');
  await bothWays(s, 'chat', { binary: true, size: 4000, count: 50 });
}, { mdns: true });

for (const opener of BOTH) {
  add(`unordered channel opened by the ${opener}, both ways`, async (s) => {
    const remote = await connect(s, opener, 'unordered', { ordered: false });
    assert.equal(remote.ordered, false);
    await bothWays(s, 'unordered', { size: 1000, count: 100, ordered: false });
  });
}

add('unreliable (maxRetransmits 0, unordered), both ways', async (s) => {
  const remote = await connect(s, 'browser', 'lossy', { ordered: false, maxRetransmits: 0 });
  assert.equal(remote.ordered, false);
  assert.equal(remote.maxRetransmits, 0);
  // paced, so that loopback loses nothing and every message can be counted
  await bothWays(s, 'lossy', { size: 1000, count: 50, ordered: false, pace: true });
});

add('unreliable (maxPacketLifeTime 500 ms, ordered), both ways', async (s) => {
  const remote = await connect(s, 'library', 'timed', { maxPacketLifeTime: 500 });
  assert.equal(remote.ordered, true);
  assert.equal(remote.maxPacketLifeTime, 500);
  await bothWays(s, 'timed', { size: 1000, count: 50, pace: true });
});

// Chromium caps max-message-size at 256 KiB (a=max-message-size:262144) and
// enforces it on its own sends, so a 1 MiB message cannot cross in either
// direction: both sides must refuse it, and the largest allowed one arrives.
add('1 MiB refused both ways (Chromium\'s max-message-size is 256 KiB); 256 KiB delivered both ways', async (s) => {
  await connect(s, 'library');
  for (const side of BOTH) {
    const st = await s.state(side);
    assert.equal(st.maxMessageSize, 256 * 1024, `${side}: sctp.maxMessageSize`);
    await assert.rejects(s.side(side).call('send', { label: 'chat', binary: true, size: MIB, count: 1 }), /./, `${side} refuses 1 MiB`);
  }
  await bothWays(s, 'chat', { size: 256 * 1024, count: 2 });
  for (const side of BOTH) assert.equal((await s.state(side)).channels.chat, 'open', `${side}: the channel stays open`);
}, { browsers: ['chromium'] });

// Firefox accepts messages up to 1 GiB (a=max-message-size:1073741823).
add('a 1 MiB message both ways', async (s) => {
  await connect(s, 'browser');
  await bothWays(s, 'chat', { size: MIB, count: 1 });
}, { browsers: ['firefox'] });

for (const from of BOTH) {
  add(`16 MiB byte-identical, ${from} to ${other(from)}`, async (s) => {
    await connect(s, from);
    await s.transfer(from, 'chat', { size: 64 * 1024, count: 256 });
  }, { mdns: from === 'library' });
}

for (const initiator of BOTH) {
  add(`ICE restart started by the ${initiator}`, async (s) => {
    await connect(s, 'browser');
    const before = s.ufrags().length;
    await s.negotiate(initiator, { iceRestart: true });
    const [offer, answer] = s.ufrags().slice(before);
    const [oldOffer, oldAnswer] = s.ufrags().slice(0, 2);
    assert.equal(offer.from, initiator);
    assert.notEqual(offer.ufrag, (oldOffer.from === initiator ? oldOffer : oldAnswer).ufrag, 'new local credentials');
    assert.notEqual(answer.ufrag, (oldOffer.from === initiator ? oldAnswer : oldOffer).ufrag, 'new remote credentials');
    for (const side of BOTH) await s.until(side, connected);
    await bothWays(s, 'chat', { size: 1000, count: 20 });
  });

  add(`renegotiation started by the ${initiator}: a channel added mid-call`, (s) => channelAddedMidCall(s, initiator));

  add(`channel closed by the ${initiator} is seen closed by the ${other(initiator)}`, async (s) => {
    await connect(s, 'browser');
    const m = s.side(other(initiator)).mark();
    await s.side(initiator).call('close', { label: 'chat' });
    await s.side(other(initiator)).waitFor({ ev: 'close', label: 'chat' }, m);
    await s.side(initiator).waitFor({ ev: 'close', label: 'chat' });
  });

  add(`peer connection closed by the ${initiator} is seen by the ${other(initiator)}`, async (s) => {
    await connect(s, 'browser');
    const m = s.side(other(initiator)).mark();
    await s.side(initiator).call('closePeer');
    await s.side(other(initiator)).waitFor({ ev: 'close', label: 'chat' }, m);
  });
}

// On a connected call a new channel opens at once, so its open event can reach
// a C host before omnirtc_channel_create has returned the handle. The C peer
// adds the handle under the lock its callback takes; slowed down in between,
// it must still see the open (it missed it before, as a 20 s timeout).
add('renegotiation started by the library: a channel added mid-call, the C peer slow to add its handle',
  (s) => channelAddedMidCall(s, 'library'), { languages: ['c'], env: { INTEROP_C_REGISTER_DELAY_MS: '50' } });

// ---- media ---------------------------------------------------------------
// Every library peer has media (Swift since its binding's media API landed).
const MEDIA_LANGUAGES = ['c', 'python', 'node', 'swift'];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `side`'s reply to `op` until pred holds; returns the last reply. */
async function poll(s, side, op, pred, timeout = 15000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const reply = await s.side(side).call(op);
    if (pred(reply)) return reply;
    if (Date.now() > deadline) throw new Error(`${side}: '${op}' never matched: ${JSON.stringify(reply).slice(0, 3000)}`);
    await sleep(250);
  }
}

/** The RTP stream stats of one type ('inbound-rtp', 'outbound-rtp') in a
 * stats report, each with its codec's mimeType. */
function rtpStats(report, type) {
  return Object.values(report).filter((r) => r.type === type)
    .map((r) => ({ ...r, mimeType: report[r.codecId]?.mimeType }));
}

let files;
/** Small test media made with ffmpeg once per run: 3 s of 320x240 VP8 at
 * 30 fps with a keyframe every second (IVF), 3 s of a 440 Hz sine in Opus (Ogg). */
function mediaFiles() {
  if (files) return files;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnirtc-interop-media-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const ffmpeg = (...args) => execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', ...args]);
  files = { video: path.join(dir, 'video.ivf'), audio: path.join(dir, 'audio.ogg') };
  ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=30', '-t', '3', '-c:v', 'libvpx', '-g', '30',
    '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '400k', files.video);
  ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '3', '-c:a', 'libopus', '-b:a', '48k', files.audio);
  return files;
}

const byKind = (tracks, kind) => tracks.filter((t) => t.kind === kind);

/** Checks a received track: its codec, and every frame reassembled intact. */
function checkFrames(t, mimeType, minFrames) {
  assert.equal(t.mimeType.toLowerCase(), mimeType.toLowerCase(), `${t.kind} codec`);
  assert.ok(t.frames >= minFrames, `${t.kind}${t.rid ? ` ${t.rid}` : ''}: ${t.frames} frames`);
  assert.equal(t.valid, t.frames, `${t.kind}${t.rid ? ` ${t.rid}` : ''}: every frame a well-formed ${mimeType} frame`);
  if (t.kind === 'video') assert.ok(t.keyframes >= 1, 'a keyframe arrived');
}

/** Packets counted by the library's inbound-rtp stats: at least one per frame. */
async function checkPackets(s, tracks) {
  const inbound = rtpStats((await s.side('library').call('stats')).report, 'inbound-rtp');
  for (const t of tracks) {
    const st = inbound.find((r) => r.kind === t.kind && (r.rid || '') === t.rid);
    assert.ok(st, `inbound-rtp stats for ${t.kind} ${t.rid}`);
    assert.ok(st.packetsReceived >= t.frames, `${t.kind} ${t.rid}: ${st.packetsReceived} packets for ${t.frames} frames`);
  }
  return inbound;
}

for (const codec of ['VP8', 'H264']) {
  // Debian's Firefox ESR offers no H264 (OpenH264 is a plugin it downloads;
  // it offers VP8, VP9 and AV1), so H264 runs with Chromium only.
  add(`fake camera (${codec}) and microphone (Opus) from the browser: frames reassembled, packets counted`, async (s) => {
    await s.side('browser').call('addMedia', { audio: true, video: true, codec });
    await s.negotiate('browser');
    const { tracks } = await poll(s, 'library', 'tracks', ({ tracks: ts }) =>
      byKind(ts, 'video').some((t) => t.frames >= 30) && byKind(ts, 'audio').some((t) => t.frames >= 50));
    assert.equal(tracks.length, 2, 'one audio and one video track');
    const [video] = byKind(tracks, 'video');
    const [audio] = byKind(tracks, 'audio');
    checkFrames(video, `video/${codec}`, 30);
    checkFrames(audio, 'audio/opus', 50);
    // Loopback loses nothing on the wire: a gap in what the library delivers
    // is its own loss (a few packets may go while the call starts).
    for (const t of tracks) assert.ok(t.lost <= Math.max(3, t.frames / 20), `${t.kind}: ${t.lost} packets lost for ${t.frames} frames`);
    if (codec === 'VP8') assert.ok(video.width > 0 && video.height > 0, 'keyframe size');
    else assert.ok(video.idrKeyframes >= 1, 'a keyframe with an SPS and an IDR slice');
    const inbound = await checkPackets(s, tracks);
    const outbound = rtpStats((await s.side('browser').call('stats')).report, 'outbound-rtp');
    assert.ok(outbound.some((r) => r.kind === 'video' && r.framesEncoded > 0 && r.mimeType === `video/${codec}`), 'the browser encoded');
    return tracks.map((t) => `${t.mimeType}: ${t.frames} frames (${t.keyframes} key, ${t.lost} packets lost)` +
      `${t.width ? ` ${t.width}x${t.height}` : ''}, ${inbound.find((r) => r.kind === t.kind).packetsReceived} packets`).join('; ');
  }, { languages: MEDIA_LANGUAGES, browsers: codec === 'H264' ? ['chromium'] : undefined });
}

add('the library sends VP8 and Opus that the browser decodes (getStats)', async (s) => {
  const { video, audio } = mediaFiles();
  await s.side('library').call('sendMedia', { files: [video, audio] });
  await s.negotiate('library');
  const sample = async () => {
    const inbound = rtpStats((await s.side('browser').call('stats')).report, 'inbound-rtp');
    return { v: inbound.find((r) => r.kind === 'video'), a: inbound.find((r) => r.kind === 'audio') };
  };
  const ready = ({ v, a }) => v && a && v.framesDecoded > 0 && v.packetsReceived > 0 && a.packetsReceived > 0;
  const deadline = Date.now() + 15000;
  let first = await sample();
  while (!ready(first)) {
    if (Date.now() > deadline) throw new Error(`the browser decoded nothing: ${JSON.stringify(first)}`);
    await sleep(250);
    first = await sample();
  }
  await sleep(1000);
  const then = await sample();
  assert.equal(then.v.mimeType, 'video/VP8');
  assert.equal(then.a.mimeType.toLowerCase(), 'audio/opus');
  assert.ok(then.v.framesDecoded > first.v.framesDecoded, `framesDecoded grows: ${first.v.framesDecoded} -> ${then.v.framesDecoded}`);
  assert.ok(then.v.packetsReceived > first.v.packetsReceived, 'video packetsReceived grows');
  assert.ok(then.a.packetsReceived > first.a.packetsReceived, 'audio packetsReceived grows');
  // The browser decoded the audio: samples came out, few of them concealment
  // (what a decoder makes up for what it could not decode), and not silence.
  const samples = then.a.totalSamplesReceived - first.a.totalSamplesReceived;
  const concealed = then.a.concealedSamples - first.a.concealedSamples;
  const energy = then.a.totalAudioEnergy - first.a.totalAudioEnergy;
  assert.ok(samples >= 48000 / 4, `Opus samples decoded in a second: ${samples}`);
  assert.ok(concealed <= samples / 10, `Opus samples concealed: ${concealed} of ${samples}`);
  assert.ok(energy > 0, `audio energy: ${first.a.totalAudioEnergy} -> ${then.a.totalAudioEnergy}`);
  assert.equal(then.v.frameWidth, 320, 'decoded width');
  assert.equal(then.v.frameHeight, 240, 'decoded height');
  return `browser: VP8 framesDecoded ${first.v.framesDecoded} -> ${then.v.framesDecoded}, packetsReceived ` +
    `${first.v.packetsReceived} -> ${then.v.packetsReceived}; Opus packetsReceived ${first.a.packetsReceived} -> ${then.a.packetsReceived}, ` +
    `${samples} samples decoded, ${concealed} concealed, energy ${energy.toFixed(4)}`;
}, { languages: MEDIA_LANGUAGES });

// goog-remb and no transport-cc: the browser estimates on its receive side and
// sends REMB, which the library raises as a target bitrate (source "remb").
add('the library sends VP8 without transport-cc; the browser\'s REMB is its target bitrate', async (s) => {
  const { video } = mediaFiles();
  await s.side('library').call('sendMedia', { files: [video] });
  await s.negotiate('library');
  const { targets } = await poll(s, 'library', 'targets', ({ targets: ts }) => ts.some((t) => t.source === 'remb'), 30000);
  const remb = targets.find((t) => t.source === 'remb');
  assert.ok(remb.bitrate > 0, `REMB bitrate ${remb.bitrate}`);
  assert.equal(remb.mids.length, 1, `the REMB covers the video track: ${JSON.stringify(remb)}`);
  assert.ok(remb.ssrcs.length >= 1, 'the SSRCs it covers');
  return `${targets.length} target(s), first REMB ${remb.bitrate} bit/s for mid ${remb.mids[0]}, ssrcs ${remb.ssrcs}`;
}, { languages: MEDIA_LANGUAGES, engine: { interceptors: ['nack', 'rtx', 'rtcpReports', 'remb'] } });

// The receiving side: the library's REMB caps what the browser's encoder
// targets (outbound-rtp targetBitrate, which Firefox does not report), with
// goog-remb and no transport-cc. The target is first seen above twice the
// cap (Chromium starts at 300 kbit/s), so the drop is the REMB's doing.
add('the library receives the browser\'s camera without transport-cc; its REMB caps the browser\'s target bitrate', async (s) => {
  await s.side('browser').call('addMedia', { video: true, codec: 'VP8' });
  await s.negotiate('browser');
  await poll(s, 'library', 'tracks', ({ tracks }) => tracks.some((t) => t.kind === 'video' && t.frames > 0));
  const cap = 100000;
  const target = async () => rtpStats((await s.side('browser').call('stats')).report, 'outbound-rtp')
    .find((r) => r.kind === 'video')?.targetBitrate;
  let before = await target();
  for (const deadline = Date.now() + 15000; !(before >= 2 * cap); before = await target()) {
    if (Date.now() > deadline) throw new Error(`the browser's targetBitrate stayed ${before}, under twice ${cap}`);
    await sleep(250);
  }
  const deadline = Date.now() + 15000;
  let now = before;
  // REMB goes over UDP: sent again each round, as a receiver would.
  while (!(now > 0 && now <= cap)) {
    if (Date.now() > deadline) throw new Error(`the browser's targetBitrate stayed ${now} (before ${before}), over the REMB's ${cap}`);
    assert.equal((await s.side('library').call('requestBitrate', { bitrate: cap })).tracks, 1);
    await sleep(250);
    now = await target();
  }
  return `browser targetBitrate ${before} -> ${now} bit/s under a REMB of ${cap}`;
}, { languages: MEDIA_LANGUAGES, browsers: ['chromium'], engine: { interceptors: ['nack', 'rtx', 'rtcpReports', 'remb'] } });

add('simulcast from the browser (1280x720 canvas, rids q/h/f) received as three layers', async (s) => {
  const rids = ['q', 'h', 'f'];
  await s.side('browser').call('addMedia', { video: true, rids, codec: 'VP8' });
  await s.negotiate('browser');
  // A browser sends a layer once its bandwidth estimate covers it. The f layer
  // takes about 2.3 Mbit/s; when the load on the machine spoils the browser's
  // first bandwidth probes, the estimate climbs from 300 kbit/s by about 8 % a
  // second instead: some 26 s (README).
  const { tracks } = await poll(s, 'library', 'tracks', ({ tracks: ts }) =>
    rids.every((rid) => ts.some((t) => t.rid === rid && t.frames >= 10 && t.width > 0)), 45000);
  const layers = rids.map((rid) => tracks.find((t) => t.rid === rid));
  for (const t of layers) checkFrames(t, 'video/VP8', 10);
  const widths = layers.map((t) => t.width);
  assert.ok(widths[0] < widths[1] && widths[1] < widths[2], `three sizes, smallest first: ${widths}`);
  const inbound = await checkPackets(s, layers);
  return layers.map((t) => `${t.rid}: ${t.width}x${t.height}, ${t.frames} frames, ` +
    `${inbound.find((r) => r.rid === t.rid).packetsReceived} packets`).join('; ');
}, { languages: MEDIA_LANGUAGES });

module.exports = { cases };
