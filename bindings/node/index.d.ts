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
};

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
