// WHIP and WHEP with Chromium as the client (RFC 9725): one page publishes
// its fake camera and microphone to the library's WHIP server, hosted here by
// the Node binding, which forwards the RTP to a second page playing it over
// WHEP. Both pages speak plain HTTP (fetch, no library code), from another
// origin than the server's, so CORS is exercised too. Run in a private
// network namespace (with-route.sh), as the rest of this directory.
'use strict';
const assert = require('node:assert/strict');
const http = require('node:http');
const path = require('node:path');
const { test, before, after } = require('node:test');
const { launchChromium } = require('./harness');

const { RTCPeerConnection, RTCSessionDescription, EncodedTrack, WhipServer } = require(path.resolve(__dirname, '../../bindings/node'));

const TOKEN = 'interop-secret';
const TIMEOUT = 30000;
const PEER = { omnirtc: { includeLoopback: true, mdns: 'disabled' } };

// The pages' side, plain WHIP/WHEP over fetch: POST the offer once gathering
// is complete, apply the 201's answer, keep the Location for DELETE.
const PAGE = `<!doctype html><meta charset="utf-8"><title>WHIP</title><video id="video" autoplay muted playsinline></video>
<script>
async function post(url, token, pc) {
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') resolve();
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
  });
  const res = await fetch(url, { method: 'POST', body: pc.localDescription.sdp,
    headers: { 'content-type': 'application/sdp', authorization: 'Bearer ' + token } });
  if (res.status !== 201) throw new Error('POST ' + url + ': HTTP ' + res.status + ' ' + await res.text());
  if (res.headers.get('content-type') !== 'application/sdp') throw new Error('answer type ' + res.headers.get('content-type'));
  const location = new URL(res.headers.get('location'), url).href;
  await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
  return { location, etag: res.headers.get('etag') };
}
window.publish = async (url, token) => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true });
  window.pc = new RTCPeerConnection();
  for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly' });
  return window.session = await post(url, token, pc);
};
window.play = async (url, token) => {
  window.pc = new RTCPeerConnection();
  pc.addTransceiver('audio', { direction: 'recvonly' });
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.ontrack = (e) => { if (e.track.kind === 'video') document.getElementById('video').srcObject = new MediaStream([e.track]); };
  return window.session = await post(url, token, pc);
};
window.videoIn = async () => {
  let decoded = 0, width = 0, height = 0;
  (await pc.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') ({ framesDecoded: decoded = 0, frameWidth: width = 0, frameHeight: height = 0 } = s);
  });
  return { decoded, width, height };
};
window.end = async (token) => {
  const res = await fetch(session.location, { method: 'DELETE', headers: { authorization: 'Bearer ' + token } });
  pc.close();
  return res.status;
};
</script>`;

let pages; // the pages' origin
let chromium;

before(async () => {
  pages = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
    res.end(PAGE);
  });
  await new Promise((resolve) => pages.listen(0, '127.0.0.1', resolve));
  chromium = await launchChromium({ exposeIps: true });
});

after(async () => {
  await chromium?.close();
  await new Promise((resolve) => pages?.close(resolve));
});

/** The one-room broadcast: the WHIP publisher's RTP goes to every WHEP viewer,
 * and a viewer's keyframe request to the publisher. Returns the sessions seen. */
function room(server) {
  const out = { video: new EncodedTrack({ codec: 'vp8', mode: 'rtp' }), audio: new EncodedTrack({ codec: 'opus', mode: 'rtp' }) };
  const sources = {};
  const seen = { started: new Map(), ended: new Map() };
  server.addEventListener('session', async (e) => {
    seen.started.set(e.session, e.path);
    const pc = new RTCPeerConnection(PEER);
    if (e.path === '/whip') {
      pc.addEventListener('track', ({ track }) => {
        sources[track.kind] = track;
        track.setReceiveMode('rtp');
        track.addEventListener('rtp', (packet) => out[track.kind].writeRtp(packet.data));
      });
    } else {
      await pc.setRemoteDescription(new RTCSessionDescription({ type: 'offer', sdp: e.sdp }));
      pc.addTrack(out.audio);
      pc.addTrack(out.video).addEventListener('keyframerequest', () => sources.video?.requestKeyframe());
    }
    server.answer(e.session, pc);
  });
  server.addEventListener('sessionended', (e) => seen.ended.set(e.session, e.reason));
  seen.stop = () => { out.video.stop(); out.audio.stop(); };
  return seen;
}

async function until(what, check) {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('Chromium publishes its camera over WHIP to our server and a second page plays it over WHEP; DELETE ends both', { timeout: 90000 }, async (t) => {
  const server = new WhipServer({ token: TOKEN });
  const seen = room(server);
  const log = [];
  const origin = `http://127.0.0.1:${pages.address().port}/`;
  const publisher = await chromium.open(origin, (line) => log.push(`publisher ${line}`));
  const viewer = await chromium.open(origin, (line) => log.push(`viewer ${line}`));
  try {
    const published = await publisher.evaluate(([url, token]) => publish(url, token), [`${server.url}/whip`, TOKEN]);
    assert.ok(published.location.startsWith(`${server.url}/`), `Location is a resource of the server: ${published.location}`);
    assert.ok(published.etag, 'the 201 carries an ETag');
    const played = await viewer.evaluate(([url, token]) => play(url, token), [`${server.url}/whep`, TOKEN]);
    assert.notEqual(played.location, published.location);
    assert.deepEqual([...seen.started.values()], ['/whip', '/whep']);

    const video = await until('decoded video in the WHEP page', async () => {
      const v = await viewer.evaluate(() => videoIn());
      return v.decoded >= 10 && v;
    });
    t.diagnostic(JSON.stringify(video));
    assert.deepEqual([video.width, video.height], [640, 480], 'the camera\'s frames, forwarded');

    assert.equal(await viewer.evaluate((token) => end(token), TOKEN), 200);
    assert.equal(await publisher.evaluate((token) => end(token), TOKEN), 200);
    await until('both sessions to end on the server', () => seen.ended.size === 2);
    assert.deepEqual([...seen.ended.values()], ['deleted', 'deleted']);
    // the resource is gone: a second DELETE is a 404
    assert.equal(await publisher.evaluate((token) => end(token), TOKEN), 404);
  } catch (error) {
    error.message += `\n--- pages:\n${log.join('\n').slice(-3000)}`;
    throw error;
  } finally {
    await publisher.close();
    await viewer.close();
    await server.close();
    seen.stop();
  }
});
