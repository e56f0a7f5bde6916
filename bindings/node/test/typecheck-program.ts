// A typical W3C WebRTC program against omnirtc's declarations: peers,
// channels, events, getStats and tracks. types.test.js compiles it with
// `tsc --noEmit --strict`; it is never run.
import {
  RTCPeerConnection, RTCDataChannel, RTCIceCandidate, RTCSessionDescription, EncodedTrack,
  RTCTrackEvent, RTCPeerConnectionIceEvent, MediaWriter, libraryVersion, debugCounters,
  RTCCertificate, RTCError, RTCErrorEvent, setLogger,
} from 'omnirtc';
import type { RTCConfiguration, RTCStatsReport, EncodedFrameEvent, LogLevel } from 'omnirtc';

const quiet: LogLevel = 'Warning';
setLogger(quiet, (level: LogLevel, scope: string, message: string) => console.log(level, scope, message));
setLogger(null);

const config: RTCConfiguration = {
  iceServers: [{ urls: 'stun:stun.example.org' }],
  omnirtc: { includeLoopback: true, mdns: 'disabled', portRange: { min: 40000, max: 40100 } },
};

async function connect(): Promise<void> {
  const certificate: RTCCertificate = await RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256', expires: 86400000 });
  console.log(certificate.expires, certificate.getFingerprints().map(({ algorithm, value }) => `${algorithm} ${value}`));
  const alice = new RTCPeerConnection({ ...config, certificates: [certificate, RTCCertificate.fromPEM(certificate.toPEM())] });
  const bob = new RTCPeerConnection(config);
  alice.onicecandidate = ({ candidate }) => { if (candidate) void bob.addIceCandidate(candidate); };
  bob.addEventListener('icecandidate', (event) => {
    const { candidate } = event as RTCPeerConnectionIceEvent;
    if (candidate) void alice.addIceCandidate(new RTCIceCandidate(candidate.toJSON()));
  });
  alice.onconnectionstatechange = () => console.log(alice.connectionState, alice.iceConnectionState);

  bob.ondatachannel = ({ channel }) => {
    channel.binaryType = 'arraybuffer';
    channel.onmessage = ({ data }) => channel.send(typeof data === 'string' ? `echo: ${data}` : new Uint8Array(data as ArrayBuffer));
  };
  const channel: RTCDataChannel = alice.createDataChannel('chat', { ordered: false, maxRetransmits: 0 });
  channel.bufferedAmountLowThreshold = 1 << 16;
  channel.onopen = () => channel.send('hello');
  channel.onbufferedamountlow = () => channel.send(new Uint8Array(1024));
  channel.onerror = (event) => console.error(event.error.message, event.error.errorDetail, event.error.sctpCauseCode ?? 'no cause');
  const failure = new RTCError({ errorDetail: 'sctp-failure', sctpCauseCode: 12 }, 'aborted');
  channel.dispatchEvent(new RTCErrorEvent('error', { error: failure }));
  channel.addEventListener('close', () => console.log(channel.readyState, channel.label, channel.id));

  const track = new EncodedTrack({ codec: 'vp8' });
  const sender = alice.addTrack(track);
  sender.onkeyframerequest = ({ request, rid }) => console.log(request, rid);
  bob.ontrack = (event: RTCTrackEvent) => {
    const writer = new MediaWriter('/tmp/out.ivf', { codec: event.track.codec.mimeType });
    event.track.onrtp = ({ data }) => writer.writeRtp(data);
    event.track.addEventListener('frame', (e) => console.log((e as EncodedFrameEvent).keyframe));
    event.track.onended = () => writer.close();
  };
  alice.addTransceiver('audio', { direction: 'recvonly' });

  const offer = await alice.createOffer();
  await bob.setRemoteDescription(offer);
  await alice.setLocalDescription(offer);
  const answer = await bob.createAnswer();
  await alice.setRemoteDescription(new RTCSessionDescription(answer));
  await bob.setLocalDescription(answer);
  track.writeSample(new Uint8Array(100), 1 / 30);

  const stats: RTCStatsReport = await alice.getStats();
  for (const [id, report] of stats) {
    if (report.type === 'candidate-pair') console.log(id, report.timestamp, report['bytesSent']);
  }
  console.log(libraryVersion(), debugCounters().handles.peer, alice.getTransceivers().map((t) => t.mid));

  const sctp = alice.sctp;
  if (sctp) {
    const dtls = sctp.transport;
    dtls.onstatechange = () => console.log(dtls.state, dtls.getRemoteCertificates().map((c) => c.byteLength));
    const pair = dtls.iceTransport.getSelectedCandidatePair();
    console.log(sctp.state, sctp.maxMessageSize, sctp.maxChannels ?? 0, pair?.local.address, dtls.iceTransport.role);
    console.log(dtls.iceTransport.getLocalCandidates().length, dtls.iceTransport.getRemoteCandidates()[0]?.address);
    sctp.onstatechange = () => console.log(sctp.state === 'closed');
  }
  console.log(sender.transport?.iceTransport.gatheringState, alice.getReceivers()[0]?.transport?.state);
  alice.close();
  bob.close();
}

void connect();
