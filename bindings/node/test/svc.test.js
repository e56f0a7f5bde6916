'use strict';
// SVC from Node (W3C webrtc-svc): scalabilityMode in sendEncodings and
// getParameters, scalabilityModes in getCapabilities, and each received RTP
// packet's spatial and temporal layer.
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, RTCRtpSender, EncodedTrack } = require('./package-under-test').omnirtc;
const { LOOPBACK, trickle, negotiate, waitFor } = require('./helpers');

const TEMPORAL = [0, 2, 1, 2]; // L3T3's pattern of temporal layers
const SPATIAL = 3;

/**
 * One VP9 layer frame in one packet, numbered seq: a non-flexible descriptor (I L B E; P after the first picture;
 * D above spatial layer 0).
 */
function vp9Packet(seq, picture, spatial, temporal) {
  const packet = new Uint8Array(17);
  const view = new DataView(packet.buffer);
  view.setUint8(0, 0x80);
  view.setUint8(1, 98);
  view.setUint16(2, seq);
  view.setUint32(4, picture * 3000);
  packet.set([0xac | (picture ? 0x40 : 0), picture, temporal << 5 | spatial << 1 | (spatial ? 1 : 0), 0, 0x82], 12);
  return packet;
}

/**
 * A connected call in which a sends an 'rtp' track of codec (with init's sendEncodings) and b records each
 * received packet's layer by sequence number.
 */
async function rtpCall(codec, sendEncodings = []) {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  trickle(a, b);
  b.setTrackReceive({ mode: 'rtp' });
  const track = new EncodedTrack({ codec, mode: 'rtp' });
  a.addTransceiver(track, { direction: 'sendonly', sendEncodings });
  const got = new Map();
  b.addEventListener('track', ({ track: remote }) => {
    remote.addEventListener('rtp', ({ data, spatialId, temporalId, keyframe, switchPoint }) => {
      got.set(new DataView(data.buffer, data.byteOffset).getUint16(2), { spatialId, temporalId, keyframe, switchPoint });
    });
  });
  await negotiate(a, b);
  await waitFor(() => a.connectionState === 'connected' && b.connectionState === 'connected');
  return { track, got, close: () => { track.stop(); a.close(); b.close(); } };
}

test('received VP9 packets carry their spatial and temporal layers', async () => {
  const { track, got, close } = await rtpCall('vp9', [{ scalabilityMode: 'L3T3' }]);
  const want = new Map();
  let seq = 1;
  for (let picture = 0; picture < TEMPORAL.length; picture++) {
    for (let spatial = 0; spatial < SPATIAL; spatial++, seq++) {
      track.writeRtp(vp9Packet(seq, picture, spatial, TEMPORAL[picture]));
      want.set(seq, { spatialId: spatial, temporalId: TEMPORAL[picture], keyframe: seq === 1, switchPoint: picture === 0 });
    }
  }
  await waitFor(() => got.size >= want.size);
  assert.deepEqual(got, want);
  close();
});

test('a VP8 packet says no layer', async () => {
  const { track, got, close } = await rtpCall('vp8');
  const packet = vp9Packet(1, 0, 0, 0);
  packet[1] = 96; // VP8's payload type
  track.writeRtp(packet);
  await waitFor(() => got.size > 0);
  assert.deepEqual(got.get(1), { spatialId: null, temporalId: null, keyframe: null, switchPoint: null });
  close();
});

test('scalabilityMode is kept, reported and checked against the codec', async () => {
  const pc = new RTCPeerConnection(LOOPBACK);
  assert.throws(() => pc.addTransceiver(new EncodedTrack({ codec: 'vp8' }), {
    sendEncodings: [{ scalabilityMode: 'L3T3_KEY' }],
  }), { name: 'OperationError', message: /L3T3_KEY/ });
  const { sender } = pc.addTransceiver(new EncodedTrack({ codec: 'vp9' }), {
    sendEncodings: [{ scalabilityMode: 'L3T3_KEY' }],
  });
  let parameters = sender.getParameters();
  assert.equal(parameters.encodings[0].scalabilityMode, 'L3T3_KEY');
  parameters.encodings[0].scalabilityMode = 'L2T2';
  await sender.setParameters(parameters);
  assert.equal(sender.getParameters().encodings[0].scalabilityMode, 'L2T2');
  parameters = sender.getParameters();
  parameters.encodings[0].scalabilityMode = 'L9T9';
  await assert.rejects(sender.setParameters(parameters), { name: 'OperationError', message: /L9T9/ });
  pc.close();
});

test('getCapabilities lists each codec\'s scalability modes', () => {
  const codecs = new Map(RTCRtpSender.getCapabilities('video').codecs.map((c) => [c.mimeType, c]));
  assert.ok(codecs.get('video/VP9').scalabilityModes.includes('L3T3_KEY'));
  assert.ok(codecs.get('video/AV1').scalabilityModes.includes('L3T3_KEY'));
  assert.deepEqual(codecs.get('video/VP8').scalabilityModes, ['L1T1', 'L1T2', 'L1T3']);
  assert.ok(RTCRtpSender.getCapabilities('audio').codecs.every((c) => c.scalabilityModes === undefined));
});
