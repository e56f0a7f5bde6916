'use strict';
// webrtc-pc 7 (Peer-to-peer DTMF): RTCDTMFSender and RTCDTMFToneChangeEvent,
// from the specification's text, and the tones arriving at another of our
// peers as the non-standard 'dtmf' event of the remote track.
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, EncodedTrack, RTCDTMFSender, RTCDTMFToneChangeEvent } = require('./package-under-test').omnirtc;
const { LOOPBACK, once, trickle, negotiate } = require('./helpers');

/** a sends an Opus track to b, fed with 20 ms packets until stop(). */
async function audioCall(t) {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  trickle(a, b);
  const track = new EncodedTrack({ codec: 'opus', id: 'mic' });
  const sender = a.addTrack(track);
  const remote = once(b, 'track').then((e) => e.track);
  await negotiate(a, b);
  let i = 0;
  const timer = setInterval(() => track.writeSample(Buffer.from(`opus-${String(i++).padStart(6, '0')}`), 0.02), 20);
  t.after(() => { clearInterval(timer); a.close(); b.close(); track.stop(); });
  return { a, b, sender, remote: await remote };
}

/** Collects the tonechange tones of dtmf until the final ''. */
function toneChanges(dtmf) {
  const tones = [];
  return new Promise((resolve) => {
    dtmf.ontonechange = (e) => {
      assert.ok(e instanceof RTCDTMFToneChangeEvent);
      tones.push(e.tone);
      if (e.tone === '') resolve(tones);
    };
  });
}

test('webrtc-pc 7.1: sender.dtmf is an RTCDTMFSender for audio, the same each time, null for video', () => {
  const pc = new RTCPeerConnection();
  const audio = pc.addTransceiver('audio').sender;
  const video = pc.addTransceiver('video').sender;
  assert.ok(audio.dtmf instanceof RTCDTMFSender);
  assert.ok(audio.dtmf instanceof EventTarget);
  assert.equal(audio.dtmf, audio.dtmf);
  assert.equal(video.dtmf, null);
  pc.close();
});

test('webrtc-pc 7.3: RTCDTMFToneChangeEvent carries its tone, "" by default', () => {
  assert.equal(new RTCDTMFToneChangeEvent('tonechange', { tone: 'A' }).tone, 'A');
  assert.equal(new RTCDTMFToneChangeEvent('tonechange').tone, '');
});

test('webrtc-pc 7.2: before negotiation canInsertDTMF is false and insertDTMF throws InvalidStateError', () => {
  const pc = new RTCPeerConnection();
  const track = new EncodedTrack({ codec: 'opus' });
  const { dtmf } = pc.addTrack(track);
  assert.equal(dtmf.canInsertDTMF, false);
  assert.throws(() => dtmf.insertDTMF('1'), { name: 'InvalidStateError' });
  assert.equal(dtmf.toneBuffer, '');
  pc.close();
  track.stop();
});

test('webrtc-pc 7.2: insertDTMF validates, upper-cases and replaces the tone buffer; tonechange per tone, then ""', async (t) => {
  const { sender } = await audioCall(t);
  const { dtmf } = sender;
  assert.equal(dtmf.canInsertDTMF, true);
  // "If tones contains any unrecognized characters, throw an InvalidCharacterError"
  assert.throws(() => dtmf.insertDTMF('123X'), { name: 'InvalidCharacterError' });
  assert.throws(() => dtmf.insertDTMF('1 2'), { name: 'InvalidCharacterError' });
  assert.equal(dtmf.toneBuffer, '', 'a refused call leaves the buffer');
  const changes = toneChanges(dtmf);
  const first = once(dtmf, 'tonechange');
  dtmf.insertDTMF('abcd', 40, 30);
  assert.equal(dtmf.toneBuffer, 'ABCD', 'toneBuffer, in the same task: every tone, upper-cased');
  assert.equal((await first).tone, 'A');
  assert.equal(dtmf.toneBuffer, 'BCD');
  // a new call replaces the buffer: the tone already started ends, the rest is the new one
  dtmf.insertDTMF('1#*,', 40, 30);
  assert.equal(dtmf.toneBuffer, '1#*,');
  assert.deepEqual(await changes, ['A', '1', '#', '*', ',', '']);
  assert.equal(dtmf.toneBuffer, '');
});

test('webrtc-pc 7.2: toneBuffer drains as tonechange fires; calling insertDTMF in a tonechange handler resets it', async (t) => {
  const { sender } = await audioCall(t);
  const { dtmf } = sender;
  const seen = [];
  const done = new Promise((resolve) => {
    dtmf.ontonechange = (e) => {
      seen.push([e.tone, dtmf.toneBuffer]);
      if (e.tone === '1') dtmf.insertDTMF('9', 40, 30);
      if (e.tone === '') resolve();
    };
  });
  dtmf.insertDTMF('123', 40, 30);
  await done;
  assert.deepEqual(seen, [['1', '23'], ['9', ''], ['', '']]);
});

test('webrtc-pc 7.2 and RFC 4733: the remote peer receives exactly the tones, with their clamped durations', async (t) => {
  const { sender, remote } = await audioCall(t);
  const received = [];
  remote.addEventListener('dtmf', (e) => received.push(`${e.tone}:${e.duration}`));
  const frames = [];
  remote.addEventListener('frame', (e) => frames.push(Buffer.from(e.data).toString()));
  const changes = toneChanges(sender.dtmf);
  // duration clamps to 40..6000 ms and interToneGap to at least 30 ms
  sender.dtmf.insertDTMF('1a#', 10, 0);
  await changes;
  const again = toneChanges(sender.dtmf);
  sender.dtmf.insertDTMF('*', 250);
  await again;
  const last = once(remote, 'dtmf');
  if (received.length < 4) await last;
  assert.deepEqual(received, ['1:40', 'A:40', '#:40', '*:250']);
  // the audio around them: Opus packets only, none lost or reordered
  assert.ok(frames.length > 0);
  for (const [k, f] of frames.entries()) {
    assert.match(f, /^opus-\d{6}$/);
    if (k > 0) assert.equal(Number(f.slice(5)), Number(frames[k - 1].slice(5)) + 1);
  }
});
