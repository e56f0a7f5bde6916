'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate } = require('./package-under-test').omnirtc;
const { LOOPBACK, openPair } = require('./helpers');

const isDOMException = (name) => (error) => error instanceof DOMException && error.name === name && error.message !== '';

test('bad configuration is a TypeError naming the key, a bad ICE server URL a SyntaxError (webrtc-pc 4.2)', () => {
  assert.throws(() => new RTCPeerConnection('stun:x'), TypeError);
  assert.throws(() => new RTCPeerConnection({ iceTransportPolicy: 'none' }), /iceTransportPolicy/);
  assert.throws(() => new RTCPeerConnection({ omnirtc: { mdsn: 'off' } }), /mdsn/);
  assert.throws(() => new RTCPeerConnection({ iceServers: [{ urls: 5 }] }), TypeError);
  assert.throws(() => new RTCPeerConnection({ iceServers: [{ urls: 'http://x' }] }),
    (error) => isDOMException('SyntaxError')(error) && /iceServers\[0\]\.urls/.test(error.message));
});

test('RTCDataChannelInit rules are the library\'s: a TypeError with its message', () => {
  const pc = new RTCPeerConnection(LOOPBACK);
  for (const init of [{ maxRetransmits: 1, maxPacketLifeTime: 1 }, { maxRetransmits: -1 }, { maxPacketLifeTime: 65536 },
    { negotiated: true }, { negotiated: true, id: 65535 }, { negotiated: true, id: 70000 }]) {
    assert.throws(() => pc.createDataChannel('x', init), (error) => error instanceof TypeError
      && /data channel options/.test(error.message) && error.omnirtcStatus !== undefined, JSON.stringify(init));
  }
  pc.close();
});

test('createDataChannel arguments', () => {
  const pc = new RTCPeerConnection(LOOPBACK);
  assert.throws(() => pc.createDataChannel(), TypeError);
  assert.throws(() => pc.createDataChannel('x', { maxRetransmits: 1, maxPacketLifeTime: 1 }), TypeError);
  assert.throws(() => pc.createDataChannel('x', { maxRetransmits: -1 }), TypeError);
  assert.throws(() => pc.createDataChannel('x', { negotiated: true }), TypeError);
  assert.throws(() => pc.createDataChannel('x', { negotiated: true, id: 65535 }), TypeError);
  assert.throws(() => pc.createDataChannel('x', 'options'), TypeError);
  const channel = pc.createDataChannel('x');
  assert.throws(() => channel.send('early'), isDOMException('InvalidStateError'));
  pc.close();
  assert.throws(() => pc.createDataChannel('late'), isDOMException('InvalidStateError'));
});

test('descriptions and candidates reject with W3C errors', async () => {
  const pc = new RTCPeerConnection(LOOPBACK);
  assert.throws(() => new RTCSessionDescription({ type: 'bogus', sdp: '' }), TypeError);
  assert.throws(() => new RTCIceCandidate({ candidate: 'candidate:1' }), TypeError);
  await assert.rejects(pc.setRemoteDescription({ type: 'offer', sdp: 'garbage' }), isDOMException('InvalidAccessError'));
  await assert.rejects(pc.setRemoteDescription({ type: 'bogus', sdp: 'v=0' }), TypeError);
  await assert.rejects(pc.setRemoteDescription(null), TypeError);
  await assert.rejects(pc.createAnswer(), isDOMException('InvalidStateError'));
  await assert.rejects(pc.addIceCandidate({ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' }),
    isDOMException('InvalidStateError'));
  const other = new RTCPeerConnection(LOOPBACK);
  other.createDataChannel('x');
  await pc.setRemoteDescription(await other.createOffer());
  await assert.rejects(pc.addIceCandidate({ candidate: 'candidate:garbage', sdpMid: '0' }), isDOMException('OperationError'));
  await assert.rejects(pc.addIceCandidate({ candidate: 'candidate:1 1 udp 1 1.2.3.4 9 typ host' }), TypeError);
  pc.close();
  other.close();
  await assert.rejects(pc.createOffer(), isDOMException('InvalidStateError'));
});

test('send: wrong types, too large, after close', async () => {
  const [a, b, local] = await openPair();
  assert.throws(() => local.send(42), TypeError);
  assert.throws(() => local.send({}), TypeError);
  assert.throws(() => local.send(new Uint8Array(a.sctp.maxMessageSize + 1)), TypeError);
  local.send(new Uint8Array(a.sctp.maxMessageSize));
  a.close();
  assert.throws(() => local.send('late'), isDOMException('InvalidStateError'));
  b.close();
});
