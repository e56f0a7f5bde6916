// The browser side of the server example, as aiortc's client.js: sends the
// camera and a data channel, shows what the server sends back.
let pc = null;
let dc = null;

function createPeerConnection() {
  pc = new RTCPeerConnection();
  const show = (id, value) => { document.getElementById(id).textContent = value; };
  pc.addEventListener('icegatheringstatechange', () => show('ice-gathering-state', pc.iceGatheringState));
  pc.addEventListener('iceconnectionstatechange', () => show('ice-connection-state', pc.iceConnectionState));
  pc.addEventListener('signalingstatechange', () => show('signaling-state', pc.signalingState));
  pc.addEventListener('track', (event) => {
    if (event.track.kind === 'video') document.getElementById('video').srcObject = event.streams[0];
  });
  return pc;
}

async function negotiate() {
  await pc.setLocalDescription(await pc.createOffer());
  // the offer goes out whole, its candidates in it
  if (pc.iceGatheringState !== 'complete') {
    await new Promise((resolve) => {
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') resolve();
      });
    });
  }
  const response = await fetch('/offer', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      sdp: pc.localDescription.sdp,
      type: pc.localDescription.type,
      video_transform: document.getElementById('video-transform').value,
    }),
  });
  await pc.setRemoteDescription(await response.json());
}

async function start() {
  document.getElementById('start').style.display = 'none';
  createPeerConnection();
  dc = pc.createDataChannel('chat', { ordered: true });
  dc.addEventListener('message', (event) => { document.getElementById('data-channel').textContent += `< ${event.data}\n`; });
  dc.addEventListener('open', () => {
    setInterval(() => { if (dc.readyState === 'open') dc.send(`ping ${Date.now()}`); }, 1000);
  });
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true });
  stream.getTracks().forEach((track) => pc.addTrack(track, stream));
  await negotiate();
  document.getElementById('stop').style.display = 'inline-block';
}

function stop() {
  document.getElementById('stop').style.display = 'none';
  if (dc) dc.close();
  pc.getSenders().forEach((sender) => sender.track && sender.track.stop());
  setTimeout(() => pc.close(), 500);
}
