// Type declarations for omnirtc: the W3C WebRTC API for Node.js.

export type RTCIceTransportPolicy = 'all' | 'relay';
export type RTCBundlePolicy = 'balanced' | 'max-compat' | 'max-bundle';
export type RTCSdpType = 'offer' | 'pranswer' | 'answer' | 'rollback';
export type RTCSignalingState = 'stable' | 'have-local-offer' | 'have-remote-offer' | 'have-local-pranswer'
  | 'have-remote-pranswer' | 'closed';
export type RTCIceGatheringState = 'new' | 'gathering' | 'complete';
export type RTCIceConnectionState = 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed'
  | 'closed';
export type RTCPeerConnectionState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';
export type RTCDataChannelState = 'connecting' | 'open' | 'closing' | 'closed';
export type BinaryType = 'arraybuffer' | 'blob';

export interface RTCIceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** OmniRTC's engine settings; see include/omnirtc.h for every key. */
export interface OmniRTCEngineSettings {
  portRange?: { min: number; max: number };
  udpMuxPort?: number;
  tcpMuxPort?: number;
  networkTypes?: Array<'udp4' | 'udp6' | 'tcp4' | 'tcp6'>;
  interfaces?: string[];
  ips?: string[];
  nat1to1IPs?: string[];
  nat1to1CandidateType?: 'host' | 'srflx';
  mdns?: 'disabled' | 'query' | 'gather';
  includeLoopback?: boolean;
  iceDisconnectedTimeoutMs?: number;
  iceFailedTimeoutMs?: number;
  iceKeepaliveIntervalMs?: number;
  sctpMaxMessageSize?: number;
  udpBufferSize?: number;
  interceptors?: string[];
  /** Options of the 'jitterBuffer' interceptor (see omnirtc.h). */
  jitterBuffer?: { targetDelayMs?: number; maxPackets?: number };
}

export interface RTCConfiguration {
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  bundlePolicy?: RTCBundlePolicy;
  rtcpMuxPolicy?: 'require';
  /** Certificates from RTCPeerConnection.generateCertificate or RTCCertificate.fromPEM
   * (or their PEM texts); an expired one makes the constructor throw InvalidAccessError. */
  certificates?: (RTCCertificate | string)[];
  iceCandidatePoolSize?: number;
  omnirtc?: OmniRTCEngineSettings;
}

export interface RTCSessionDescriptionInit {
  type: RTCSdpType;
  sdp?: string;
}

export class RTCSessionDescription {
  constructor(init: RTCSessionDescriptionInit);
  readonly type: RTCSdpType;
  readonly sdp: string;
  toJSON(): RTCSessionDescriptionInit;
}

export interface RTCIceCandidateInit {
  candidate?: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

export class RTCIceCandidate {
  constructor(init: RTCIceCandidateInit);
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
  readonly usernameFragment: string | null;
  readonly foundation: string | null;
  readonly component: 'rtp' | 'rtcp' | null;
  readonly priority: number | null;
  readonly address: string | null;
  readonly protocol: string | null;
  readonly port: number | null;
  readonly type: string | null;
  readonly tcpType: string | null;
  readonly relatedAddress: string | null;
  readonly relatedPort: number | null;
  toJSON(): RTCIceCandidateInit;
}

export interface RTCDataChannelInit {
  ordered?: boolean;
  maxPacketLifeTime?: number;
  maxRetransmits?: number;
  protocol?: string;
  negotiated?: boolean;
  id?: number;
}

export class RTCPeerConnectionIceEvent extends Event {
  readonly candidate: RTCIceCandidate | null;
  readonly url: string | null;
}

export class RTCDataChannelEvent extends Event {
  readonly channel: RTCDataChannel;
}

export type RTCErrorDetailType = 'data-channel-failure' | 'dtls-failure' | 'fingerprint-failure' | 'sctp-failure'
  | 'sdp-syntax-error' | 'hardware-encoder-not-available' | 'hardware-encoder-error';

export interface RTCErrorInit {
  errorDetail: RTCErrorDetailType;
  sdpLineNumber?: number;
  sctpCauseCode?: number;
  receivedAlert?: number;
  sentAlert?: number;
  httpRequestStatusCode?: number;
}

/** A WebRTC error: a DOMException named 'OperationError' with its details (null when absent). */
export class RTCError extends DOMException {
  constructor(init: RTCErrorInit, message?: string);
  readonly errorDetail: RTCErrorDetailType;
  readonly sdpLineNumber: number | null;
  readonly sctpCauseCode: number | null;
  readonly receivedAlert: number | null;
  readonly sentAlert: number | null;
  readonly httpRequestStatusCode: number | null;
}

export interface RTCErrorEventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
  error: RTCError;
}

export class RTCErrorEvent extends Event {
  constructor(type: string, eventInitDict: RTCErrorEventInit);
  readonly error: RTCError;
}

export interface RTCDtlsFingerprint {
  algorithm: string;
  /** lowercase hex, colon-separated */
  value: string;
}

/** WebCrypto's ECDSA P-256 or RSASSA-PKCS1-v1_5 parameters, with the lifetime in ms (default 30 days, at most 365). */
export type RTCKeygenAlgorithm = string | {
  name: string;
  namedCurve?: string;
  modulusLength?: number;
  publicExponent?: Uint8Array;
  hash?: string | { name: string };
  expires?: number;
};

export class RTCCertificate {
  private constructor();
  /** When the certificate expires, in milliseconds since 1970-01-01T00:00:00Z. */
  readonly expires: number;
  getFingerprints(): RTCDtlsFingerprint[];
  /** OmniRTC: the certificate and its private key as PEM text, to store. */
  toPEM(): string;
  /** OmniRTC: a certificate stored with toPEM(). */
  static fromPEM(pem: string): RTCCertificate;
}

export class RTCDataChannel extends EventTarget {
  readonly label: string;
  readonly ordered: boolean;
  readonly maxPacketLifeTime: number | null;
  readonly maxRetransmits: number | null;
  readonly protocol: string;
  readonly negotiated: boolean;
  readonly id: number | null;
  readonly readyState: RTCDataChannelState;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  binaryType: BinaryType;
  onopen: ((this: RTCDataChannel, ev: Event) => any) | null;
  onmessage: ((this: RTCDataChannel, ev: MessageEvent) => any) | null;
  onbufferedamountlow: ((this: RTCDataChannel, ev: Event) => any) | null;
  onerror: ((this: RTCDataChannel, ev: RTCErrorEvent) => any) | null;
  onclosing: ((this: RTCDataChannel, ev: Event) => any) | null;
  onclose: ((this: RTCDataChannel, ev: Event) => any) | null;
  send(data: string | Blob | ArrayBuffer | ArrayBufferView): void;
  close(): void;
}

export interface RTCOfferOptions {
  iceRestart?: boolean;
}

export type RTCStatsReport = Map<string, { id: string; type: string; timestamp: number; [key: string]: unknown }>;

export class RTCPeerConnection extends EventTarget {
  constructor(configuration?: RTCConfiguration);
  static generateCertificate(keygenAlgorithm: RTCKeygenAlgorithm): Promise<RTCCertificate>;
  readonly localDescription: RTCSessionDescription | null;
  readonly currentLocalDescription: RTCSessionDescription | null;
  readonly pendingLocalDescription: RTCSessionDescription | null;
  readonly remoteDescription: RTCSessionDescription | null;
  readonly currentRemoteDescription: RTCSessionDescription | null;
  readonly pendingRemoteDescription: RTCSessionDescription | null;
  readonly signalingState: RTCSignalingState;
  readonly iceGatheringState: RTCIceGatheringState;
  readonly iceConnectionState: RTCIceConnectionState;
  readonly connectionState: RTCPeerConnectionState;
  readonly canTrickleIceCandidates: boolean | null;
  /** null until an answer negotiated SCTP (an m=application section). */
  readonly sctp: RTCSctpTransport | null;
  onicecandidate: ((this: RTCPeerConnection, ev: RTCPeerConnectionIceEvent) => any) | null;
  onicegatheringstatechange: ((this: RTCPeerConnection, ev: Event) => any) | null;
  oniceconnectionstatechange: ((this: RTCPeerConnection, ev: Event) => any) | null;
  onconnectionstatechange: ((this: RTCPeerConnection, ev: Event) => any) | null;
  onsignalingstatechange: ((this: RTCPeerConnection, ev: Event) => any) | null;
  onnegotiationneeded: ((this: RTCPeerConnection, ev: Event) => any) | null;
  ondatachannel: ((this: RTCPeerConnection, ev: RTCDataChannelEvent) => any) | null;
  createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit>;
  createAnswer(): Promise<RTCSessionDescriptionInit>;
  setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
  addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void>;
  restartIce(): void;
  getConfiguration(): RTCConfiguration;
  setConfiguration(configuration?: RTCConfiguration): void;
  getStats(): Promise<RTCStatsReport>;
  createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel;
  close(): void;
}

/** The version of the loaded libomnirtc. */
export function libraryVersion(): string;
/** Live handles, goroutines and sockets of the library, for leak checks. */
export function debugCounters(): {
  handles: { peer: number; channel: number };
  goroutines: number;
  sockets: number;
  peers: number;
  queuedEvents: number;
  logsDropped: number;
  /** Times a channel went from reading to paused (omnirtc_channel_set_paused). */
  channelPauses: number;
  /** The Go collector's pauses since load: [upper bound in seconds, count] per non-empty bucket. */
  gcPauses: [number, number][];
};

/** The library's garbage collector (omnirtc_set_gc): Go's GOGC and GOMEMLIMIT. */
export interface GCSettings {
  /** GOGC: -1 for off, else 1..1000000 (Go's default 100). */
  percent: number;
  /** GOMEMLIMIT in bytes, 0 for none. */
  memoryLimitBytes: number;
}
/** Sets the collector process-wide; TypeError for out-of-range values, which change nothing. */
export function setGC(settings?: Partial<GCSettings>): void;
/** The collector settings in force. */
export function getGC(): GCSettings;

/**
 * The engine's log levels, least verbose first, as node-datachannel's `initLogger`
 * names them ('Verbose' is the engine's trace level).
 */
export type LogLevel = 'Error' | 'Warning' | 'Info' | 'Debug' | 'Verbose';
/**
 * Receives one engine log line on the main thread: its level, the subsystem it comes from
 * ('ice', 'dtls', 'sctp', 'pc', 'omnirtc'…) and the line itself.
 */
export type LogCallback = (level: LogLevel, scope: string, message: string) => void;
/**
 * Sends the engine's log lines (pion's included) at `level` or more severe to `callback`
 * (omnirtc_set_log_callback), replacing any earlier logger; `setLogger(null)` turns logging
 * off, dropping the lines not yet delivered. The engine formats nothing while no logger is
 * set, and a logger never keeps the process alive. Lines beyond 1024 waiting for the main
 * thread are dropped. TypeError for an unknown level or a callback that is not a function.
 */
export function setLogger(level: LogLevel, callback: LogCallback): void;
export function setLogger(level: null): void;

// --- Media (lib/media.js, lib/mediafile.js): encoded media in and out -----------

export interface EncodedTrackInit {
  /** MIME type or name: opus, pcmu, pcma, g722, vp8, vp9, h264, h265, av1 */
  codec: string;
  id?: string;
  streamId?: string;
  /** 'sample' (default): writeSample frames; 'rtp': writeRtp packets */
  mode?: 'sample' | 'rtp';
  /** simulcast layers, sent with addTransceiver(track, {sendEncodings}) */
  rids?: string[];
}

/** A local track fed with encoded media (OmniRTC does not encode). */
export class EncodedTrack extends EventTarget {
  constructor(init: EncodedTrackInit);
  readonly kind: 'audio' | 'video';
  readonly id: string;
  readonly codec: string;
  readonly readyState: 'live' | 'ended';
  /** One encoded frame (H264: an Annex-B access unit) lasting `duration` seconds. */
  writeSample(data: ArrayBuffer | ArrayBufferView, duration: number, rid?: string | null): void;
  /** One RTP packet; payload type and SSRC are rewritten to the negotiated ones. */
  writeRtp(packet: ArrayBuffer | ArrayBufferView, rid?: string | null): void;
  stop(): void;
}

export interface RtpCodec {
  payloadType: number;
  mimeType: string;
  clockRate: number;
  channels?: number;
  sdpFmtpLine?: string;
}

export interface EncodedFrameEvent extends Event {
  readonly data: Uint8Array;
  /** RTP timestamp */
  readonly timestamp: number;
  readonly keyframe: boolean;
  /** received packets dropped just before this frame, their frame incomplete */
  readonly lost: number;
}

/**
 * 'targetbitrate': bitrate in bits per second, from source 'gcc' (the "gcc"
 * interceptor's estimate, for everything the peer sends) or 'remb' (a REMB
 * from the remote receiver: ssrcs are the streams it covers together, mids
 * the transceivers sending them).
 */
export type TargetBitrateEvent = Event & { bitrate: number; source: 'gcc' | 'remb'; ssrcs: number[]; mids: string[] };

/** A track the remote peer sends; dispatches 'frame' (or 'rtp') and 'ended'. */
export class RemoteTrack extends EventTarget {
  readonly kind: 'audio' | 'video';
  readonly id: string;
  readonly rid: string;
  readonly ssrc: number;
  readonly codec: RtpCodec;
  readonly readyState: 'live' | 'ended';
  onframe: ((event: EncodedFrameEvent) => void) | null;
  onrtp: ((event: Event & { data: Uint8Array; timestamp: number }) => void) | null;
  onended: ((event: Event) => void) | null;
  /**
   * Non-standard: a DTMF tone the remote sent on this audio track (RFC 4733),
   * once per tone when it ends: tone ('0'-'9', 'A'-'D', '#', '*') and duration
   * in ms. Its packets are never 'frame' events.
   */
  ondtmf: ((event: Event & { tone: string; duration: number }) => void) | null;
  setReceiveMode(mode: 'frames' | 'rtp' | 'none', options?: { maxLate?: number; maxDelayMs?: number }): void;
  requestKeyframe(options?: { fir?: boolean }): void;
  /** Sends a REMB (video, "remb" interceptor): the most the sender should send, in bits/s. */
  requestBitrate(bitrate: number): void;
}

export interface RTCRtpEncodingParameters {
  rid?: string;
  active?: boolean;
  maxBitrate?: number;
  scaleResolutionDownBy?: number;
}

/** webrtc-pc 5.2 RTCRtpCapabilities: what a peer with the default configuration offers. */
export interface RTCRtpCapabilities {
  codecs: { mimeType: string; clockRate: number; channels?: number; sdpFmtpLine?: string }[];
  headerExtensions: { uri: string }[];
}

export interface RTCRtpSendParameters {
  /** valid until the task that called getParameters() ends (webrtc-pc 5.2) */
  transactionId: string;
  encodings: RTCRtpEncodingParameters[];
  codecs: RtpCodec[];
  headerExtensions: { uri: string; id: number }[];
}

export type RTCIceRole = 'unknown' | 'controlling' | 'controlled';
export type RTCIceTransportState = RTCIceConnectionState;
export type RTCDtlsTransportState = 'new' | 'connecting' | 'connected' | 'closed' | 'failed';
export type RTCSctpTransportState = 'connecting' | 'connected' | 'closed';

export interface RTCIceCandidatePair {
  local: RTCIceCandidate;
  remote: RTCIceCandidate;
}

/** webrtc-pc 5.6; one for everything (bundle). */
export class RTCIceTransport extends EventTarget {
  private constructor();
  readonly role: RTCIceRole;
  readonly component: 'rtp';
  readonly state: RTCIceTransportState;
  readonly gatheringState: RTCIceGatheringState;
  getSelectedCandidatePair(): RTCIceCandidatePair | null;
  /** The candidates gathered and sent in icecandidate. */
  getLocalCandidates(): RTCIceCandidate[];
  /** The remote's candidates: its description's and those addIceCandidate added. */
  getRemoteCandidates(): RTCIceCandidate[];
  onstatechange: ((this: RTCIceTransport, ev: Event) => any) | null;
  ongatheringstatechange: ((this: RTCIceTransport, ev: Event) => any) | null;
  onselectedcandidatepairchange: ((this: RTCIceTransport, ev: Event) => any) | null;
}

/** webrtc-pc 5.4. */
export class RTCDtlsTransport extends EventTarget {
  private constructor();
  readonly iceTransport: RTCIceTransport;
  readonly state: RTCDtlsTransportState;
  /** The remote's certificate chain, DER. */
  getRemoteCertificates(): ArrayBuffer[];
  onstatechange: ((this: RTCDtlsTransport, ev: Event) => any) | null;
  onerror: ((this: RTCDtlsTransport, ev: Event) => any) | null;
}

/** webrtc-pc 6.1.1. */
export class RTCSctpTransport extends EventTarget {
  private constructor();
  readonly transport: RTCDtlsTransport;
  readonly state: RTCSctpTransportState;
  readonly maxMessageSize: number;
  /** null until the SCTP association is connected. */
  readonly maxChannels: number | null;
  onstatechange: ((this: RTCSctpTransport, ev: Event) => any) | null;
}

/** webrtc-pc 7.3. */
export class RTCDTMFToneChangeEvent extends Event {
  constructor(type: string, init?: { tone?: string; bubbles?: boolean; cancelable?: boolean });
  readonly tone: string;
}

/** webrtc-pc 7.2: DTMF as RFC 4733 telephone-events on an audio sender. */
export class RTCDTMFSender extends EventTarget {
  private constructor();
  /** Replaces the tone buffer; duration clamped to 40..6000 ms, interToneGap to 30..6000 ms; ',' pauses 2 s. */
  insertDTMF(tones: string, duration?: number, interToneGap?: number): void;
  readonly canInsertDTMF: boolean;
  readonly toneBuffer: string;
  /** Fires as each tone starts, and with tone '' when the buffer has run empty. */
  ontonechange: ((this: RTCDTMFSender, ev: RTCDTMFToneChangeEvent) => any) | null;
}

export class RTCRtpSender extends EventTarget {
  static getCapabilities(kind: string): RTCRtpCapabilities | null;
  readonly track: EncodedTrack | null;
  /** null for a video sender. */
  readonly dtmf: RTCDTMFSender | null;
  /** null until negotiated. */
  readonly transport: RTCDtlsTransport | null;
  replaceTrack(track: EncodedTrack | null): Promise<void>;
  getParameters(): RTCRtpSendParameters;
  /** Changes each encoding's active, maxBitrate and scaleResolutionDownBy; encodings cannot be added, removed or renamed. */
  setParameters(parameters: RTCRtpSendParameters): Promise<void>;
  /** 'keyframerequest' events carry request ('pli' | 'fir') and rid. */
  onkeyframerequest: ((event: Event & { request: 'pli' | 'fir'; rid: string }) => void) | null;
}

export class RTCRtpReceiver {
  static getCapabilities(kind: string): RTCRtpCapabilities | null;
  readonly track: RemoteTrack | null;
  /** null until negotiated. */
  readonly transport: RTCDtlsTransport | null;
}

export class RTCRtpTransceiver {
  readonly mid: string | null;
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  readonly currentDirection: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' | null;
  readonly sender: RTCRtpSender;
  readonly receiver: RTCRtpReceiver;
  setCodecPreferences(codecs: { mimeType: string; sdpFmtpLine?: string }[]): void;
  stop(): void;
}

export class RTCTrackEvent extends Event {
  readonly track: RemoteTrack;
  readonly receiver: RTCRtpReceiver;
  readonly transceiver: RTCRtpTransceiver;
  readonly streams: unknown[];
}

export interface RTCPeerConnection {
  addTrack(track: EncodedTrack): RTCRtpSender;
  addTransceiver(trackOrKind: EncodedTrack | 'audio' | 'video',
    init?: { direction?: RTCRtpTransceiver['direction']; sendEncodings?: RTCRtpEncodingParameters[] }): RTCRtpTransceiver;
  removeTrack(sender: RTCRtpSender): void;
  getTransceivers(): RTCRtpTransceiver[];
  getSenders(): RTCRtpSender[];
  getReceivers(): RTCRtpReceiver[];
  /** How remote tracks arriving from now on deliver (applied from their first packet). */
  setTrackReceive(options: { mode: 'frames' | 'rtp' | 'none'; maxLate?: number; maxDelayMs?: number }): void;
  ontrack: ((event: RTCTrackEvent) => void) | null;
  /** With the "gcc" or "remb" interceptor: a new send bitrate target. */
  ontargetbitrate: ((event: TargetBitrateEvent) => void) | null;
}

/** Reads an IVF (VP8/VP9/AV1), Ogg/Opus or H264 Annex-B file frame by frame. */
export class MediaReader implements Iterable<{ data: Uint8Array; duration: number; keyframe: boolean }> {
  constructor(path: string, options?: { format?: 'ivf' | 'ogg' | 'h264'; fps?: number });
  readonly info: { format: string; codec: string; width?: number; height?: number; frameCount?: number;
    channels?: number; sampleRate?: number };
  read(): { data: Uint8Array; duration: number; keyframe: boolean } | null;
  [Symbol.iterator](): Iterator<{ data: Uint8Array; duration: number; keyframe: boolean }>;
  close(): void;
}

/** Records RTP packets into an IVF, Ogg or H264 file. */
export class MediaWriter {
  constructor(path: string, options?: { format?: string; codec?: string; width?: number; height?: number;
    sampleRate?: number; channels?: number });
  writeRtp(packet: Uint8Array): void;
  close(): void;
}

/** The configuration of a built-in TURN/STUN server (see omnirtc.h, omnirtc_turn_server_start). */
export interface TurnServerConfig {
  listeners: { transport: 'udp' | 'tcp' | 'tls'; address: string; certificate?: string; privateKey?: string }[];
  realm?: string;
  relay: { address: string; bindAddress?: string; minPort?: number; maxPort?: number };
  users?: Record<string, string>;
  sharedSecret?: string;
  userQuota?: number;
  allocationLifetimeSec?: number;
}

export interface TurnServerStats {
  allocations: number;
  allocationsCreated: number;
  bytesRelayed: number;
  bytesToPeers: number;
  bytesFromPeers: number;
  authFailures: number;
  quotaRejections: number;
  eventsDropped: number;
  listeners: { transport: 'udp' | 'tcp' | 'tls'; address: string }[];
}

export class TurnAllocationEvent extends Event {
  readonly username: string;
  readonly realm: string;
  readonly clientAddress: string;
  /** '' for allocationdeleted */
  readonly relayAddress: string;
  readonly protocol: string;
}

/** A built-in TURN/STUN server; it keeps the process alive until closed. */
export class TurnServer extends EventTarget {
  /** auth: password of a user neither static nor REST, or null to refuse; synchronous (library thread waits ≤ 2 s). */
  constructor(config: TurnServerConfig | string,
    options?: { auth?: (username: string, realm: string, clientAddress: string) => string | null });
  onallocationcreated: ((this: TurnServer, ev: TurnAllocationEvent) => any) | null;
  onallocationdeleted: ((this: TurnServer, ev: TurnAllocationEvent) => any) | null;
  onclose: ((this: TurnServer, ev: Event) => any) | null;
  stats(): TurnServerStats;
  close(): Promise<void>;
  /** A coturn-style time-limited credential for sharedSecret. */
  static restCredential(secret: string, user: string, ttlSeconds?: number): { username: string; credential: string };
}
