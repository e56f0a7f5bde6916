// Video RED and ULPFEC (RFC 2198, RFC 5109) with Chromium: the page offers
// its fake camera (VP8) to a Node binding peer with the "ulpfec" interceptor
// and no NACK, through a UDP relay in this process that drops a tenth of
// the RTP Chromium sends. Debian's Chromium 156 offers "red/90000" and
// "ulpfec/90000" for video by default, after its video codecs; once both
// are in the answer it sends its VP8 in RED, and, once our receiver reports
// show loss, ULPFEC packets in RED, from which the library rebuilds lost
// packets (inbound-rtp fecPacketsRecovered) before its jitter buffer.
// Run by scripts/test-interop.sh in a private network namespace.
'use strict';
const assert = require('node:assert/strict');
const dgram = require('node:dgram');
const { test } = require('node:test');
const { RTCPeerConnection } = require('../../bindings/node');
const { useChromiumPage } = require('./harness');

const TIMEOUT = 30000;
const LOSS = 0.1;
const CONFIG = { omnirtc: { mdns: 'disabled', interceptors: ['rtcpReports', 'twcc', 'stats', 'ulpfec'] } };

const chromiumPage = useChromiumPage('ulpfec');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first UDP IPv4 candidate of sdp: { line, address, port }. */
function udpCandidate(sdp) {
  const m = /^a=candidate:\S+ 1 udp \d+ (\d+\.\d+\.\d+\.\d+) (\d+) typ host.*$/m.exec(sdp);
  assert.ok(m, `no UDP IPv4 host candidate:\n${sdp}`);
  return { line: m[0], address: m[1], port: Number(m[2]) };
}

/** sdp with its candidates replaced by one at address:port. */
function viaRelay(sdp, candidate, address, port) {
  const line = candidate.line.replace(` ${candidate.address} ${candidate.port} `, ` ${address} ${port} `);
  return sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:') || l === candidate.line)
    .map((l) => (l === candidate.line ? line : l)).join('\r\n');
}

/** A relay of two sockets on address: toUs faces the library, toBrowser
 * Chromium; what Chromium sends goes on to the library but for a share
 * `loss` of its RTP (RFC 7983: first byte 128..191, RTCP's payload types
 * 192..223 kept), counted in dropped. */
async function startRelay(address, loss) {
  const relay = { dropped: 0, forwarded: 0, us: null, browser: null };
  const bind = async () => {
    const s = dgram.createSocket('udp4');
    await new Promise((resolve) => s.bind(0, address, resolve));
    return s;
  };
  relay.toUs = await bind();
  relay.toBrowser = await bind();
  relay.toUs.on('message', (msg) => {
    if (relay.browser) relay.toBrowser.send(msg, relay.browser.port, relay.browser.address);
  });
  relay.toBrowser.on('message', (msg) => {
    const rtp = msg[0] >= 128 && msg[0] <= 191 && !(msg[1] >= 192 && msg[1] <= 223);
    if (rtp && Math.random() < loss) {
      relay.dropped++;
      return;
    }
    relay.forwarded++;
    if (relay.us) relay.toUs.send(msg, relay.us.port, relay.us.address);
  });
  relay.close = () => { relay.toUs.close(); relay.toBrowser.close(); };
  return relay;
}

/** The library's inbound-rtp for video, or undefined. */
async function videoInbound(pc) {
  let found;
  (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') found = s; });
  return found;
}

test('Chromium sends VP8 in RED with ULPFEC through 10% loss; the library rebuilds lost packets', { timeout: 90000 }, async (t) => {
  const log = [];
  const page = await chromiumPage.chromium.open(chromiumPage.url, (line) => log.push(line));
  const pc = new RTCPeerConnection(CONFIG);
  let relay;
  try {
    const offer = await page.evaluate(async () => {
      window.pc = new RTCPeerConnection();
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
      const { codecs } = RTCRtpReceiver.getCapabilities('video');
      const keep = codecs.filter((c) => ['video/vp8', 'video/red', 'video/ulpfec'].includes(c.mimeType.toLowerCase()));
      pc.getTransceivers()[0].setCodecPreferences(keep);
      await pc.setLocalDescription();
      while (pc.iceGatheringState !== 'complete') await new Promise((resolve) => setTimeout(resolve, 20));
      return pc.localDescription.sdp;
    });
    const red = /a=rtpmap:(\d+) red\/90000/.exec(offer);
    const ulpfec = /a=rtpmap:(\d+) ulpfec\/90000/.exec(offer);
    assert.ok(red && ulpfec, `Chromium offers video RED and ULPFEC:\n${offer}`);
    t.diagnostic(`Chromium offers red/90000 as payload type ${red[1]}, ulpfec/90000 as ${ulpfec[1]}`);
    const browser = udpCandidate(offer);
    relay = await startRelay(browser.address, LOSS);
    relay.browser = browser;
    await pc.setRemoteDescription({ type: 'offer', sdp: viaRelay(offer, browser, browser.address, relay.toUs.address().port) });
    await pc.setLocalDescription(await pc.createAnswer());
    while (pc.iceGatheringState !== 'complete') await sleep(20);
    const answer = pc.localDescription.sdp;
    assert.match(answer, /a=rtpmap:\d+ red\/90000/, 'the library accepts video RED');
    assert.match(answer, /a=rtpmap:\d+ ulpfec\/90000/, 'the library accepts ULPFEC');
    const us = udpCandidate(answer);
    relay.us = us;
    await page.evaluate(async (sdp) => { await pc.setRemoteDescription({ type: 'answer', sdp }); },
      viaRelay(answer, us, browser.address, relay.toBrowser.address().port));
    const deadline = Date.now() + TIMEOUT;
    let inbound;
    for (;;) {
      inbound = await videoInbound(pc);
      if (inbound?.fecPacketsRecovered >= 3) break;
      if (Date.now() > deadline) throw new Error(`nothing rebuilt: ${JSON.stringify(inbound)}, relay dropped ${relay.dropped}`);
      await sleep(250);
    }
    t.diagnostic(`inbound-rtp: ${JSON.stringify(inbound)}; relay dropped ${relay.dropped} RTP packets, forwarded ${relay.forwarded}`);
    assert.ok(inbound.fecPacketsReceived > inbound.fecPacketsRecovered);
    assert.ok(inbound.fecPacketsRecovered <= relay.dropped);
    const codec = (await pc.getStats()).get(inbound.codecId);
    assert.equal(codec?.mimeType?.toLowerCase(), 'video/vp8', 'the stream the track reads is VP8');
  } catch (error) {
    error.message += `\n--- page:\n${log.join('\n').slice(-2000)}`;
    throw error;
  } finally {
    pc.close();
    relay?.close();
    await page.close();
  }
});
