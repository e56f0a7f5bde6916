'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, EncodedTrack, Forwarder } = require('./package-under-test').omnirtc;
const { LOOPBACK, once, trickle, negotiate, waitFor } = require('./helpers');

/** Frame i of a layer, ending with its rid; a keyframe (byte 0 bit 0 clear) every 10 frames. */
function layerFrame(i, rid) {
  const frame = new Uint8Array(300);
  frame[0] = i % 10 === 0 ? 0 : 1;
  frame[frame.length - 1] = rid.charCodeAt(0);
  return frame;
}

async function connected(a, b) {
  trickle(a, b);
  await negotiate(a, b);
  await waitFor(() => a.connectionState === 'connected' && b.connectionState === 'connected');
}

test('a forwarder switches a subscriber between simulcast layers', async () => {
  const rids = ['q', 'h', 'f'];
  const [publisher, server, out, subscriber] = Array.from({ length: 4 }, () => new RTCPeerConnection(LOOPBACK));
  const source = new EncodedTrack({ codec: 'video/VP8', rids });
  publisher.addTransceiver(source, { direction: 'sendonly', sendEncodings: rids.map((rid) => ({ rid })) });
  const forwarded = new EncodedTrack({ codec: 'video/VP8', mode: 'rtp' });
  out.addTrack(forwarded);
  const serverTrack = once(server, 'track');
  const subscriberTrack = once(subscriber, 'track');
  await connected(publisher, server);
  await connected(out, subscriber);
  let i = 0;
  const feeding = setInterval(() => {
    for (const rid of rids) source.writeSample(layerFrame(i, rid), 1 / 30, rid);
    i++;
  }, 10);
  const { transceiver } = await serverTrack;
  const forwarder = new Forwarder(transceiver);
  assert.throws(() => new Forwarder(transceiver), { name: 'InvalidStateError' });
  assert.throws(() => forwarder.addSubscriber(forwarded, { rid: 'x' }), TypeError);
  assert.throws(() => forwarder.addSubscriber(forwarded, { rid: 'q', spatial: 8 }), {
    name: 'TypeError',
    message: /spatial layer must be/,
  });
  forwarder.addSubscriber(forwarded, { rid: 'q', spatial: 0 });
  const asked = { rid: 'q', temporal: Forwarder.ALL_TEMPORAL, spatial: 0 };
  assert.deepEqual(forwarder.getLayer(forwarded), { ...asked, started: false, auto: false, target: asked, estimate: 0 });
  const { track: remote } = await subscriberTrack;
  const tags = [];
  remote.addEventListener('frame', (e) => tags.push(String.fromCharCode(new Uint8Array(e.data).at(-1))));
  await waitFor(() => tags.includes('q'));
  forwarder.setLayer(forwarded, { rid: 'f' });
  await waitFor(() => tags.slice(tags.indexOf('f')).length >= 5 && tags.includes('f'));
  const after = tags.slice(tags.indexOf('f'));
  assert.deepEqual(after, after.map(() => 'f'));
  const layer = { rid: 'f', temporal: Forwarder.ALL_TEMPORAL, spatial: Forwarder.ALL_SPATIAL };
  assert.deepEqual(forwarder.getLayer(forwarded), { ...layer, started: true, auto: false, target: layer, estimate: 0 });
  forwarder.setAuto(forwarded, true); // no estimate without 'gcc': the layer set
  assert.deepEqual(forwarder.getLayer(forwarded), { ...layer, started: true, auto: true, target: layer, estimate: 0 });
  assert.throws(() => forwarder.setAuto(forwarded, 1), TypeError);
  forwarder.removeSubscriber(forwarded);
  forwarder.close();
  forwarder.close();
  assert.throws(() => forwarder.getLayer(forwarded), { name: 'InvalidStateError' });
  clearInterval(feeding);
  for (const pc of [publisher, server, out, subscriber]) pc.close();
  source.stop();
  forwarded.stop();
});
