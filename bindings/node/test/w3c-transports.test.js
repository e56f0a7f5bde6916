'use strict';
// RTCIceTransport (webrtc-pc 5.6), RTCDtlsTransport (5.5), RTCSctpTransport
// (6.1.1) and RTCRtpSender/RTCRtpReceiver.transport (5.2, 5.3).
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { RTCPeerConnection, RTCDtlsTransport, RTCIceTransport, RTCSctpTransport } = require('./package-under-test').omnirtc;
const { LOOPBACK, once, openPair, selectedPair, trickle, negotiate, waitFor } = require('./helpers');

/** Two peers, a with a channel (and an audio transceiver if asked); trickling if asked. */
function makePair({ trickling = false, audio = false } = {}) {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  if (trickling) trickle(a, b);
  const transceiver = audio ? a.addTransceiver('audio') : null;
  a.createDataChannel('x');
  return { a, b, transceiver };
}

/** Offer and answer without candidates: ICE never starts, every state stays at its first. */
async function negotiateOnly(a, b) {
  const offer = await a.createOffer();
  await a.setLocalDescription(offer);
  await b.setRemoteDescription(offer);
  const answer = await b.createAnswer();
  await b.setLocalDescription(answer);
  await a.setRemoteDescription(answer);
}

/** The events of type on target, each as what getter() says during it. */
function record(target, type, getter) {
  const seen = [];
  target.addEventListener(type, () => seen.push(getter()));
  return seen;
}

test('webrtc-pc 6.1.1: pc.sctp is null until an answer negotiated SCTP, then one RTCSctpTransport', async () => {
  const { a, b } = makePair();
  assert.equal(a.sctp, null);
  const offer = await a.createOffer();
  await a.setLocalDescription(offer);
  assert.equal(a.sctp, null, 'an offer alone negotiates nothing');
  await b.setRemoteDescription(offer);
  assert.equal(b.sctp, null);
  const answer = await b.createAnswer();
  await b.setLocalDescription(answer);
  await a.setRemoteDescription(answer);
  for (const pc of [a, b]) {
    const sctp = pc.sctp;
    assert.ok(sctp instanceof RTCSctpTransport);
    assert.equal(pc.sctp, sctp, 'the same object every time');
    assert.ok(sctp.transport instanceof RTCDtlsTransport);
    assert.ok(sctp.transport.iceTransport instanceof RTCIceTransport);
    assert.equal(sctp.state, 'connecting');
    assert.equal(sctp.maxChannels, null, 'maxChannels is null until connected');
    assert.equal(sctp.maxMessageSize, 65536);
    assert.equal(sctp.transport.state, 'new');
    assert.deepEqual(sctp.transport.getRemoteCertificates(), []);
    assert.equal(sctp.transport.iceTransport.state, 'new');
    assert.equal(sctp.transport.iceTransport.component, 'rtp');
    assert.equal(sctp.transport.iceTransport.getSelectedCandidatePair(), null);
  }
  a.close();
  b.close();
});

test('webrtc-pc 6.1.1: pc.sctp stays null when no m=application was negotiated', async () => {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  a.addTransceiver('audio');
  await negotiateOnly(a, b);
  assert.equal(a.sctp, null);
  assert.equal(b.sctp, null);
  a.close();
  assert.equal(a.sctp, null);
  b.close();
});

test('webrtc-pc 5.2, 5.3: sender.transport and receiver.transport are null until negotiated, then the one RTCDtlsTransport', async () => {
  const { a, b, transceiver } = makePair({ audio: true });
  assert.equal(transceiver.sender.transport, null);
  assert.equal(transceiver.receiver.transport, null);
  await negotiateOnly(a, b);
  const dtls = a.sctp.transport;
  assert.equal(transceiver.sender.transport, dtls, 'bundle: one DTLS transport for everything');
  assert.equal(transceiver.receiver.transport, dtls);
  a.close();
  assert.equal(transceiver.sender.transport, dtls, 'still the (closed) transport after close()');
  assert.equal(dtls.state, 'closed');
  b.close();
});

test('webrtc-pc 5.5, 5.6, 6.1.1: transport states and their statechange events over a connect and a close', async () => {
  const { a, b } = makePair({ trickling: true });
  // An ICE transport's events come before the peer's event for the same change (5.6).
  const order = [];
  const iceEvents = [];
  a.addEventListener('iceconnectionstatechange', () => order.push(`pc:${a.iceConnectionState}`));
  // The offerer's ICE starts with the answer: listeners added when it resolves miss nothing.
  await negotiate(a, b);
  const sctp = a.sctp;
  const dtls = sctp.transport;
  const iceTransport = dtls.iceTransport;
  iceTransport.addEventListener('statechange', () => { iceEvents.push(iceTransport.state); order.push(`ice:${iceTransport.state}`); });
  const dtlsStates = record(dtls, 'statechange', () => dtls.state);
  const sctpStates = record(sctp, 'statechange', () => [sctp.state, sctp.maxChannels]);
  await waitFor(() => sctpStates.length === 1);
  assert.deepEqual(dtlsStates, ['connecting', 'connected'], 'DTLS connects before SCTP can');
  assert.deepEqual(sctpStates, [['connected', 65535]], 'maxChannels once connected');
  assert.equal(iceTransport.role, 'controlling', 'the offerer of a full ICE pair controls');
  assert.equal(b.sctp.transport.iceTransport.role, 'controlled');
  assert.equal(iceEvents[0], 'checking');
  assert.ok(iceEvents.includes('connected'), iceEvents.join());
  assert.deepEqual(order.filter((s) => s.endsWith('checking') || s.endsWith(':connected')),
    ['ice:checking', 'pc:checking', 'ice:connected', 'pc:connected']);
  await waitFor(() => a.iceGatheringState === 'complete');
  assert.equal(iceTransport.gatheringState, 'complete', 'the peer\'s gathering state is its one ICE transport\'s');

  // The remote closes: its close_notify closes our DTLS and SCTP transports, with events.
  const remoteClosed = Promise.all([
    new Promise((resolve) => dtls.addEventListener('statechange', () => { if (dtls.state === 'closed') resolve(); })),
    new Promise((resolve) => sctp.addEventListener('statechange', () => { if (sctp.state === 'closed') resolve(); })),
  ]);
  b.close();
  await remoteClosed;
  assert.equal(dtlsStates.at(-1), 'closed');
  assert.deepEqual(sctpStates.at(-1), ['closed', 65535]);

  // close() closes every transport without firing an event (4.4.1.5).
  const counts = [dtlsStates.length, sctpStates.length, iceEvents.length];
  a.close();
  assert.equal(dtls.state, 'closed');
  assert.equal(sctp.state, 'closed');
  assert.equal(iceTransport.state, 'closed');
  assert.equal(a.sctp, sctp, 'pc.sctp stays the transport after close()');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual([dtlsStates.length, sctpStates.length, iceEvents.length], counts);
});

test('webrtc-pc 5.5: getRemoteCertificates() is the remote\'s DER certificate, whose SHA-256 is its a=fingerprint', async () => {
  const [a, b] = await openPair();
  for (const [pc, remote] of [[a, b], [b, a]]) {
    const certificates = pc.sctp.transport.getRemoteCertificates();
    assert.equal(certificates.length, 1);
    assert.ok(certificates[0] instanceof ArrayBuffer);
    const der = Buffer.from(certificates[0]);
    assert.equal(der[0], 0x30, 'a DER SEQUENCE');
    assert.doesNotThrow(() => new crypto.X509Certificate(der));
    const digest = crypto.createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g).join(':');
    const fingerprint = /a=fingerprint:sha-256 (\S+)/i.exec(remote.localDescription.sdp)[1].toUpperCase();
    assert.equal(digest, fingerprint);
  }
  a.close();
  b.close();
});

test('webrtc-pc 5.6: getSelectedCandidatePair() is getStats\' selected candidate pair; selectedcandidatepairchange fired', async () => {
  const { a, b } = makePair({ trickling: true });
  const opened = once(b, 'datachannel');
  await negotiate(a, b);
  const iceTransport = a.sctp.transport.iceTransport;
  const changes = record(iceTransport, 'selectedcandidatepairchange', () => iceTransport.getSelectedCandidatePair());
  await opened;
  await waitFor(() => changes.length > 0);
  assert.ok(changes[0].local.candidate.startsWith('candidate:'));
  const pair = iceTransport.getSelectedCandidatePair();
  assert.ok(pair, 'a selected pair once connected');
  const { pair: selected, report: stats } = await selectedPair(a);
  const local = stats.get(selected.localCandidateId);
  const remote = stats.get(selected.remoteCandidateId);
  assert.equal(pair.local.address, local.ip); // pion's stats name it ip, as before webrtc-stats renamed it address
  assert.equal(pair.local.port, local.port);
  assert.equal(pair.remote.address, remote.ip);
  assert.equal(pair.remote.port, remote.port);
  assert.equal(pair.local.type, local.candidateType);
  a.close();
  b.close();
});
