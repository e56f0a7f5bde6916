'use strict';
// The cross-language event sequence (README.md) in Node: prints the events b
// sees, one name a line.
const { RTCPeerConnection } = require('../../bindings/node');

const config = { omnirtc: { includeLoopback: true, mdns: 'disabled' } };
const a = new RTCPeerConnection(config);
const b = new RTCPeerConnection(config);
for (const [from, to] of [[a, b], [b, a]]) {
  from.addEventListener('icecandidate', ({ candidate }) => { if (candidate) to.addIceCandidate(candidate); });
}
const channel = a.createDataChannel('chat');
channel.onopen = () => {
  for (const i of [1, 2, 3]) channel.send(`m${i}`);
};
b.ondatachannel = ({ channel: remote }) => {
  console.log(`datachannel ${remote.readyState}`);
  remote.onopen = () => console.log('open');
  remote.onmessage = ({ data }) => {
    console.log(`message ${data}`);
    if (data === 'm3') remote.close();
  };
  remote.addEventListener('closing', () => console.log('closing'));
  remote.onclose = () => {
    console.log('close');
    a.close();
    b.close();
  };
};
(async () => {
  const offer = await a.createOffer();
  await b.setRemoteDescription(offer);
  await a.setLocalDescription(offer);
  const answer = await b.createAnswer();
  await a.setRemoteDescription(answer);
  await b.setLocalDescription(answer);
})();
