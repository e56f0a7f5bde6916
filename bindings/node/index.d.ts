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
  /** PEM texts (certificate and private key), e.g. from a previous run. */
  certificates?: string[];
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

export class RTCErrorEvent extends Event {
  readonly error: DOMException;
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
  readonly sctp: { readonly maxMessageSize: number } | null;
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
};

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

export class RTCRtpSender extends EventTarget {
  readonly track: EncodedTrack | null;
  replaceTrack(track: EncodedTrack | null): Promise<void>;
  getParameters(): { encodings: RTCRtpEncodingParameters[]; codecs: RtpCodec[] };
  /** 'keyframerequest' events carry request ('pli' | 'fir') and rid. */
  onkeyframerequest: ((event: Event & { request: 'pli' | 'fir'; rid: string }) => void) | null;
}

export class RTCRtpReceiver {
  readonly track: RemoteTrack | null;
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
