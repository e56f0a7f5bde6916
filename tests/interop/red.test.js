// Audio RED (RFC 2198) with Chromium: the page offers its fake microphone to
// a Node binding peer with the "red" interceptor. Debian's Chromium 156
// offers "red/48000/2" (fmtp "111/111") by default, after Opus, and then
// sends plain Opus (the answer keeps the offer's order); it sends RED when
// the answer lists red first, so the page prefers it with
// setCodecPreferences, as applications do. The library unwraps it: its
// inbound-rtp counts the RED packets that carried redundancy, none rebuilt
// on this clean path (Chromium's padding-only packets between two encodings
// once made the library hand an encoding on twice), and the track reads Opus.
// Run by scripts/test-interop.sh in a private network namespace.
'use strict';
const assert = require('node:assert/strict');
const { test } = require('node:test');
const { RTCPeerConnection } = require('../../bindings/node');
const { useChromiumPage } = require('./harness');

const TIMEOUT = 20000;
const CONFIG = {
  omnirtc: { mdns: 'disabled', interceptors: ['nack', 'rtx', 'rtcpReports', 'twcc', 'stats', 'red'] },
};

const chromiumPage = useChromiumPage('red');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once pc's ICE gathering completed. */
async function gathered(pc) {
  while (pc.iceGatheringState !== 'complete') await sleep(20);
}

/** The library's inbound-rtp for audio, or undefined. */
async function audioInbound(pc) {
  let found;
  (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'audio') found = s; });
  return found;
}

/** Waits until the library has counted RED from Chromium, then checks it:
 * nothing rebuilt on this clean path, and the track reads Opus. */
async function receivesRED(t, pc) {
  const deadline = Date.now() + TIMEOUT;
  let inbound;
  for (;;) {
    inbound = await audioInbound(pc);
    if (inbound?.fecPacketsReceived > 50) break;
    if (Date.now() > deadline) throw new Error(`no RED counted: ${JSON.stringify(inbound)}`);
    await sleep(200);
  }
  t.diagnostic(JSON.stringify(inbound));
  assert.equal(inbound.fecPacketsRecovered, 0, 'every redundant block repeats a packet that came');
  assert.ok(inbound.fecBytesReceived > 0);
  assert.ok(inbound.packetsReceived >= inbound.fecPacketsReceived);
  const codec = (await pc.getStats()).get(inbound.codecId);
  assert.equal(codec?.mimeType?.toLowerCase(), 'audio/opus', 'the stream the track reads is Opus');
}

/** Runs body(page, pc) with a fresh page and library peer; the page's log
 * goes with a failure. */
async function withPeers(body) {
  const log = [];
  const page = await chromiumPage.chromium.open(chromiumPage.url, (line) => log.push(line));
  const pc = new RTCPeerConnection(CONFIG);
  try {
    await body(page, pc);
  } catch (error) {
    error.message += `\n--- page:\n${log.join('\n').slice(-2000)}`;
    throw error;
  } finally {
    pc.close();
    await page.close();
  }
}

test('Chromium offers and prefers RED; the library unwraps its Opus and counts the redundancy', { timeout: 60000 }, (t) => withPeers(async (page, pc) => {
  const offer = await page.evaluate(async () => {
    window.pc = new RTCPeerConnection();
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    const { codecs } = RTCRtpReceiver.getCapabilities('audio');
    const red = codecs.filter((c) => c.mimeType.toLowerCase() === 'audio/red');
    pc.getTransceivers()[0].setCodecPreferences([...red, ...codecs.filter((c) => !red.includes(c))]);
    await pc.setLocalDescription();
    while (pc.iceGatheringState !== 'complete') await new Promise((resolve) => setTimeout(resolve, 20));
    return pc.localDescription.sdp;
  });
  const red = /a=rtpmap:(\d+) red\/48000\/2/.exec(offer);
  assert.ok(red, `Chromium offers audio RED:\n${offer}`);
  const fmtp = new RegExp(`a=fmtp:${red[1]} (\\S+)`).exec(offer);
  t.diagnostic(`Chromium offers red/48000/2 as payload type ${red[1]}, fmtp ${fmtp?.[1]}`);
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  await pc.setLocalDescription(await pc.createAnswer());
  await gathered(pc);
  const answer = pc.localDescription.sdp;
  assert.match(answer, /a=rtpmap:\d+ red\/48000\/2/, 'the library accepts RED');
  await page.evaluate(async (sdp) => { await pc.setRemoteDescription({ type: 'answer', sdp }); }, answer);
  await receivesRED(t, pc);
}));

test('the library offers RED first; Chromium, answering with its defaults, sends its Opus in RED', { timeout: 60000 }, (t) => withPeers(async (page, pc) => {
  pc.addTransceiver('audio', { direction: 'recvonly' });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const offer = pc.localDescription.sdp;
  assert.match(offer, /m=audio \d+ \S+ 63 111 /, 'red listed before Opus');
  const answer = await page.evaluate(async (sdp) => {
    window.pc = new RTCPeerConnection();
    await pc.setRemoteDescription({ type: 'offer', sdp });
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    await pc.setLocalDescription();
    while (pc.iceGatheringState !== 'complete') await new Promise((resolve) => setTimeout(resolve, 20));
    return pc.localDescription.sdp;
  }, offer);
  await pc.setRemoteDescription({ type: 'answer', sdp: answer });
  await receivesRED(t, pc);
}));
