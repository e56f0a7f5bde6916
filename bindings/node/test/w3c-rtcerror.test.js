'use strict';
// webrtc-pc 11 "Error Handling" (section numbers of the W3C Recommendation):
// RTCError and RTCErrorEvent, and the error event of a data channel (6.2).
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, RTCError, RTCErrorEvent } = require('./package-under-test').omnirtc;
const { LOOPBACK, once, trickle } = require('./helpers');

const DETAILS = ['data-channel-failure', 'dtls-failure', 'fingerprint-failure', 'sctp-failure', 'sdp-syntax-error',
  'hardware-encoder-not-available', 'hardware-encoder-error'];
const NULLABLE = ['sdpLineNumber', 'sctpCauseCode', 'receivedAlert', 'sentAlert', 'httpRequestStatusCode'];

test('webrtc-pc 11.1 new RTCError(init, message): an OperationError DOMException with its details', () => {
  for (const errorDetail of DETAILS) {
    const error = new RTCError({ errorDetail }, 'what failed');
    assert.ok(error instanceof DOMException);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'OperationError');
    assert.equal(error.message, 'what failed');
    assert.equal(error.code, 0);
    assert.equal(error.errorDetail, errorDetail);
    for (const key of NULLABLE) assert.equal(error[key], null, key); // absent members are null
  }
  assert.equal(new RTCError({ errorDetail: 'dtls-failure' }).message, '');
  const full = new RTCError({ errorDetail: 'sctp-failure', sdpLineNumber: 7, sctpCauseCode: 12, receivedAlert: 40,
    sentAlert: 42, httpRequestStatusCode: 404 });
  assert.deepEqual(NULLABLE.map((key) => full[key]), [7, 12, 40, 42, 404]);
  // WebIDL long / unsigned long: converted, not refused
  const converted = new RTCError({ errorDetail: 'sdp-syntax-error', sdpLineNumber: '3.9', receivedAlert: -1 });
  assert.equal(converted.sdpLineNumber, 3);
  assert.equal(converted.receivedAlert, 4294967295);
});

test('webrtc-pc 11.1 RTCError: errorDetail is required and must be an RTCErrorDetailType (TypeError)', () => {
  assert.throws(() => new RTCError(), TypeError);
  assert.throws(() => new RTCError({}), TypeError);
  assert.throws(() => new RTCError({ sctpCauseCode: 1 }, 'x'), TypeError);
  assert.throws(() => new RTCError({ errorDetail: 'invalid-detail' }), TypeError);
  assert.throws(() => new RTCError('data-channel-failure'), TypeError);
});

test('webrtc-pc 11.1 RTCError attributes are read-only', () => {
  const error = new RTCError({ errorDetail: 'dtls-failure', sentAlert: 1 });
  assert.throws(() => { 'use strict'; error.errorDetail = 'sctp-failure'; }, TypeError);
  assert.throws(() => { 'use strict'; error.sentAlert = 2; }, TypeError);
  assert.equal(error.errorDetail, 'dtls-failure');
  assert.equal(error.sentAlert, 1);
});

test('webrtc-pc 11.2 new RTCErrorEvent(type, {error}): error is required and kept', () => {
  const error = new RTCError({ errorDetail: 'data-channel-failure' });
  const event = new RTCErrorEvent('error', { error, cancelable: true });
  assert.ok(event instanceof Event);
  assert.equal(event.type, 'error');
  assert.equal(event.error, error); // [SameObject]
  assert.equal(event.cancelable, true);
  assert.throws(() => new RTCErrorEvent('error'), TypeError);
  assert.throws(() => new RTCErrorEvent('error', {}), TypeError);
  assert.throws(() => new RTCErrorEvent('error', { error: new DOMException('x', 'OperationError') }), TypeError);
});

test('webrtc-pc 6.2 a data channel\'s error event is an RTCErrorEvent with a data-channel-failure RTCError', async () => {
  // b takes messages of at most 1024 bytes but its answer claims more, so a
  // sends one it cannot take: b's channel fails (the library's CHANNEL_ERROR).
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection({ omnirtc: { ...LOOPBACK.omnirtc, sctpMaxMessageSize: 1024 } });
  trickle(a, b);
  const local = a.createDataChannel('x');
  const remote = once(b, 'datachannel').then((e) => e.channel);
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer());
  const sdp = b.localDescription.sdp.replace(/a=max-message-size:\d+/, 'a=max-message-size:262144');
  await a.setRemoteDescription({ type: 'answer', sdp });
  const [channel] = await Promise.all([remote, once(local, 'open')]);
  let viaHandler = null;
  channel.onerror = (event) => { viaHandler = event; };
  const failed = once(channel, 'error');
  local.send(new Uint8Array(16 * 1024));
  const event = await failed;
  assert.ok(event instanceof RTCErrorEvent);
  assert.equal(viaHandler, event);
  assert.ok(event.error instanceof RTCError);
  assert.equal(event.error.name, 'OperationError');
  assert.equal(event.error.errorDetail, 'data-channel-failure');
  assert.equal(event.error.sctpCauseCode, null);
  assert.ok(event.error.message.length > 0);
  a.close();
  b.close();
});
