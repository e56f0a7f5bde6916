'use strict';
// RTCRtpSender.setParameters() argument checks (webrtc-pc 5.2).
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, EncodedTrack } = require('./package-under-test').omnirtc;
const { LOOPBACK } = require('./helpers');

test('webrtc-pc 5.2 setParameters: scaleResolutionDownBy below 1 rejects with RangeError, nothing changes', async () => {
  const pc = new RTCPeerConnection(LOOPBACK);
  const track = new EncodedTrack({ codec: 'vp8' });
  const { sender } = pc.addTransceiver(track);
  for (const scale of [0.5, 0, -1]) {
    const parameters = sender.getParameters();
    parameters.encodings[0].scaleResolutionDownBy = scale;
    await assert.rejects(sender.setParameters(parameters), RangeError, String(scale));
  }
  assert.equal(sender.getParameters().encodings[0].scaleResolutionDownBy, undefined);
  const parameters = sender.getParameters();
  parameters.encodings[0].scaleResolutionDownBy = 1;
  await sender.setParameters(parameters);
  assert.equal(sender.getParameters().encodings[0].scaleResolutionDownBy, 1);
  pc.close();
  track.stop();
});
