'use strict';
// webrtc-pc 4.9 "Certificate Management" (section numbers of the W3C Recommendation): generateCertificate, RTCCertificate
// and RTCConfiguration.certificates.
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection, RTCCertificate } = require('./package-under-test').omnirtc;
const { LOOPBACK, once, trickle, negotiate } = require('./helpers');

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' };
const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
const DAY = 24 * 60 * 60 * 1000;

/** The a=fingerprint values of an SDP, lowercased (SDP writes them in uppercase, RFC 8122). */
function sdpFingerprints(sdp) {
  return [...sdp.matchAll(/^a=fingerprint:(\S+) (\S+)\r$/gm)].map(([, algorithm, value]) => ({ algorithm, value: value.toLowerCase() }));
}

async function offerOf(certificate) {
  const pc = new RTCPeerConnection({ ...LOOPBACK, certificates: [certificate] });
  pc.createDataChannel('x');
  const offer = await pc.createOffer();
  pc.close();
  return offer.sdp;
}

test('webrtc-pc 4.9 generateCertificate: ECDSA P-256 and RSASSA-PKCS1-v1_5 give an RTCCertificate', async () => {
  for (const algorithm of [ECDSA, RSA, { ...RSA, hash: { name: 'SHA-256' } }, { name: 'ecdsa', namedCurve: 'P-256' }]) {
    const before = Date.now();
    const certificate = await RTCPeerConnection.generateCertificate(algorithm);
    assert.ok(certificate instanceof RTCCertificate);
    assert.equal(Object.prototype.toString.call(certificate), '[object RTCCertificate]');
    // the default lifetime: 30 days (x509 keeps whole seconds)
    assert.ok(certificate.expires > before + 30 * DAY - 1000 && certificate.expires <= Date.now() + 30 * DAY,
      `expires ${certificate.expires}`);
    const fingerprints = certificate.getFingerprints();
    assert.equal(fingerprints.length, 1);
    assert.equal(fingerprints[0].algorithm, 'sha-256');
    assert.match(fingerprints[0].value, /^[0-9a-f]{2}(:[0-9a-f]{2}){31}$/); // RTCDtlsFingerprint: lowercase hex
    fingerprints[0].value = 'changed';
    assert.notEqual(certificate.getFingerprints()[0].value, 'changed'); // a copy each time
  }
});

test('webrtc-pc 4.9 generateCertificate: an algorithm it cannot make rejects with NotSupportedError', async () => {
  for (const algorithm of [{ name: 'ECDSA', namedCurve: 'P-384' }, { name: 'invalid' }, 'ECDSA',
    { ...RSA, publicExponent: new Uint8Array([3]) }, { ...RSA, hash: 'SHA-1' }]) {
    await assert.rejects(RTCPeerConnection.generateCertificate(algorithm),
      (e) => e instanceof DOMException && e.name === 'NotSupportedError', JSON.stringify(algorithm));
  }
  await assert.rejects(RTCPeerConnection.generateCertificate(), TypeError);
  await assert.rejects(RTCPeerConnection.generateCertificate({ namedCurve: 'P-256' }), TypeError);
  await assert.rejects(RTCPeerConnection.generateCertificate(42), TypeError);
});

test('webrtc-pc 4.9.1 RTCCertificateExpiration: expires in the keygenAlgorithm is honoured, and capped at 365 days', async () => {
  const before = Date.now();
  const hour = await RTCPeerConnection.generateCertificate({ ...ECDSA, expires: 3600 * 1000 });
  assert.ok(hour.expires > before + 3600 * 1000 - 1000 && hour.expires <= Date.now() + 3600 * 1000, `${hour.expires}`);
  const long = await RTCPeerConnection.generateCertificate({ ...ECDSA, expires: 10 * 365 * DAY });
  assert.ok(long.expires <= Date.now() + 365 * DAY && long.expires > before + 365 * DAY - 1000, `${long.expires}`);
  await assert.rejects(RTCPeerConnection.generateCertificate({ ...ECDSA, expires: -1 }), TypeError);
});

test('webrtc-pc 4.9.2 the fingerprint in the SDP is the certificate\'s getFingerprints()', async () => {
  for (const algorithm of [ECDSA, RSA]) {
    const certificate = await RTCPeerConnection.generateCertificate(algorithm);
    assert.deepEqual(sdpFingerprints(await offerOf(certificate)), certificate.getFingerprints());
  }
});

test('webrtc-pc 4.4.1 (constructor, certificates) two peers made with the same certificate have the same fingerprint; others differ', async () => {
  const certificate = await RTCPeerConnection.generateCertificate(ECDSA);
  const [first, second] = [sdpFingerprints(await offerOf(certificate)), sdpFingerprints(await offerOf(certificate))];
  assert.deepEqual(first, second);
  const other = new RTCPeerConnection(LOOPBACK);
  other.createDataChannel('x');
  assert.notDeepEqual(sdpFingerprints((await other.createOffer()).sdp), first);
  other.close();
});

test('webrtc-pc 4.4.1 (constructor, certificates) a connection made with a certificate uses it: the remote sees its fingerprint', async () => {
  const [ca, cb] = await Promise.all([RTCPeerConnection.generateCertificate(ECDSA),
    RTCPeerConnection.generateCertificate(RSA)]);
  const a = new RTCPeerConnection({ ...LOOPBACK, certificates: [ca] });
  const b = new RTCPeerConnection({ ...LOOPBACK, certificates: [cb] });
  trickle(a, b);
  const channel = a.createDataChannel('x');
  const opened = once(channel, 'open'); // DTLS checked the fingerprints on both sides
  await negotiate(a, b);
  await opened;
  assert.deepEqual(sdpFingerprints(b.remoteDescription.sdp), ca.getFingerprints());
  assert.deepEqual(sdpFingerprints(a.remoteDescription.sdp), cb.getFingerprints());
  a.close();
  b.close();
});

test('webrtc-pc 4.4.1 (constructor, certificates) an expired certificate makes the constructor throw InvalidAccessError', async () => {
  const expired = await RTCPeerConnection.generateCertificate({ ...ECDSA, expires: 0 });
  assert.ok(expired.expires <= Date.now());
  assert.throws(() => new RTCPeerConnection({ certificates: [expired] }),
    (e) => e instanceof DOMException && e.name === 'InvalidAccessError');
  assert.throws(() => new RTCPeerConnection({ certificates: [{ expires: Date.now() + DAY }] }), TypeError);
});

test('RTCCertificate keeps its private key out of sight, and persists as PEM (OmniRTC)', async () => {
  const certificate = await RTCPeerConnection.generateCertificate(ECDSA);
  assert.deepEqual(Object.keys(certificate), []);
  assert.equal(JSON.stringify(certificate), '{}');
  assert.throws(() => new RTCCertificate(), TypeError);
  // stored, then read again: the same identity
  const again = RTCCertificate.fromPEM(certificate.toPEM());
  assert.equal(again.expires, certificate.expires);
  assert.deepEqual(again.getFingerprints(), certificate.getFingerprints());
  assert.deepEqual(sdpFingerprints(await offerOf(again)), certificate.getFingerprints());
  assert.throws(() => RTCCertificate.fromPEM('not a certificate'), TypeError);
});

test('webrtc-pc 4.4.1.6 getConfiguration: certificates are the RTCCertificate objects given, also after close()', async () => {
  const certificate = await RTCPeerConnection.generateCertificate(ECDSA);
  const pc = new RTCPeerConnection({ ...LOOPBACK, certificates: [certificate] });
  assert.equal(pc.getConfiguration().certificates[0], certificate);
  pc.close();
  assert.equal(pc.getConfiguration().certificates[0], certificate);
  const fromText = new RTCPeerConnection({ ...LOOPBACK, certificates: [certificate.toPEM()] });
  const [made] = fromText.getConfiguration().certificates;
  assert.ok(made instanceof RTCCertificate);
  assert.deepEqual(made.getFingerprints(), certificate.getFingerprints());
  fromText.close();
});
