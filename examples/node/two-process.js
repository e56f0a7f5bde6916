'use strict';
// Two processes, real signaling over a WebSocket server (the `ws` package):
//   node examples/node/two-process.js answer 9000 &   (runs the signaling server)
//   node examples/node/two-process.js offer 9000
// Trickle ICE: candidates travel over the socket as they are found.
const { RTCPeerConnection } = require('omnirtc');
const { WebSocket, WebSocketServer } = require('ws');

const config = { omnirtc: { includeLoopback: true, mdns: 'disabled' } };
const [role, port] = [process.argv[2], Number(process.argv[3])];
const ROUNDS = 3;

function wire(pc, socket) {
  pc.onicecandidate = ({ candidate }) => candidate && socket.send(JSON.stringify({ candidate }));
  const early = [];
  socket.on('message', async (raw) => {
    const message = JSON.parse(raw);
    if (message.description) {
      await pc.setRemoteDescription(message.description);
      for (const candidate of early.splice(0)) await pc.addIceCandidate(candidate);
      if (message.description.type === 'offer') {
        await pc.setLocalDescription();
        socket.send(JSON.stringify({ description: pc.localDescription }));
      }
    } else if (message.candidate) {
      if (pc.remoteDescription) await pc.addIceCandidate(message.candidate);
      else early.push(message.candidate);
    }
  });
}

if (role === 'answer') {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  server.on('listening', () => console.log('answerer: listening'));
  server.on('connection', (socket) => {
    const pc = new RTCPeerConnection(config);
    wire(pc, socket);
    pc.ondatachannel = ({ channel }) => {
      channel.onmessage = ({ data }) => {
        console.log('answerer got:', data);
        channel.send(`pong for ${data}`);
      };
      channel.onclose = () => {
        pc.close();
        server.close();
        console.log('answerer: done');
      };
    };
  });
} else {
  const socket = new WebSocket(`ws://127.0.0.1:${port}`);
  const pc = new RTCPeerConnection(config);
  socket.on('open', async () => {
    wire(pc, socket);
    const channel = pc.createDataChannel('chat');
    let round = 0;
    channel.onopen = () => channel.send(`ping ${++round}`);
    channel.onmessage = ({ data }) => {
      console.log('offerer got:', data);
      if (round < ROUNDS) {
        channel.send(`ping ${++round}`);
        return;
      }
      channel.close();
      channel.onclose = () => {
        pc.close();
        socket.close();
        console.log('offerer: done');
      };
    };
    await pc.setLocalDescription();
    socket.send(JSON.stringify({ description: pc.localDescription }));
  });
}
