// The interop cases, written once: each runs against every library peer
// (C, Python, Node) with a browser on the other side. `s` is a Session.
'use strict';
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { perfectNegotiation } = require('./perfect');

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

// ---- DTMF (webrtc-pc 7, RFC 4733) ---------------------------------------
const DTMF_TONES = '1234567890*#ABCD';

add('DTMF from the browser\'s RTCDTMFSender arrives at the library as each tone once, with its duration', async (s) => {
  await s.side('browser').call('addMedia', { audio: true });
  await s.negotiate('browser');
  await poll(s, 'library', 'tracks', ({ tracks }) => tracks.some((t) => t.kind === 'audio' && t.frames > 0));
  const sent = await s.side('browser').call('insertDTMF', { tones: DTMF_TONES, duration: 100, interToneGap: 70 }, 30000);
  assert.deepEqual(sent.tones, [...DTMF_TONES, ''], 'the browser\'s tonechange events');
  const { tones } = await poll(s, 'library', 'dtmf', (r) => r.tones.length >= DTMF_TONES.length);
  assert.deepEqual(tones.map((t) => t.tone).join(''), DTMF_TONES, 'the tones received, in order, once each');
  // libwebrtc plays a tone for whole audio frames: its duration, rounded up to one
  for (const t of tones) assert.ok(t.duration >= 100 && t.duration <= 120, `${t.tone}: ${t.duration} ms`);
  const { tracks } = await s.side('library').call('tracks');
  const [audio] = byKind(tracks, 'audio');
  checkFrames(audio, 'audio/opus', 50); // its packets were not taken for Opus frames
  return `received ${tones.map((t) => `${t.tone}:${t.duration}`).join(' ')}; ${audio.frames} Opus frames, all valid`;
}, { languages: ['c', 'node', 'python', 'swift'], browsers: ['chromium'] });

// Browsers have no API that reports received DTMF. What Chromium shows: its
// answer accepts telephone-event at Opus's clock, and every packet of the
// audio stream arrived, the telephone-events included (they take sequence
// numbers of that stream, so a lost or rejected one would count in
// packetsLost), while it kept decoding the audio around them.
add('DTMF from the library reaches the browser on the audio stream (negotiated, no packet missing, audio decoded)', async (s) => {
  const { audio } = mediaFiles();
  await s.side('library').call('sendMedia', { files: [audio] });
  await s.negotiate('library');
  const answer = s.signals.find((g) => g.from === 'browser' && g.type === 'answer');
  assert.match(answer.sdp, /a=rtpmap:\d+ telephone-event\/48000/, 'the browser accepts telephone-event/48000');
  const inbound = async () => rtpStats((await s.side('browser').call('stats')).report, 'inbound-rtp').find((r) => r.kind === 'audio');
  const deadline = Date.now() + 15000;
  let before = await inbound();
  while (!(before?.packetsReceived > 50)) {
    if (Date.now() > deadline) throw new Error(`the browser received no audio: ${JSON.stringify(before)}`);
    await sleep(250);
    before = await inbound();
  }
  const sent = await s.side('library').call('insertDTMF', { tones: DTMF_TONES, duration: 100, interToneGap: 70 }, 30000);
  assert.equal(sent.canInsertDTMF, true);
  assert.deepEqual(sent.tones, [...DTMF_TONES, ''], 'the library\'s tonechange events');
  // audio goes on: once 25 more packets (0.5 s) arrived, a missing one is counted lost
  const ended = await inbound();
  let after = ended;
  for (const until = Date.now() + 15000; after.packetsReceived < ended.packetsReceived + 25; after = await inbound()) {
    if (Date.now() > until) throw new Error(`the browser's audio stopped: ${JSON.stringify(after)}`);
    await sleep(250);
  }
  const lost = after.packetsLost - before.packetsLost;
  const samples = after.totalSamplesReceived - before.totalSamplesReceived;
  const concealed = after.concealedSamples - before.concealedSamples;
  assert.ok(lost <= 0, `packets lost while the tones played: ${lost}`);
  assert.ok(concealed <= samples / 10, `Opus samples concealed: ${concealed} of ${samples}`);
  return `browser inbound audio: ${after.packetsReceived - before.packetsReceived} packets, ${lost} lost, ` +
    `${samples} samples decoded, ${concealed} concealed while ${DTMF_TONES.length} tones played`;
}, { languages: ['c', 'node', 'python', 'swift'], browsers: ['chromium'] });

// ---- perfect negotiation (W3C webrtc-pc 10.7) ------------------------------
// Both sides add a channel and a video track at once and offer on their
// negotiationneeded; the runner holds the first offers until both are out,
// so they cross. The impolite side ignores the offer it gets; the polite one
// rolls its own back (through setRemoteDescription, or with
// setLocalDescription({type: 'rollback'}) first) and answers; whatever is
// left unnegotiated fires negotiationneeded again, until all is stable.
for (const polite of BOTH) {
  for (const rollback of ['implicit', 'explicit']) {
    add(`perfect negotiation, both offering at once: the ${polite} polite, ${rollback} rollback; channels and video both ways`, async (s) => {
      const impolite = other(polite);
      await perfectNegotiation(s, { polite, rollback });
      const { video } = mediaFiles();
      // Chromium 156 mishandles rolling back an offer when the offer it
      // takes instead has other header extension ids or mids for what it had
      // offered: its rolled-back transceivers keep them, so its next offer
      // fails its own setLocalDescription ("A BUNDLE group contains a codec
      // collision for header extension id=1"), a remote offer reusing a mid
      // fails ("RTP extension ID reassignment not supported"), and a rolled
      // back data section can leave it unable to answer ("Failed to start SCTP
      // transport"). So with Chromium polite the colliding offers are its
      // video and the library's channel, and each side adds its other half
      // once that is through (the browser once connected, the library once
      // the browser's video arrives), offered on negotiationneeded.
      const library = s.side('library');
      const browser = s.side('browser');
      const start = polite === 'library' ? {
        browser: async () => {
          await browser.call('addMedia', { video: true, codec: 'VP8' });
          await browser.call('channel', { label: 'from-browser' });
        },
        library: async () => {
          await library.call('sendMedia', { files: [video] });
          await library.call('channel', { label: 'from-library' });
        },
      } : {
        browser: async () => {
          await browser.call('addMedia', { video: true, codec: 'VP8' });
          await browser.waitFor((e) => e.ev === 'signal' && e.signal.type === 'offer');
          // Chromium 156 may give a channel created around its rollback the
          // DTLS server's odd id though it answered as the client, the id the
          // library's channel has: so its channel comes once connected.
          await s.until('browser', (st) => connected(st) && st.signaling === 'stable', 30000);
          await browser.call('channel', { label: 'from-browser' });
        },
        library: async () => {
          await library.call('channel', { label: 'from-library' });
          await library.waitFor({ ev: 'track' }, 0, 30000);
          await s.until('library', (st) => st.signaling === 'stable');
          await library.call('sendMedia', { files: [video] });
        },
      };
      await Promise.all(BOTH.map((side) => start[side]()));
      const labels = ['from-browser', 'from-library'];
      await Promise.all(BOTH.flatMap((side) => labels.map((label) => s.side(side).waitFor({ ev: 'open', label }, 0, 30000))))
        .catch((error) => { // what each side did, for the failure's message
          const trail = (side) => s.side(side).events.filter((e) => e.ev !== 'signal' || e.signal.type !== 'candidate')
            .map((e) => [e.ev, e.state || e.label || e.type || e.signal?.type, e.sctpId, /a=setup:(\w+)/.exec(e.signal?.sdp || '')?.[1]]
              .filter((x) => x !== undefined && x !== null).join(' ')).join(', ');
          error.message += `\n${BOTH.map((side) => `${side}: ${trail(side)}`).join('\n')}`;
          throw error;
        });

      // The offers crossed: the first two came from both sides.
      const offers = s.signals.filter((m) => m.type === 'offer');
      assert.deepEqual(offers.slice(0, 2).map((m) => m.from).sort(), ['browser', 'library'], 'both sides offered first');
      const states = (side) => s.side(side).events.filter((e) => e.ev === 'signaling').map((e) => e.state);
      // The impolite side ignored the polite one's offer, and its own was answered.
      await s.side(impolite).waitFor({ ev: 'ignored', type: 'offer' });
      assert.deepEqual(states(impolite).slice(0, 2), ['have-local-offer', 'stable'], `${impolite}: its offer answered`);
      // The polite side rolled its offer back (never answered) and took the other.
      assert.deepEqual(states(polite).slice(0, 3), ['have-local-offer', 'stable', 'have-remote-offer'],
        `${polite}: its offer rolled back for the remote one`);
      if (rollback === 'explicit') assert.equal((await s.side(polite).waitFor({ ev: 'rolledBack' })).state, 'stable');
      assert.ok(!s.side(polite).events.some((e) => e.ev === 'ignored'), `${polite} ignored nothing`);

      for (const side of BOTH) await s.until(side, (st) => connected(st) && st.signaling === 'stable', 30000);
      for (const label of labels) await bothWays(s, label, { size: 1000, count: 20 });
      // video both ways: the library reassembles the browser's camera, the browser decodes the library's file
      const { tracks } = await poll(s, 'library', 'tracks', ({ tracks: ts }) => byKind(ts, 'video').some((t) => t.frames >= 30), 30000);
      const [received] = byKind(tracks, 'video');
      checkFrames(received, 'video/VP8', 30);
      const decoded = async () => rtpStats((await s.side('browser').call('stats')).report, 'inbound-rtp')
        .find((r) => r.kind === 'video' && r.framesDecoded > 0);
      let browserVideo;
      for (const deadline = Date.now() + 15000; !(browserVideo = await decoded()); await sleep(250)) {
        if (Date.now() > deadline) throw new Error('the browser decoded no video from the library');
      }
      assert.equal(browserVideo.mimeType, 'video/VP8');
      return `offers: ${offers.map((m) => m.from).join(', ')}; library received ${received.frames} VP8 frames, ` +
        `browser decoded ${browserVideo.framesDecoded}`;
    }, { languages: MEDIA_LANGUAGES, browsers: ['chromium'] });
  }
}

// ---- setConfiguration mid-call (W3C webrtc-pc 4.4.1.6) ----------------------
// The runner's TURN servers (the Node binding's, core/turnserver) on the LAN
// address the browser's candidates use, each relaying on its own ports.
function turnServer(minPort) {
  const { TurnServer } = require('../../bindings/node');
  const address = Object.values(os.networkInterfaces()).flat().find((a) => a.family === 'IPv4' && !a.internal).address;
  const server = new TurnServer({
    listeners: [{ transport: 'udp', address: `${address}:0` }],
    relay: { address, minPort, maxPort: minPort + 99 },
    users: { alice: 'wonder' },
  });
  return { server, minPort, maxPort: minPort + 99, url: `turn:${server.stats().listeners[0].address}` };
}

/** The local candidate of the library's selected pair (nominated, succeeded) in its stats. */
async function selectedLocalCandidate(s, pred) {
  let found;
  await poll(s, 'library', 'stats', ({ report }) => {
    const pair = Object.values(report).find((r) => r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded');
    found = pair && report[pair.localCandidateId];
    return Boolean(found && pred(found));
  }, 20000);
  return found;
}

// The library moves its ICE servers to a TURN server with iceTransportPolicy
// "relay" (from "all": the call ran over host candidates), then to a second
// one, each followed by an ICE restart: new credentials on both sides, and
// the selected pair's local candidate is a relay of the server just set.
for (const initiator of BOTH) {
  add(`setConfiguration mid-call: iceServers to TURN server 1 then 2, iceTransportPolicy "relay", each followed by an ICE restart by the ${initiator}`, async (s) => {
    const turns = [turnServer(56000), turnServer(56200)];
    try {
      await connect(s, 'browser');
      const first = await selectedLocalCandidate(s, () => true);
      assert.equal(first.candidateType, 'host', 'connected over host candidates first');
      const lines = [];
      for (const turn of turns) {
        await s.side('library').call('setConfiguration', {
          config: { iceServers: [{ urls: turn.url, username: 'alice', credential: 'wonder' }], iceTransportPolicy: 'relay' },
        });
        const before = s.ufrags();
        await s.negotiate(initiator, { iceRestart: true });
        const [offer, answer] = s.ufrags().slice(before.length);
        const last = (side) => before.filter((u) => u.from === side).at(-1).ufrag;
        assert.equal(offer.from, initiator);
        assert.notEqual(offer.ufrag, last(initiator), 'new credentials of the offerer');
        assert.notEqual(answer.ufrag, last(other(initiator)), 'new credentials of the answerer');
        const local = await selectedLocalCandidate(s, (c) => c.candidateType === 'relay' && c.port >= turn.minPort && c.port <= turn.maxPort);
        for (const side of BOTH) await s.until(side, connected);
        const label = `after-restart-${lines.length + 1}`; // counts start at 0
        await s.openChannel('browser', label);
        await bothWays(s, label, { size: 1000, count: 20 });
        assert.ok(turn.server.stats().bytesRelayed > 0, 'the data went through the TURN server');
        lines.push(`${local.candidateType} ${local.address || local.ip}:${local.port}`);
      }
      return `selected local candidates: ${first.candidateType}, then ${lines.join(', then ')}`;
    } finally {
      for (const turn of turns) await turn.server.close();
    }
  }, { languages: ['c', 'python', 'node', 'swift'], browsers: ['chromium'] });
}

module.exports = { cases };
