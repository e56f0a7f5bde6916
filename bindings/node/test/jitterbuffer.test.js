'use strict';
// The "jitterBuffer" interceptor from Node: RTP sent out of order is
// delivered in order, and inbound-rtp counts it.
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, EncodedTrack } = require('./package-under-test').omnirtc;
const { LOOPBACK, trickle, negotiate, waitFor } = require('./helpers');

const PACKETS = 40;

function withJitterBuffer(jitterBuffer) {
  return {
    omnirtc: { ...LOOPBACK.omnirtc, interceptors: ['nack', 'rtx', 'stats', 'jitterBuffer'], jitterBuffer },
  };
}

/** A one-packet VP8 frame numbered seq (marker set, payload type 96). */
function vp8Packet(seq) {
  const packet = new Uint8Array(14);
  const view = new DataView(packet.buffer);
  view.setUint8(0, 0x80);
  view.setUint8(1, 0x80 | 96);
  view.setUint16(2, seq);
  view.setUint32(4, seq * 3000);
  packet[12] = 0x10;
  packet[13] = seq;
  return packet;
}

test('the jitter buffer puts RTP back in order and reports it in inbound-rtp', async () => {
  const config = withJitterBuffer({ targetDelayMs: 5000, maxPackets: 256 });
  const a = new RTCPeerConnection(config);
  const b = new RTCPeerConnection(config);
  trickle(a, b);
  // Set before the track exists: setReceiveMode in the 'track' handler comes
  // after the buffer may already have let packet 0 out as a frame.
  b.setTrackReceive({ mode: 'rtp' });
  const track = new EncodedTrack({ codec: 'vp8', mode: 'rtp' });
  a.addTransceiver(track, { direction: 'sendonly' });
  const seqs = [];
  b.addEventListener('track', ({ track: remote }) => {
    remote.addEventListener('rtp', ({ data }) => {
      const seq = new DataView(data.buffer, data.byteOffset).getUint16(2);
      // only a packet delivered whole counts: it ends with vp8Packet's payload
      if (data[data.length - 2] === 0x10 && data[data.length - 1] === (seq & 0xff)) seqs.push(seq);
    });
  });
  await negotiate(a, b);
  await waitFor(() => a.connectionState === 'connected' && b.connectionState === 'connected');
  track.writeRtp(vp8Packet(0));
  track.writeRtp(vp8Packet(1));
  for (let k = 2; k < PACKETS; k += 2) {
    track.writeRtp(vp8Packet(k + 1));
    track.writeRtp(vp8Packet(k));
  }
  await waitFor(() => seqs.length >= PACKETS);
  assert.deepEqual(seqs, Array.from({ length: PACKETS }, (_, i) => i));
  const inbound = [...(await b.getStats()).values()].find((s) => s.type === 'inbound-rtp');
  assert.equal(inbound.jitterBufferEmittedCount, PACKETS);
  assert.equal(inbound.packetsDiscarded, 0);
  assert.equal(inbound.jitterBufferTargetDelay, 5 * PACKETS);
  assert.ok(inbound.jitterBufferDelay >= 0 && inbound.jitterBufferDelay < inbound.jitterBufferTargetDelay);
  track.stop();
  a.close();
  b.close();
});

test('bad jitter buffer options are a TypeError naming the key', () => {
  assert.throws(() => new RTCPeerConnection(withJitterBuffer({ targetDelayMs: 0 })), {
    name: 'TypeError', message: /targetDelayMs/,
  });
  assert.throws(() => new RTCPeerConnection({ omnirtc: { jitterBuffer: {} } }), {
    name: 'TypeError', message: /interceptors/,
  });
});
