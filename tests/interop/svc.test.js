// SVC from Chromium to the library (W3C webrtc-svc): the page sends a canvas
// as VP9 with scalabilityMode L3T3_KEY (and as AV1 L1T3, if this Chromium
// encodes AV1) to a Node library peer in this process, which receives RTP and
// reads each packet's layer from the VP9 payload descriptor or the AV1
// Dependency Descriptor. Run alone:
//   NETNS_LAN=1 scripts/netns-run.sh tests/interop/with-route.sh node --test tests/interop/svc.test.js
'use strict';
const assert = require('node:assert/strict');
const { test, before, after } = require('node:test');
const { launchChromium } = require('./harness');
const { RTCPeerConnection } = require('../../bindings/node');

const TIMEOUT = 60000;
let chromium;

before(async () => { chromium = await launchChromium({ exposeIps: true }); });
after(async () => { await chromium?.close(); });

/** Resolves once pc's ICE gathering is complete (no trickle: one offer, one answer). */
function gathered(pc) {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') resolve();
    else pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
  });
}

/**
 * The page sends a 1280x720 canvas (drawn 30 times a second) encoded as mime with scalabilityMode; null when
 * this Chromium cannot send that codec.
 */
async function browserOffer(page, mime, scalabilityMode) {
  return page.evaluate(async ({ mime, scalabilityMode }) => {
    const codecs = RTCRtpSender.getCapabilities('video').codecs.filter((c) => c.mimeType === mime);
    if (codecs.length === 0) return null;
    const canvas = document.createElement('canvas');
    canvas.width = 1280;
    canvas.height = 720;
    const context = canvas.getContext('2d');
    let frame = 0;
    setInterval(() => { // moving noise, so every layer has something to code
      frame++;
      for (let i = 0; i < 40; i++) {
        context.fillStyle = `hsl(${(frame * 7 + i * 37) % 360} 80% 50%)`;
        context.fillRect((frame * 13 + i * 97) % 1280, (frame * 5 + i * 53) % 720, 160, 90);
      }
    }, 33);
    const [track] = canvas.captureStream(30).getVideoTracks();
    window.pc = new RTCPeerConnection();
    const transceiver = pc.addTransceiver(track, { direction: 'sendonly', sendEncodings: [{ scalabilityMode }] });
    transceiver.setCodecPreferences(codecs);
    await pc.setLocalDescription();
    await new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') resolve();
      else pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
    });
    return { sdp: pc.localDescription.sdp, mode: pc.getSenders()[0].getParameters().encodings[0].scalabilityMode };
  }, { mime, scalabilityMode });
}

/** Connects the page's offer to a library peer receiving RTP; returns the peer and the layers seen so far. */
async function receive(page, offer) {
  const pc = new RTCPeerConnection({ omnirtc: { mdns: 'disabled' } });
  pc.setTrackReceive({ mode: 'rtp' });
  const seen = { layers: new Set(), packets: 0, described: 0, keyframes: 0, switchPoints: 0 };
  pc.addEventListener('track', ({ track }) => {
    track.addEventListener('rtp', ({ spatialId, temporalId, keyframe, switchPoint }) => {
      seen.packets++;
      if (spatialId === null) return;
      seen.described++;
      seen.layers.add(`S${spatialId}T${temporalId}`);
      if (keyframe) seen.keyframes++;
      if (switchPoint) seen.switchPoints++;
    });
  });
  await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
  await pc.setLocalDescription(await pc.createAnswer());
  await gathered(pc);
  await page.evaluate((sdp) => window.pc.setRemoteDescription({ type: 'answer', sdp }), pc.localDescription.sdp);
  return { pc, seen };
}

/** Waits until want (a list of 'SxTy') were all seen, or fails with what was. */
async function layersSeen(seen, want) {
  const deadline = Date.now() + TIMEOUT / 2;
  while (!want.every((l) => seen.layers.has(l))) {
    if (Date.now() > deadline) {
      throw new Error(`layers seen ${[...seen.layers].sort()}, want ${want}; ${seen.packets} packets, ${seen.described} described`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const layers = (spatial, temporal) => Array.from({ length: spatial * temporal },
  (_, i) => `S${Math.floor(i / temporal)}T${i % temporal}`);

for (const { mime, mode, spatial, temporal } of [
  { mime: 'video/VP9', mode: 'L3T3_KEY', spatial: 3, temporal: 3 },
  { mime: 'video/AV1', mode: 'L1T3', spatial: 1, temporal: 3 },
]) {
  test(`Chromium sends ${mime} ${mode}; the library reads spatial ids 0-${spatial - 1} and temporal ids 0-${temporal - 1}`,
    { timeout: TIMEOUT }, async (t) => {
      const log = [];
      const page = await chromium.open('about:blank', (line) => log.push(line));
      let pc;
      try {
        const offer = await browserOffer(page, mime, mode);
        if (offer === null) {
          t.skip(`this Chromium cannot send ${mime}`);
          return;
        }
        assert.equal(offer.mode, mode, 'the browser keeps the mode');
        const received = await receive(page, offer);
        pc = received.pc;
        await layersSeen(received.seen, layers(spatial, temporal));
        const { seen } = received;
        assert.ok(seen.keyframes > 0 && seen.switchPoints >= seen.keyframes, `keyframes ${seen.keyframes}, switch points ${seen.switchPoints}`);
        t.diagnostic(`${[...seen.layers].sort()}; ${seen.packets} packets, ${seen.described} with a layer, ` +
          `${seen.keyframes} keyframe packets, ${seen.switchPoints} switch-point packets`);
      } catch (error) {
        error.message += `\n--- page:\n${log.join('\n').slice(-2000)}`;
        throw error;
      } finally {
        pc?.close();
        await page.close();
      }
    });
}
