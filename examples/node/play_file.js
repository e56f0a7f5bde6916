'use strict';
// Plays a media file (VP8/VP9/AV1 IVF, Opus Ogg, H264 Annex-B) from one peer to
// another in this process, at real-time pace; the viewer counts the frames.
//   node play_file.js FILE
const { RTCPeerConnection, EncodedTrack, MediaReader } = require('omnirtc');

const CONFIG = { omnirtc: { includeLoopback: true, mdns: 'disabled' } };
const sleep = (s) => new Promise((resolve) => setTimeout(resolve, s * 1000));

async function main(path) {
  const player = new RTCPeerConnection(CONFIG);
  const viewer = new RTCPeerConnection(CONFIG);
  for (const [from, to] of [[player, viewer], [viewer, player]]) {
    from.onicecandidate = ({ candidate }) => candidate && to.addIceCandidate(candidate).catch(() => {});
  }
  const received = [];
  viewer.ontrack = ({ track }) => track.addEventListener('frame', (e) => received.push(e.data));

  const reader = new MediaReader(path);
  console.log('file:', JSON.stringify(reader.info));
  const frames = [...reader];
  reader.close();
  const track = new EncodedTrack({ codec: reader.info.codec, streamId: 'file' });
  player.addTransceiver(track, { direction: 'sendonly' });
  await player.setLocalDescription(await player.createOffer());
  await viewer.setRemoteDescription(player.localDescription);
  await viewer.setLocalDescription(await viewer.createAnswer());
  await player.setRemoteDescription(viewer.localDescription);
  while (player.connectionState !== 'connected' || viewer.connectionState !== 'connected') await sleep(0.01);

  for (const frame of [...frames, frames.at(-1)]) { // the last again, so the viewer releases it
    track.writeSample(frame.data, frame.duration);
    await sleep(frame.duration);
  }
  await sleep(0.3);
  const intact = frames.every((f, i) => received[i] && Buffer.compare(Buffer.from(f.data), Buffer.from(received[i])) === 0);
  console.log(`played ${frames.length} frames, viewer received ${Math.min(received.length, frames.length)}`);
  console.log(intact ? 'all frames arrived intact' : 'frames differ');
  player.close();
  viewer.close();
  track.stop();
  process.exitCode = intact ? 0 : 1;
}

main(process.argv[2]);
