'use strict';
// Remote candidates in the remote description (W3C webrtc-pc 4.4.1.6
// addIceCandidate, JSEP 5.8), administratively prohibited TCP candidates
// (4.4.1.6, the Fetch standard's bad ports), descriptions without media
// sections (JSEP 5.8), and data channel ids by the DTLS role (webrtc-pc
// 4.4.1.6 and 6.2, RFC 8832 6).
const test = require('node:test');
const assert = require('node:assert/strict');
const { RTCPeerConnection } = require('./package-under-test').omnirtc;
const { LOOPBACK, TIMEOUT, negotiate, once, trickle, waitFor } = require('./helpers');

const HOST = 'candidate:1 1 udp 2113937151 192.0.2.1 5000 typ host';
const OTHER = 'candidate:2 1 udp 2113937151 192.0.2.2 6000 typ host';

/** The media sections of an SDP, each as its lines. */
function sections(sdp) {
  return sdp.split('\r\nm=').slice(1).map((s) => s.split('\r\n'));
}

/** How many times `line` is in each media section of sdp. */
function counts(sdp, line) {
  return sections(sdp).map((lines) => lines.filter((l) => l === line).length);
}

/** A peer holding the remote offer of one audio and one data section (mids "0" and "1"), and the offerer. */
async function offered() {
  const offerer = new RTCPeerConnection(LOOPBACK);
  offerer.addTransceiver('audio');
  offerer.createDataChannel('data');
  const pc = new RTCPeerConnection(LOOPBACK);
  await pc.setRemoteDescription(await offerer.createOffer()); // no gathering: no candidates of its own
  assert.deepEqual(sections(pc.remoteDescription.sdp).map((s) => s.find((l) => l.startsWith('a=mid:'))), ['a=mid:0', 'a=mid:1']);
  return [pc, offerer];
}

test('4.4.1.6: addIceCandidate adds the candidate to the m-section of its sdpMid, else of its sdpMLineIndex', async () => {
  const [pc, offerer] = await offered();
  await pc.addIceCandidate({ candidate: HOST, sdpMid: '1' });
  assert.deepEqual(counts(pc.remoteDescription.sdp, `a=${HOST}`), [0, 1]);
  await pc.addIceCandidate({ candidate: OTHER, sdpMLineIndex: 0 });
  assert.deepEqual(counts(pc.remoteDescription.sdp, `a=${OTHER}`), [1, 0]);
  // sdpMid wins over sdpMLineIndex
  await pc.addIceCandidate({ candidate: OTHER, sdpMid: '1', sdpMLineIndex: 0 });
  assert.deepEqual(counts(pc.remoteDescription.sdp, `a=${OTHER}`), [1, 1]);
  // a candidate given twice is there once; pendingRemoteDescription is the same description
  await pc.addIceCandidate({ candidate: HOST, sdpMid: '1' });
  assert.deepEqual(counts(pc.pendingRemoteDescription.sdp, `a=${HOST}`), [0, 1]);
  assert.equal(pc.currentRemoteDescription, null);
  // once answered, the description is the current one and keeps its candidates
  await pc.setLocalDescription(await pc.createAnswer());
  assert.equal(pc.pendingRemoteDescription, null);
  assert.deepEqual(counts(pc.currentRemoteDescription.sdp, `a=${HOST}`), [0, 1]);
  assert.deepEqual(counts(pc.remoteDescription.sdp, `a=${OTHER}`), [1, 1]);
  pc.close();
  offerer.close();
});

test('4.4.1.6: the end-of-candidates indication goes to its m-section, or to every one without sdpMid and sdpMLineIndex', async () => {
  const [pc, offerer] = await offered();
  await pc.addIceCandidate({ candidate: '', sdpMid: '1' });
  assert.deepEqual(counts(pc.remoteDescription.sdp, 'a=end-of-candidates'), [0, 1]);
  await pc.addIceCandidate({ candidate: '', sdpMLineIndex: 0 });
  assert.deepEqual(counts(pc.remoteDescription.sdp, 'a=end-of-candidates'), [1, 1]);
  const [pc2, offerer2] = await offered();
  await pc2.addIceCandidate({ candidate: '' });
  assert.deepEqual(counts(pc2.remoteDescription.sdp, 'a=end-of-candidates'), [1, 1]);
  const [pc3, offerer3] = await offered();
  await pc3.addIceCandidate(); // no argument: end of candidates too
  assert.deepEqual(counts(pc3.remoteDescription.sdp, 'a=end-of-candidates'), [1, 1]);
  for (const p of [pc, offerer, pc2, offerer2, pc3, offerer3]) p.close();
});

test('4.4.1.6: a candidate for an unknown sdpMid or sdpMLineIndex is an OperationError, one with neither a TypeError', async () => {
  const [pc, offerer] = await offered();
  await assert.rejects(pc.addIceCandidate({ candidate: HOST, sdpMid: 'nope' }), { name: 'OperationError' });
  await assert.rejects(pc.addIceCandidate({ candidate: HOST, sdpMLineIndex: 2 }), { name: 'OperationError' });
  await assert.rejects(pc.addIceCandidate({ candidate: '', sdpMid: 'nope' }), { name: 'OperationError' });
  await assert.rejects(pc.addIceCandidate({ candidate: HOST }), TypeError);
  assert.ok(!pc.remoteDescription.sdp.includes('192.0.2.1'), 'nothing refused is added');
  pc.close();
  offerer.close();
});

test('4.4.1.6: a candidate goes to the remote descriptions of its ICE generation', async () => {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  a.createDataChannel('data');
  await negotiate(a, b);
  // a renegotiation with the same ICE credentials: pending and current are of one generation
  a.createDataChannel('more');
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  assert.notEqual(b.pendingRemoteDescription, null);
  await b.addIceCandidate({ candidate: HOST, sdpMid: '0' });
  assert.deepEqual(counts(b.pendingRemoteDescription.sdp, `a=${HOST}`), [1]);
  assert.deepEqual(counts(b.currentRemoteDescription.sdp, `a=${HOST}`), [1]);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription);
  // an ICE restart: the new offer's candidates are not the old description's
  await a.setLocalDescription(await a.createOffer({ iceRestart: true }));
  await b.setRemoteDescription(a.localDescription);
  await b.addIceCandidate({ candidate: OTHER, sdpMid: '0' });
  assert.deepEqual(counts(b.pendingRemoteDescription.sdp, `a=${OTHER}`), [1]);
  assert.deepEqual(counts(b.currentRemoteDescription.sdp, `a=${OTHER}`), [0]);
  a.close();
  b.close();
});

test('4.4.1.6: a TCP candidate at a bad port is administratively prohibited: accepted, described, never used', async () => {
  const [pc, offerer] = await offered();
  const tcp = (port, tcptype = 'passive') => `candidate:${port} 1 tcp 2105524479 127.0.0.1 ${port} typ host tcptype ${tcptype}`;
  for (const port of [2049, 5060, 6697]) await pc.addIceCandidate({ candidate: tcp(port), sdpMid: '0' });
  await pc.addIceCandidate({ candidate: tcp(8001), sdpMid: '0' }); // not a bad port
  await pc.addIceCandidate({ candidate: 'candidate:9 1 udp 2113937151 127.0.0.1 2049 typ host', sdpMid: '0' }); // UDP
  assert.deepEqual(counts(pc.remoteDescription.sdp, `a=${tcp(2049)}`), [1, 0], 'added to the description');
  // The ICE agent takes candidates in order: once it has the last two, it would have the others.
  let remote = [];
  for (const deadline = Date.now() + TIMEOUT; remote.length < 2 && Date.now() < deadline;) {
    remote = [...(await pc.getStats()).values()].filter((s) => s.type === 'remote-candidate')
      .map((s) => `${s.protocol} ${s.port}`).sort();
  }
  assert.deepEqual(remote, ['tcp 8001', 'udp 2049']);
  pc.close();
  offerer.close();
});

test('JSEP 5.8: an offer without media sections is accepted and answered without any', async () => {
  // The W3C suite's description: no m= line, so no ICE credentials.
  const sdp = 'v=0\r\no=- 166855176514521964 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=msid-semantic:WMS *\r\n';
  const pc = new RTCPeerConnection(LOOPBACK);
  await pc.setRemoteDescription({ type: 'offer', sdp });
  assert.equal(pc.signalingState, 'have-remote-offer');
  const answer = await pc.createAnswer();
  assert.equal(answer.type, 'answer');
  assert.ok(!answer.sdp.includes('\r\nm='), answer.sdp);
  await pc.setLocalDescription(answer);
  assert.equal(pc.signalingState, 'stable');
  pc.close();
});

test('JSEP 5.8: two peers negotiate no media, then a data channel connects in the renegotiation', async () => {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  trickle(a, b);
  await negotiate(a, b);
  assert.ok(!a.localDescription.sdp.includes('\r\nm='));
  assert.equal(a.signalingState, 'stable');
  assert.equal(b.signalingState, 'stable');
  const channel = a.createDataChannel('later');
  const remote = once(b, 'datachannel');
  await negotiate(a, b);
  await once(channel, 'open');
  assert.equal((await remote).channel.label, 'later');
  a.close();
  b.close();
});

/** The DTLS role a description's a=setup gives its sender: "client" for active, "server" for passive. */
function setupRole(sdp) {
  const setup = /a=setup:(\w+)/.exec(sdp)[1];
  return { active: 'client', passive: 'server' }[setup];
}

test('6.2, 4.4.1.6: a data channel id is null until an answer negotiates the DTLS role, then even on the client, odd on the server', async () => {
  const a = new RTCPeerConnection(LOOPBACK);
  const b = new RTCPeerConnection(LOOPBACK);
  trickle(a, b);
  const ofA = [a.createDataChannel('a1'), a.createDataChannel('a2')];
  const ofB = b.createDataChannel('b1');
  const negotiated = a.createDataChannel('n', { negotiated: true, id: 42 });
  assert.deepEqual([...ofA, ofB].map((c) => c.id), [null, null, null]);
  assert.equal(negotiated.id, 42);
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription);
  assert.deepEqual([...ofA, ofB].map((c) => c.id), [null, null, null], 'an offer negotiates no DTLS role');
  await b.setLocalDescription(await b.createAnswer());
  const answererRole = setupRole(b.localDescription.sdp);
  const parity = (role) => (role === 'client' ? 0 : 1);
  assert.equal(ofB.id % 2, parity(answererRole), `answerer is DTLS ${answererRole}, id ${ofB.id}`);
  assert.equal(ofA[0].id, null, 'the offerer has not seen the answer');
  await a.setRemoteDescription(b.localDescription);
  const offererRole = answererRole === 'client' ? 'server' : 'client';
  for (const c of ofA) assert.equal(c.id % 2, parity(offererRole), `offerer is DTLS ${offererRole}, id ${c.id}`);
  assert.notEqual(ofA[0].id, ofA[1].id);
  // created after the role is known: an id at once, before SCTP runs
  const late = a.createDataChannel('late');
  assert.equal(late.id % 2, parity(offererRole));
  assert.ok(![...ofA, negotiated].map((c) => c.id).includes(late.id));
  // the ids hold once open, and the remote sees the same ones
  const seen = new Map();
  b.addEventListener('datachannel', ({ channel }) => seen.set(channel.label, channel.id));
  await waitFor(() => seen.size === 3);
  assert.deepEqual(Object.fromEntries(seen), { a1: ofA[0].id, a2: ofA[1].id, late: late.id });
  a.close();
  b.close();
});
