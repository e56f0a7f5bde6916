'use strict';
// Two omnirtc peers in one process, written exactly as browser code would be:
// trickle ICE through onicecandidate, a channel, a message and its echo.
// Run: node examples/node/datachannel.js
const { RTCPeerConnection } = require('omnirtc');

// Loopback only, no mDNS: the example needs no network.
const config = { omnirtc: { includeLoopback: true, mdns: 'disabled' } };

async function main() {
  const alice = new RTCPeerConnection(config);
  const bob = new RTCPeerConnection(config);
  alice.onicecandidate = ({ candidate }) => candidate && bob.addIceCandidate(candidate);
  bob.onicecandidate = ({ candidate }) => candidate && alice.addIceCandidate(candidate);

  bob.ondatachannel = ({ channel }) => {
    channel.onmessage = ({ data }) => {
      console.log('bob got:', data);
      channel.send(`echo: ${data}`);
    };
  };
  const channel = alice.createDataChannel('chat');
  channel.onopen = () => channel.send('hello bob');
  channel.onmessage = ({ data }) => {
    console.log('alice got:', data);
    alice.close();
    bob.close(); // nothing open any more: the process exits by itself
  };

  // The description goes to the remote before it is applied locally, so no
  // trickled candidate can arrive ahead of it.
  const offer = await alice.createOffer();
  await bob.setRemoteDescription(offer);
  await alice.setLocalDescription(offer);
  const answer = await bob.createAnswer();
  await alice.setRemoteDescription(answer);
  await bob.setLocalDescription(answer);
}

main();
