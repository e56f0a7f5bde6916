'use strict';
// W3C webrtc-pc 4.4.1.6 "set the remote description" for remote tracks: the
// track event fires while setRemoteDescription runs, before its promise
// resolves, the track muted until media arrives; a later description that
// stops the remote sending mutes it (it leaves its streams), one that sends
// again fires track again; the transceiver's stop ends it.
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, EncodedTrack, MediaStream } = require('./package-under-test').omnirtc;
const { LOOPBACK, once, trickle, waitFor } = require('./helpers');

function frame(i) {
  const f = new Uint8Array(500).fill(i % 256);
  f[0] = i === 0 ? 0 : 1;
  return f;
}

/** Writes frames on track every 10 ms; returns a stop function. */
function feed(track) {
  let i = 0;
  const timer = setInterval(() => track.writeSample(frame(i++), 1 / 30), 10);
  return () => clearInterval(timer);
}

async function pair() {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  trickle(a, b);
  const track = new EncodedTrack({ codec: 'vp8', id: 'cam', streamId: 'stream' });
  const sender = a.addTrack(track);
  return { a, b, track, sender };
}

/** A pair negotiated, and b's track event (fired during the negotiation). */
async function negotiated() {
  const { a, b, track } = await pair();
  const trackEvent = once(b, 'track');
  await offerAnswer(a, b);
  return { a, b, track, trackEvent: await trackEvent };
}

/** a offers, b answers. */
async function offerAnswer(a, b) {
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
}

test('4.4.1.6: track fires before setRemoteDescription resolves, the track muted', async () => {
  const { a, b, track } = await pair();
  const events = [];
  b.addEventListener('track', (e) => events.push({ track: e.track, muted: e.track.muted, streams: e.streams }));
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  assert.equal(events.length, 1, 'the track event fired before the promise resolved');
  assert.equal(events[0].muted, true);
  assert.equal(events[0].track.id, 'cam');
  assert.equal(events[0].track.readyState, 'live');
  assert.equal(events[0].streams.length, 1);
  assert.ok(events[0].streams[0] instanceof MediaStream);
  assert.equal(events[0].streams[0].id, 'stream');
  assert.deepEqual(events[0].streams[0].getTracks(), [events[0].track]);
  a.close();
  b.close();
  track.stop();
});

test('4.4.1.6: a track listener added after setRemoteDescription misses the event, as in browsers', async () => {
  const { a, b, track } = await pair();
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  let late = 0;
  b.ontrack = () => late++;
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(late, 0);
  assert.equal(b.getReceivers()[0].track.muted, true);
  a.close();
  b.close();
  track.stop();
});

test('4.4.1.6: the first packet unmutes the track, then frames arrive', async () => {
  const { a, b, track, trackEvent: { track: remote } } = await negotiated();
  const order = [];
  remote.addEventListener('unmute', () => order.push(`unmute:${remote.muted}`));
  remote.addEventListener('frame', () => order.push('frame'));
  const stop = feed(track);
  await waitFor(() => order.includes('frame'));
  assert.equal(order[0], 'unmute:false');
  assert.equal(remote.codec.mimeType, 'video/VP8');
  assert.ok(remote.ssrc > 0);
  stop();
  a.close();
  b.close();
  track.stop();
});

test('4.4.1.6: a description that stops the remote sending mutes the track and takes it from its stream; '
  + 'sending again fires track again with the same track', async () => {
  const { a, b, track, sender } = await pair();
  const tracks = [];
  b.addEventListener('track', (e) => tracks.push(e));
  await offerAnswer(a, b);
  const remote = tracks[0].track;
  const [stream] = tracks[0].streams;
  const stop = feed(track);
  await once(remote, 'unmute');

  const transceiver = a.getTransceivers().find((t) => t.sender === sender);
  transceiver.direction = 'recvonly';
  const removed = once(stream, 'removetrack');
  const muted = once(remote, 'mute');
  await offerAnswer(a, b);
  await muted;
  assert.equal((await removed).track, remote);
  assert.equal(remote.muted, true);
  assert.equal(remote.readyState, 'live');
  assert.deepEqual(stream.getTracks(), []);

  transceiver.direction = 'sendrecv';
  const added = once(stream, 'addtrack');
  const unmuted = once(remote, 'unmute');
  await offerAnswer(a, b);
  assert.equal(tracks.length, 2, 'track fired again during setRemoteDescription');
  assert.equal(tracks[1].track, remote);
  assert.equal(tracks[1].streams[0], stream);
  assert.equal((await added).track, remote);
  await unmuted;
  assert.equal(remote.muted, false);
  stop();
  a.close();
  b.close();
  track.stop();
});

test('4.4.1.6: the track ends when its transceiver stops, not before', async () => {
  const { a, b, track, trackEvent: { track: remote, transceiver } } = await negotiated();
  const ended = once(remote, 'ended');
  let mutes = 0;
  remote.addEventListener('mute', () => mutes++);
  transceiver.stop();
  await ended;
  assert.equal(remote.readyState, 'ended');
  assert.equal(mutes, 0);
  a.close();
  b.close();
  track.stop();
});
