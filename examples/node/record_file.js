'use strict';
// Records what a peer sends into a file: a player peer sends IN, a recorder
// peer writes the RTP it receives into OUT (same format), then reads OUT back.
//   node record_file.js IN OUT
const { RTCPeerConnection, EncodedTrack, MediaReader, MediaWriter } = require('omnirtc');

const CONFIG = { omnirtc: { includeLoopback: true, mdns: 'disabled' } };
const sleep = (s) => new Promise((resolve) => setTimeout(resolve, s * 1000));

async function main(source, target) {
  const player = new RTCPeerConnection(CONFIG);
  const recorder = new RTCPeerConnection(CONFIG);
  for (const [from, to] of [[player, recorder], [recorder, player]]) {
    from.onicecandidate = ({ candidate }) => candidate && to.addIceCandidate(candidate).catch(() => {});
  }
  const reader = new MediaReader(source);
  const { codec } = reader.info;
  const writer = new MediaWriter(target, target.endsWith('.ivf') ? { codec: codec.split('/')[1].toLowerCase() } : {});
  recorder.setTrackReceive({ mode: 'rtp' }); // remote tracks deliver RTP packets, as the writer takes them
  recorder.ontrack = ({ track }) => track.addEventListener('rtp', (e) => writer.writeRtp(e.data));

  const track = new EncodedTrack({ codec });
  player.addTrack(track);
  await player.setLocalDescription(await player.createOffer());
  await recorder.setRemoteDescription(player.localDescription);
  await recorder.setLocalDescription(await recorder.createAnswer());
  await player.setRemoteDescription(recorder.localDescription);
  while (player.connectionState !== 'connected' || recorder.connectionState !== 'connected') await sleep(0.01);

  let sent = 0;
  for (const frame of reader) {
    track.writeSample(frame.data, frame.duration);
    sent += 1;
    await sleep(frame.duration);
  }
  await sleep(0.3);
  recorder.close();
  player.close();
  track.stop();
  reader.close();
  writer.close();
  const recorded = new MediaReader(target);
  const count = [...recorded].length;
  recorded.close();
  console.log(`sent ${sent} frames; ${target} holds ${count} frames`);
  process.exitCode = count === sent ? 0 : 1;
}

main(process.argv[2], process.argv[3]);
