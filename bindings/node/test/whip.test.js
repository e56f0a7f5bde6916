'use strict';
// WHIP and WHEP: a publisher forwarded to a WHEP viewer through our server,
// an ICE restart, DELETE, trickle, and refusals that leave nothing open;
// loopback only.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const dgram = require('node:dgram');
const events = require('node:events');
const path = require('node:path');
const { RTCPeerConnection, RTCSessionDescription, EncodedTrack, WhipError, WhipServer, whipPublish, whepPlay } =
  require('./package-under-test').omnirtc;
const { LOOPBACK, once, waitFor } = require('./helpers');

/** A fake VP8 frame: byte 0 bit 0 clear marks the keyframe (the first). */
function vp8Frame(i) {
  const frame = new Uint8Array(300);
  frame[0] = i === 0 ? 0 : 1;
  new TextEncoder().encodeInto(`frame-${i}`, frame.subarray(1));
  return frame;
}

/** A one-room broadcast: the WHIP publisher's RTP goes out on one track to every WHEP viewer. */
function room(server) {
  const track = new EncodedTrack({ codec: 'vp8', mode: 'rtp' });
  server.addEventListener('session', async (e) => {
    const pc = new RTCPeerConnection(LOOPBACK);
    if (e.path.endsWith('/whip')) {
      pc.addEventListener('track', ({ track: remote }) => {
        remote.setReceiveMode('rtp');
        remote.addEventListener('rtp', (packet) => track.writeRtp(packet.data));
      });
    } else { // a viewer: the forwarded track on its receive-only video transceiver
      await pc.setRemoteDescription(new RTCSessionDescription({ type: 'offer', sdp: e.sdp }));
      pc.addTrack(track);
    }
    server.answer(e.session, pc);
  });
  return track;
}

test('a publisher forwarded to a WHEP viewer, an ICE restart, and DELETE', async () => {
  const server = new WhipServer({ token: 'secret' });
  const forwarded = room(server);
  const publisher = new RTCPeerConnection(LOOPBACK);
  const source = new EncodedTrack({ codec: 'vp8' });
  publisher.addTransceiver(source, { direction: 'sendonly' });
  const published = await whipPublish(`${server.url}/whip`, publisher, { token: 'secret' });
  assert.ok(published.resource.startsWith(`${server.url}/`));

  const viewer = new RTCPeerConnection(LOOPBACK);
  // the video track (whepPlay offers audio and video; each fires track at the answer)
  const arrived = new Promise((resolve) => viewer.addEventListener('track', (e) => e.track.kind === 'video' && resolve(e)));
  const played = await whepPlay(`${server.url}/whep`, viewer, { token: 'secret' });
  let i = 0;
  const writer = setInterval(() => source.writeSample(vp8Frame(i++), 1 / 30), 33);
  const { track: remote } = await arrived;
  remote.setReceiveMode('rtp');
  const packets = [];
  remote.addEventListener('rtp', (e) => packets.push(Buffer.from(e.data)));
  await waitFor(() => packets.some((p) => p.includes('frame-'))); // the publisher's payload, through the room

  await published.restartIce();
  const before = packets.length;
  await waitFor(() => packets.slice(before).some((p) => p.includes('frame-'))); // still flowing after it

  const ended = once(server, 'sessionended');
  await published.close(); // DELETE
  const e = await ended;
  assert.equal(e.session, 1);
  assert.equal(e.reason, 'deleted');
  await waitFor(() => publisher.connectionState === 'closed');
  clearInterval(writer);
  await played.close();
  await server.close();
  forwarded.stop();
  source.stop();
  viewer.close();
  publisher.close();
});

test('a trickle publish offers before gathering is complete and connects', async () => {
  // A STUN server that never answers: gathering cannot complete while the session starts.
  const silent = dgram.createSocket('udp4');
  await new Promise((resolve) => silent.bind(0, '127.0.0.1', resolve));
  const server = new WhipServer({ token: 'secret' });
  const served = new RTCPeerConnection(LOOPBACK);
  const offers = [];
  server.onsession = (e) => {
    offers.push(e.sdp);
    server.answer(e.session, served);
  };
  const pc = new RTCPeerConnection({ ...LOOPBACK, iceServers: [{ urls: `stun:127.0.0.1:${silent.address().port}` }] });
  pc.createDataChannel('x');
  const session = await whipPublish(`${server.url}/whip`, pc, { token: 'secret', trickle: true });
  assert.ok(!offers[0].includes('a=end-of-candidates'));
  await waitFor(() => pc.connectionState === 'connected' && served.connectionState === 'connected');
  await session.close();
  await server.close();
  served.close();
  pc.close();
  silent.close();
});

for (const [token, status] of [['wrong', 401], ['secret', 403]]) {
  test(`a refused publish (${status}) rejects and closes its peer connection`, async () => {
    const server = new WhipServer({ token: 'secret' });
    server.onsession = (e) => server.reject(e.session, 403, 'not today');
    const pc = new RTCPeerConnection(LOOPBACK);
    pc.createDataChannel('x');
    await assert.rejects(whipPublish(`${server.url}/whip`, pc, { token }), (error) => {
      assert.ok(error instanceof WhipError);
      assert.equal(error.status, status);
      return true;
    });
    assert.equal(pc.connectionState, 'closed');
    await server.close(); // and nothing keeps the process alive after this test
  });
}

test('server misuse', async () => {
  assert.throws(() => new WhipServer({ tokn: 'x' }), /tokn/);
  const server = new WhipServer();
  assert.throws(() => server.reject(1, 302), TypeError);
  const pc = new RTCPeerConnection(LOOPBACK);
  assert.throws(() => server.answer(7, pc), { name: 'InvalidStateError' });
  pc.close();
  await server.close();
});

test('the process exits by itself after a refused publish', async () => {
  const code = `
    const { RTCPeerConnection, WhipServer, whipPublish } = require(${JSON.stringify(path.join(__dirname, 'package-under-test.js'))}).omnirtc;
    const { LOOPBACK } = require(${JSON.stringify(path.join(__dirname, 'helpers.js'))});
    const server = new WhipServer();
    server.onsession = (e) => server.reject(e.session, 403);
    const pc = new RTCPeerConnection(LOOPBACK);
    pc.createDataChannel('x');
    whipPublish(server.url + '/whip', pc).catch((e) => { console.log('refused', e.status); return server.close(); });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20000); // still alive then: something kept it
  const [exitCode] = await events.once(child, 'exit');
  clearTimeout(timer);
  assert.equal(exitCode, 0);
  assert.match(out, /refused 403/);
});
