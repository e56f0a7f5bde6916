'use strict';
// A selective forwarding server in one process: a publisher sends three
// simulcast layers, the server forwards to each of two viewers the one layer
// it chooses, and moves a viewer to another layer during the call (after that
// layer's next keyframe: the Forwarder waits for it and asks the publisher for one).
// Run: node examples/node/forward.js
const { RTCPeerConnection, EncodedTrack, Forwarder } = require('omnirtc');

// Loopback only, no mDNS: the example needs no network.
const config = { omnirtc: { includeLoopback: true, mdns: 'disabled' } };
const RIDS = ['q', 'h', 'f']; // quarter, half and full resolution

/** In-process signaling with trickle ICE; resolves with the answerer's first track event. */
async function connect(offerer, answerer) {
  offerer.onicecandidate = ({ candidate }) => candidate && answerer.addIceCandidate(candidate);
  answerer.onicecandidate = ({ candidate }) => candidate && offerer.addIceCandidate(candidate);
  const track = new Promise((resolve) => answerer.addEventListener('track', resolve, { once: true }));
  const offer = await offerer.createOffer();
  await answerer.setRemoteDescription(offer);
  await offerer.setLocalDescription(offer);
  const answer = await answerer.createAnswer();
  await offerer.setRemoteDescription(answer);
  await answerer.setLocalDescription(answer);
  return track;
}

/** Stands in for an encoder: frame i of a layer, tagged with its rid, a keyframe every 10. */
function frame(i, rid) {
  const data = new Uint8Array(300);
  data[0] = i % 10 === 0 ? 0 : 1;
  data[data.length - 1] = rid.charCodeAt(0);
  return data;
}

/** The layers of a viewer's next n frames, as their tags say. */
function layers(track, n) {
  return new Promise((resolve) => {
    let tags = '';
    const onFrame = ({ data }) => {
      tags += String.fromCharCode(data.at(-1));
      if (tags.length < n) return;
      track.removeEventListener('frame', onFrame);
      resolve(tags);
    };
    track.addEventListener('frame', onFrame);
  });
}

async function main() {
  const publisher = new RTCPeerConnection(config);
  const server = new RTCPeerConnection(config);
  const source = new EncodedTrack({ codec: 'video/VP8', rids: RIDS });
  publisher.addTransceiver(source, { direction: 'sendonly', sendEncodings: RIDS.map((rid) => ({ rid })) });
  const { transceiver } = await connect(publisher, server);
  let i = 0;
  const camera = setInterval(() => {
    for (const rid of RIDS) source.writeSample(frame(i, rid), 1 / 30, rid);
    i++;
  }, 1000 / 30);

  const forwarder = new Forwarder(transceiver);
  const viewers = [];
  for (const [name, rid] of [['small viewer', 'q'], ['large viewer', 'f']]) {
    const out = new RTCPeerConnection(config); // the server's side of the viewer's call
    const viewer = new RTCPeerConnection(config);
    const forwarded = new EncodedTrack({ codec: 'video/VP8', mode: 'rtp' }); // the forwarder writes its RTP packets
    out.addTrack(forwarded);
    const { track } = await connect(out, viewer);
    forwarder.addSubscriber(forwarded, { rid });
    viewers.push({ name, track, forwarded, out, viewer });
  }

  for (const { name, track } of viewers) console.log(`${name} receives: ${await layers(track, 10)}`);
  const [small] = viewers;
  forwarder.setLayer(small.forwarded, { rid: 'h' });
  while (await layers(small.track, 1) !== 'h'); // frames of q until h's next keyframe
  console.log(`${small.name}, moved to h, receives: ${await layers(small.track, 10)}`);
  console.log(`${small.name}'s layer: ${JSON.stringify(forwarder.getLayer(small.forwarded))}`);

  clearInterval(camera);
  forwarder.close();
  for (const { forwarded, out, viewer } of viewers) {
    out.close();
    viewer.close();
    forwarded.stop();
  }
  publisher.close();
  server.close();
  source.stop();
}

main();
