'use strict';
// Interop with other Node WebRTC stacks as the remote peer, both ways:
// node-datachannel (libdatachannel, through its W3C polyfill) and werift.
// Neither uses loopback: scripts/test-node.sh gives the namespace a veth pair.
const test = require('node:test');
const assert = require('node:assert/strict');
const omnirtc = require('./package-under-test').omnirtc;
const ndc = require('node-datachannel/polyfill');
const werift = require('werift');

const OURS = { omnirtc: { mdns: 'disabled' } };
const TIMEOUT = 20000;

const stacks = {
  omnirtc: () => new omnirtc.RTCPeerConnection(OURS),
  'node-datachannel': () => new ndc.RTCPeerConnection({ iceServers: [] }),
  werift: () => new werift.RTCPeerConnection({ iceServers: [] }), // no default public STUN
};

async function gathered(pc) {
  const deadline = Date.now() + TIMEOUT;
  while (pc.iceGatheringState !== 'complete') {
    if (Date.now() > deadline) throw new Error('ICE gathering did not complete');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { type: pc.localDescription.type, sdp: pc.localDescription.sdp };
}

function next(setter) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), TIMEOUT);
    setter((value) => { clearTimeout(timer); resolve(value); });
  });
}

const text = (data) => (typeof data === 'string' ? data : Buffer.from(data).toString());

for (const other of ['node-datachannel', 'werift']) {
  for (const oursOffers of [true, false]) {
    test(`${oursOffers ? 'omnirtc offers to' : 'omnirtc answers'} ${other}`, async () => {
      const offerer = oursOffers ? stacks.omnirtc() : stacks[other]();
      const answerer = oursOffers ? stacks[other]() : stacks.omnirtc();
      const channel = offerer.createDataChannel('interop');
      const opened = next((resolve) => { channel.onopen = resolve; });
      const remoteChannel = next((resolve) => { answerer.ondatachannel = (e) => resolve(e.channel); });

      await offerer.setLocalDescription(await offerer.createOffer());
      await answerer.setRemoteDescription(await gathered(offerer));
      await answerer.setLocalDescription(await answerer.createAnswer());
      await offerer.setRemoteDescription(await gathered(answerer));

      const remote = await remoteChannel;
      await opened;
      const atAnswerer = next((resolve) => { remote.onmessage = (e) => resolve(e.data); });
      channel.send('from the offerer');
      assert.equal(text(await atAnswerer), 'from the offerer');
      const atOfferer = next((resolve) => { channel.onmessage = (e) => resolve(e.data); });
      remote.send(Buffer.from('from the answerer'));
      assert.equal(text(await atOfferer), 'from the answerer');
      assert.equal(remote.label, 'interop');
      offerer.close();
      answerer.close();
    });
  }
}
