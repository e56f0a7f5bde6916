// Type declarations for omnirtc: the W3C WebRTC API for Node.js.
//
// Each name says its W3C webrtc-pc counterpart, or "OmniRTC:" where there is
// none. Errors are the ones lib/ throws: lib/errors.js turns the library's
// status codes (include/omnirtc.h, each function's Errors) into the W3C names,
// OMNIRTC_ERR_INVALID_ARGUMENT, _INVALID_CONFIG and _TOO_LARGE into TypeError,
// a closed object's stale handle into InvalidStateError. Checked by
// scripts/check-dts-docs.js: every exported name and member has a comment.

/** W3C `RTCIceTransportPolicy`: 'relay' gathers and uses relay (TURN) candidates only. */
export type RTCIceTransportPolicy = 'all' | 'relay';
/** W3C `RTCBundlePolicy`. */
export type RTCBundlePolicy = 'balanced' | 'max-compat' | 'max-bundle';
/** W3C `RTCSdpType`. */
export type RTCSdpType = 'offer' | 'pranswer' | 'answer' | 'rollback';
/** W3C `RTCSignalingState`. */
export type RTCSignalingState = 'stable' | 'have-local-offer' | 'have-remote-offer' | 'have-local-pranswer'
  | 'have-remote-pranswer' | 'closed';
/** W3C `RTCIceGatheringState`. */
export type RTCIceGatheringState = 'new' | 'gathering' | 'complete';
/** W3C `RTCIceConnectionState`. */
export type RTCIceConnectionState = 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed'
  | 'closed';
/** W3C `RTCPeerConnectionState`; 'failed' also when the DTLS handshake failed (a fingerprint that does not match). */
export type RTCPeerConnectionState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';
/** W3C `RTCDataChannelState`. */
export type RTCDataChannelState = 'connecting' | 'open' | 'closing' | 'closed';
/** W3C `BinaryType` (HTML): how `RTCDataChannel` delivers binary messages. */
export type BinaryType = 'arraybuffer' | 'blob';

/** W3C `RTCIceServer`: a STUN or TURN server. */
export interface RTCIceServer {
  /**
   * W3C `RTCIceServer.urls`: stun:, turn: or turns: URLs; one that does not parse makes the
   * RTCPeerConnection constructor throw SyntaxError.
   */
  urls: string | string[];
  /** W3C `RTCIceServer.username`: a turn:/turns: URL without it makes the constructor throw InvalidAccessError. */
  username?: string;
  /** W3C `RTCIceServer.credential`: the TURN password; required for turn:/turns: URLs, as `username`. */
  credential?: string;
}

/**
 * OmniRTC's engine settings (`RTCConfiguration.omnirtc`; no W3C counterpart); see include/omnirtc.h,
 * omnirtc_peer_create, for every key. An unknown key or bad value makes the constructor throw TypeError
 * naming the key; setConfiguration cannot change them (InvalidModificationError).
 */
export interface OmniRTCEngineSettings {
  /** OmniRTC: the UDP ports for host candidates, `min`..`max` inclusive. */
  portRange?: {
    /** The lowest port, 1..65535. */
    min: number;
    /** The highest port, at least min. */
    max: number;
  };
  /** OmniRTC: one UDP port shared by every peer that sets it (ICE UDP mux). */
  udpMuxPort?: number;
  /** OmniRTC: accept ICE-TCP on this shared TCP port (passive candidates). */
  tcpMuxPort?: number;
  /** OmniRTC: the network types gathered (default all four). */
  networkTypes?: Array<'udp4' | 'udp6' | 'tcp4' | 'tcp6'>;
  /** OmniRTC: gather only on these interfaces (an empty name is an error). */
  interfaces?: string[];
  /** OmniRTC: gather only these local IP addresses. */
  ips?: string[];
  /** OmniRTC: the external IPs to announce, each an IP or "external/local". */
  nat1to1IPs?: string[];
  /** OmniRTC: announce nat1to1IPs as host candidates or as srflx ones. */
  nat1to1CandidateType?: 'host' | 'srflx';
  /** OmniRTC: mDNS .local candidates: resolve them ('query', the default), also hide ours ('gather'), or neither. */
  mdns?: 'disabled' | 'query' | 'gather';
  /** OmniRTC: gather 127.0.0.1 / ::1 candidates too (default false). */
  includeLoopback?: boolean;
  /** OmniRTC: ms without traffic before ICE goes 'disconnected' (default 5000; 0: never). */
  iceDisconnectedTimeoutMs?: number;
  /** OmniRTC: ms more, once 'disconnected', before ICE goes 'failed' (default 25000; 0: never). */
  iceFailedTimeoutMs?: number;
  /** OmniRTC: ms between ICE keepalives (default 2000). */
  iceKeepaliveIntervalMs?: number;
  /** OmniRTC: the largest data channel message this peer accepts, in bytes (default 262144). */
  sctpMaxMessageSize?: number;
  /** OmniRTC: UDP socket buffer size to ask for, in bytes (default 4194304; 0: the OS default). */
  udpBufferSize?: number;
  /** OmniRTC: the RTP interceptors, by name (default ['nack', 'rtx', 'rtcpReports', 'twcc', 'stats']). */
  interceptors?: string[];
  /** Options of the 'jitterBuffer' interceptor (see omnirtc.h): targetDelayMs in ms (default 200), maxPackets (default 512); an error without that interceptor. */
  jitterBuffer?: {
    /** How long a packet that follows a gap waits for the missing ones, in ms, 1..10000 (default 200). */
    targetDelayMs?: number;
    /** The sequence numbers a buffer spans, 1..2048 (default 512); a packet further ahead releases the oldest. */
    maxPackets?: number;
  };
  /** Options of the 'ulpfec' interceptor (see omnirtc.h): groupSize, sent video packets per ULPFEC packet (1..24, default 4); an error without that interceptor. */
  ulpfec?: {
    /** Sent video packets per ULPFEC packet, 1..24 (default 4): the repair rate is 1/groupSize. */
    groupSize?: number;
  };
}

/**
 * W3C `RTCConfiguration`. The constructor throws TypeError for a malformed member, SyntaxError or
 * InvalidAccessError for an ICE server (see RTCIceServer), NotSupportedError for rtcpMuxPolicy 'negotiate';
 * unknown members are ignored.
 */
export interface RTCConfiguration {
  /** W3C `RTCConfiguration.iceServers` (default []); setConfiguration may change it, used from the next gathering. */
  iceServers?: RTCIceServer[];
  /** W3C `RTCConfiguration.iceTransportPolicy` (default 'all'); setConfiguration may change it. */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** W3C `RTCConfiguration.bundlePolicy` (default 'balanced'); fixed after construction. */
  bundlePolicy?: RTCBundlePolicy;
  /** W3C `RTCConfiguration.rtcpMuxPolicy`: only 'require' (the default); 'negotiate' throws NotSupportedError. */
  rtcpMuxPolicy?: 'require';
  /** Certificates from RTCPeerConnection.generateCertificate or RTCCertificate.fromPEM
   * (or their PEM texts); an expired one makes the constructor throw InvalidAccessError. */
  certificates?: (RTCCertificate | string)[];
  /** W3C `RTCConfiguration.iceCandidatePoolSize` (default 0); fixed once a local description is set. */
  iceCandidatePoolSize?: number;
  /** OmniRTC: the engine settings, fixed after construction. */
  omnirtc?: OmniRTCEngineSettings;
}

/** W3C `RTCSessionDescriptionInit`. */
export interface RTCSessionDescriptionInit {
  /** W3C `RTCSessionDescriptionInit.type`. */
  type: RTCSdpType;
  /** W3C `RTCSessionDescriptionInit.sdp`: the SDP text ('' or absent: see setLocalDescription). */
  sdp?: string;
}

/** W3C `RTCSessionDescription`: an SDP offer, answer, pranswer or rollback. */
export class RTCSessionDescription {
  /** W3C `RTCSessionDescription` constructor; throws TypeError for a type outside RTCSdpType. */
  constructor(init: RTCSessionDescriptionInit);
  /** W3C `RTCSessionDescription.type`. */
  readonly type: RTCSdpType;
  /** W3C `RTCSessionDescription.sdp` ('' when none was given). */
  readonly sdp: string;
  /** W3C `RTCSessionDescription.toJSON()`: {type, sdp}, to send to the remote. */
  toJSON(): RTCSessionDescriptionInit;
}

/** W3C `RTCIceCandidateInit`: what an icecandidate event's candidate gives the remote's addIceCandidate. */
export interface RTCIceCandidateInit {
  /** W3C `RTCIceCandidateInit.candidate`: an "a=candidate" value ("candidate:…"); '' for end-of-candidates. */
  candidate?: string;
  /** W3C `RTCIceCandidateInit.sdpMid`: the media section's mid. */
  sdpMid?: string | null;
  /** W3C `RTCIceCandidateInit.sdpMLineIndex`: the media section's index, used when sdpMid is null. */
  sdpMLineIndex?: number | null;
  /** W3C `RTCIceCandidateInit.usernameFragment`. */
  usernameFragment?: string | null;
}

/** W3C `RTCIceCandidate`, with the fields parsed out of the candidate line (null when it lacks them). */
export class RTCIceCandidate {
  /** W3C `RTCIceCandidate` constructor; throws TypeError when both sdpMid and sdpMLineIndex are null. */
  constructor(init: RTCIceCandidateInit);
  /** W3C `RTCIceCandidate.candidate`: the "candidate:…" line ('' for end-of-candidates). */
  readonly candidate: string;
  /** W3C `RTCIceCandidate.sdpMid`. */
  readonly sdpMid: string | null;
  /** W3C `RTCIceCandidate.sdpMLineIndex`. */
  readonly sdpMLineIndex: number | null;
  /** W3C `RTCIceCandidate.usernameFragment`, as given to the constructor. */
  readonly usernameFragment: string | null;
  /** W3C `RTCIceCandidate.foundation`. */
  readonly foundation: string | null;
  /** W3C `RTCIceCandidate.component`. */
  readonly component: 'rtp' | 'rtcp' | null;
  /** W3C `RTCIceCandidate.priority`. */
  readonly priority: number | null;
  /** W3C `RTCIceCandidate.address`: an IP address or an mDNS .local name. */
  readonly address: string | null;
  /** W3C `RTCIceCandidate.protocol`: 'udp' or 'tcp'. */
  readonly protocol: string | null;
  /** W3C `RTCIceCandidate.port`. */
  readonly port: number | null;
  /** W3C `RTCIceCandidate.type`: 'host', 'srflx', 'prflx' or 'relay'. */
  readonly type: string | null;
  /** W3C `RTCIceCandidate.tcpType`: 'active', 'passive' or 'so', for TCP candidates. */
  readonly tcpType: string | null;
  /** W3C `RTCIceCandidate.relatedAddress` (raddr). */
  readonly relatedAddress: string | null;
  /** W3C `RTCIceCandidate.relatedPort` (rport). */
  readonly relatedPort: number | null;
  /** W3C `RTCIceCandidate.toJSON()`: {candidate, sdpMid, sdpMLineIndex, usernameFragment}. */
  toJSON(): RTCIceCandidateInit;
}

/** W3C `RTCDataChannelInit`; createDataChannel throws TypeError for a value it refuses. */
export interface RTCDataChannelInit {
  /** W3C `RTCDataChannelInit.ordered` (default true). */
  ordered?: boolean;
  /** W3C `RTCDataChannelInit.maxPacketLifeTime`, in ms; not with maxRetransmits (TypeError). */
  maxPacketLifeTime?: number;
  /** W3C `RTCDataChannelInit.maxRetransmits`; not with maxPacketLifeTime (TypeError). */
  maxRetransmits?: number;
  /** W3C `RTCDataChannelInit.protocol` (default ''). */
  protocol?: string;
  /** W3C `RTCDataChannelInit.negotiated`: true needs an id, and the remote creates the same channel. */
  negotiated?: boolean;
  /** W3C `RTCDataChannelInit.id`: 0..65534. */
  id?: number;
}

/** W3C `RTCPeerConnectionIceEvent`: the icecandidate event. */
export class RTCPeerConnectionIceEvent extends Event {
  /** W3C `RTCPeerConnectionIceEvent.candidate`: a gathered candidate, null when gathering is complete. */
  readonly candidate: RTCIceCandidate | null;
  /** W3C `RTCPeerConnectionIceEvent.url`: always null here. */
  readonly url: string | null;
}

/** W3C `RTCDataChannelEvent`: the datachannel event, fired once the remote's channel is open. */
export class RTCDataChannelEvent extends Event {
  /** W3C `RTCDataChannelEvent.channel`: the remote's channel; its open event follows. */
  readonly channel: RTCDataChannel;
}

/** W3C `RTCErrorDetailType`. */
export type RTCErrorDetailType = 'data-channel-failure' | 'dtls-failure' | 'fingerprint-failure' | 'sctp-failure'
  | 'sdp-syntax-error' | 'hardware-encoder-not-available' | 'hardware-encoder-error';

/** W3C `RTCErrorInit`. */
export interface RTCErrorInit {
  /** W3C `RTCErrorInit.errorDetail` (required). */
  errorDetail: RTCErrorDetailType;
  /** W3C `RTCErrorInit.sdpLineNumber`. */
  sdpLineNumber?: number;
  /** W3C `RTCErrorInit.sctpCauseCode`: an SCTP cause code. */
  sctpCauseCode?: number;
  /** W3C `RTCErrorInit.receivedAlert`: a DTLS alert received. */
  receivedAlert?: number;
  /** W3C `RTCErrorInit.sentAlert`: a DTLS alert sent. */
  sentAlert?: number;
  /** W3C `RTCErrorInit.httpRequestStatusCode`. */
  httpRequestStatusCode?: number;
}

/** A WebRTC error: a DOMException named 'OperationError' with its details (null when absent). */
export class RTCError extends DOMException {
  /** W3C `RTCError` constructor; throws TypeError without init or errorDetail, or for an unknown errorDetail. */
  constructor(init: RTCErrorInit, message?: string);
  /** W3C `RTCError.errorDetail`. */
  readonly errorDetail: RTCErrorDetailType;
  /** W3C `RTCError.sdpLineNumber`. */
  readonly sdpLineNumber: number | null;
  /** W3C `RTCError.sctpCauseCode`. */
  readonly sctpCauseCode: number | null;
  /** W3C `RTCError.receivedAlert`. */
  readonly receivedAlert: number | null;
  /** W3C `RTCError.sentAlert`. */
  readonly sentAlert: number | null;
  /** W3C `RTCError.httpRequestStatusCode`. */
  readonly httpRequestStatusCode: number | null;
}

/** W3C `RTCErrorEventInit`. */
export interface RTCErrorEventInit {
  /** DOM `EventInit.bubbles`. */
  bubbles?: boolean;
  /** DOM `EventInit.cancelable`. */
  cancelable?: boolean;
  /** DOM `EventInit.composed`. */
  composed?: boolean;
  /** W3C `RTCErrorEventInit.error` (required). */
  error: RTCError;
}

/** W3C `RTCErrorEvent`: a data channel's error event. */
export class RTCErrorEvent extends Event {
  /** W3C `RTCErrorEvent` constructor; throws TypeError unless eventInitDict.error is an RTCError. */
  constructor(type: string, eventInitDict: RTCErrorEventInit);
  /** W3C `RTCErrorEvent.error`; a data channel's has errorDetail 'data-channel-failure'. */
  readonly error: RTCError;
}

/** W3C `RTCDtlsFingerprint`: what a=fingerprint of a peer using the certificate says. */
export interface RTCDtlsFingerprint {
  /** W3C `RTCDtlsFingerprint.algorithm`: a hash function name, 'sha-256'. */
  algorithm: string;
  /** lowercase hex, colon-separated */
  value: string;
}

/** WebCrypto's ECDSA P-256 or RSASSA-PKCS1-v1_5 parameters, with the lifetime in ms (default 30 days, at most 365). */
export type RTCKeygenAlgorithm = string | {
  /** WebCrypto `Algorithm.name`: 'ECDSA' or 'RSASSA-PKCS1-v1_5' (matched case-insensitively). */
  name: string;
  /** WebCrypto `EcKeyGenParams.namedCurve` (ECDSA): only 'P-256'. */
  namedCurve?: string;
  /** WebCrypto `RsaKeyGenParams.modulusLength` (RSA), in bits: 1024..4096. */
  modulusLength?: number;
  /** WebCrypto `RsaKeyGenParams.publicExponent` (RSA), big-endian: only 65537 ([1, 0, 1]). */
  publicExponent?: Uint8Array;
  /** WebCrypto `RsaHashedKeyGenParams.hash` (RSA), a name or {name}: only 'SHA-256'. */
  hash?: string | {
    /** The hash function's name: only 'SHA-256'. */
    name: string;
  };
  /** W3C `RTCCertificateExpiration.expires`: the lifetime in ms from now (default 30 days, at most 365; 0: expired already). */
  expires?: number;
};

/** W3C `RTCCertificate`: a DTLS certificate and its private key; not constructible. */
export class RTCCertificate {
  private constructor();
  /** When the certificate expires, in milliseconds since 1970-01-01T00:00:00Z. */
  readonly expires: number;
  /** W3C `RTCCertificate.getFingerprints()`: the fingerprints a peer made with it announces. */
  getFingerprints(): RTCDtlsFingerprint[];
  /** OmniRTC: the certificate and its private key as PEM text, to store. */
  toPEM(): string;
  /** OmniRTC: a certificate stored with toPEM(). */
  static fromPEM(pem: string): RTCCertificate;
}

/**
 * W3C `RTCDataChannel`. Sends of up to 16 KiB made in one task go to the library together when the
 * task ends; a failure then is an error event, not an exception.
 */
export class RTCDataChannel extends EventTarget {
  /** W3C `RTCDataChannel.label`. */
  readonly label: string;
  /** W3C `RTCDataChannel.ordered`. */
  readonly ordered: boolean;
  /** W3C `RTCDataChannel.maxPacketLifeTime`, in ms; null when not set. */
  readonly maxPacketLifeTime: number | null;
  /** W3C `RTCDataChannel.maxRetransmits`; null when not set. */
  readonly maxRetransmits: number | null;
  /** W3C `RTCDataChannel.protocol`. */
  readonly protocol: string;
  /** W3C `RTCDataChannel.negotiated`. */
  readonly negotiated: boolean;
  /** W3C `RTCDataChannel.id`: null until an answer settles the DTLS role (even ids on the DTLS client, odd on the server). */
  readonly id: number | null;
  /** W3C `RTCDataChannel.readyState`: 'closed' only once the close event has fired, 'closing' until then. */
  readonly readyState: RTCDataChannelState;
  /** W3C `RTCDataChannel.bufferedAmount`, in bytes: queued and not yet sent, Blobs still being read included. */
  readonly bufferedAmount: number;
  /** W3C `RTCDataChannel.bufferedAmountLowThreshold`, in bytes (default 0); bufferedamountlow fires at or below it. */
  bufferedAmountLowThreshold: number;
  /** W3C `RTCDataChannel.binaryType` (default 'arraybuffer'); another value is ignored. */
  binaryType: BinaryType;
  /** W3C `RTCDataChannel.onopen`. */
  onopen: ((this: RTCDataChannel, ev: Event) => any) | null;
  /** W3C `RTCDataChannel.onmessage`: ev.data is a string, an ArrayBuffer or a Blob (binaryType). */
  onmessage: ((this: RTCDataChannel, ev: MessageEvent) => any) | null;
  /** W3C `RTCDataChannel.onbufferedamountlow`. */
  onbufferedamountlow: ((this: RTCDataChannel, ev: Event) => any) | null;
  /** W3C `RTCDataChannel.onerror`: an RTCError 'data-channel-failure', also for a batched send that failed. */
  onerror: ((this: RTCDataChannel, ev: RTCErrorEvent) => any) | null;
  /** W3C `RTCDataChannel.onclosing`: the remote started closing the channel. */
  onclosing: ((this: RTCDataChannel, ev: Event) => any) | null;
  /** W3C `RTCDataChannel.onclose`. */
  onclose: ((this: RTCDataChannel, ev: Event) => any) | null;
  /**
   * W3C `RTCDataChannel.send()`; a Blob is sent once read, in order. Throws InvalidStateError unless
   * open, TypeError for another type or a message over the maximum message size (bytes: the remote's
   * max-message-size, else 65536), OperationError when bufferedAmount would pass 16 MiB.
   */
  send(data: string | Blob | ArrayBuffer | ArrayBufferView): void;
  /** W3C `RTCDataChannel.close()`: what was sent is still delivered; does nothing once closing. */
  close(): void;
}

/** W3C `RTCOfferOptions`. */
export interface RTCOfferOptions {
  /** W3C `RTCOfferOptions.iceRestart`: new ICE credentials (ignored before the first local description). */
  iceRestart?: boolean;
}

/** W3C `RTCStats`: the members of every stats dictionary. */
export interface RTCStats {
  /** W3C `RTCStats.id`: the key of this dictionary in the report. */
  id: string;
  /** W3C `RTCStats.type`: 'peer-connection', 'transport', 'sctp-transport'… */
  type: string;
  /** W3C `RTCStats.timestamp`: milliseconds since the epoch. */
  timestamp: number;
  /** The members of the dictionary's type (W3C webrtc-stats). */
  [key: string]: unknown;
}

/**
 * W3C `RTCSctpTransportStats`, the 'sctp-transport' entry (`report.get(id) as RTCSctpTransportStats` once its
 * `type` is known): the sending side of the data channels' SCTP association, one snapshot. Members without a W3C
 * name are ours; omnirtc_peer_get_stats in omnirtc.h says what each counts. Sizes in bytes, counters since the
 * association started.
 */
export interface RTCSctpTransportStats extends RTCStats {
  /** Always 'sctp-transport'. */
  type: 'sctp-transport';
  /** W3C: the id of the 'transport' entry the association runs over. */
  transportId: string;
  /** W3C, in seconds; 0 before a measurement. */
  smoothedRoundTripTime: number;
  /** W3C: the congestion window. */
  congestionWindow: number;
  /** W3C: the peer's receiver window. */
  receiverWindow: number;
  /** W3C: the path MTU. */
  mtu: number;
  /** W3C: DATA chunks sent and not yet acknowledged. */
  unackData: number;
  /** The slow start threshold: the peer's window until a loss is detected. */
  slowStartThreshold: number;
  /** User data bytes sent and not yet acknowledged. */
  bytesInFlight: number;
  /** Our own receiver window, as our SACKs advertise it. */
  localReceiverWindow: number;
  /** DATA chunks sent again, for any reason (tail-loss probes too). */
  retransmittedChunks: number;
  /** The user data bytes of those chunks. */
  retransmittedBytes: number;
  /** DATA chunks sent again by fast retransmission. */
  fastRetransmissions: number;
  /** T3-rtx timer expirations. */
  retransmissionTimeouts: number;
  /** DATA chunks RACK (RFC 8985) declared lost. */
  rackLostChunks: number;
}

/** W3C `RTCStatsReport`: stats dictionaries by id ('peer-connection', 'transport', 'candidate-pair', 'inbound-rtp'…). */
export type RTCStatsReport = Map<string, RTCStats>;

/**
 * W3C `RTCPeerConnection`. After close(), createOffer, createAnswer, setLocalDescription,
 * setRemoteDescription, addIceCandidate, setConfiguration, getStats, createDataChannel, addTrack,
 * addTransceiver, removeTrack and setTrackReceive throw (or reject with) InvalidStateError.
 */
export class RTCPeerConnection extends EventTarget {
  /** W3C `RTCPeerConnection` constructor; throws as RTCConfiguration says. */
  constructor(configuration?: RTCConfiguration);
  /**
   * W3C `RTCPeerConnection.generateCertificate()`; rejects with TypeError for a malformed algorithm,
   * NotSupportedError for one it cannot make (RSA: modulusLength 1024..4096, exponent 65537, SHA-256 only).
   */
  static generateCertificate(keygenAlgorithm: RTCKeygenAlgorithm): Promise<RTCCertificate>;
  /** W3C `RTCPeerConnection.localDescription`: the pending one, else the current one; null after close(). */
  readonly localDescription: RTCSessionDescription | null;
  /** W3C `RTCPeerConnection.currentLocalDescription`. */
  readonly currentLocalDescription: RTCSessionDescription | null;
  /** W3C `RTCPeerConnection.pendingLocalDescription`. */
  readonly pendingLocalDescription: RTCSessionDescription | null;
  /** W3C `RTCPeerConnection.remoteDescription`: the pending one, else the current one; null after close(). */
  readonly remoteDescription: RTCSessionDescription | null;
  /** W3C `RTCPeerConnection.currentRemoteDescription`. */
  readonly currentRemoteDescription: RTCSessionDescription | null;
  /** W3C `RTCPeerConnection.pendingRemoteDescription`. */
  readonly pendingRemoteDescription: RTCSessionDescription | null;
  /** W3C `RTCPeerConnection.signalingState`: current once a description call's promise resolves. */
  readonly signalingState: RTCSignalingState;
  /** W3C `RTCPeerConnection.iceGatheringState`. */
  readonly iceGatheringState: RTCIceGatheringState;
  /** W3C `RTCPeerConnection.iceConnectionState`. */
  readonly iceConnectionState: RTCIceConnectionState;
  /** W3C `RTCPeerConnection.connectionState`. */
  readonly connectionState: RTCPeerConnectionState;
  /** W3C `RTCPeerConnection.canTrickleIceCandidates`: null without a remote description, else always true here. */
  readonly canTrickleIceCandidates: boolean | null;
  /** null until an answer negotiated SCTP (an m=application section). */
  readonly sctp: RTCSctpTransport | null;
  /** W3C `RTCPeerConnection.onicecandidate`: each gathered candidate, then null when gathering completes. */
  onicecandidate: ((this: RTCPeerConnection, ev: RTCPeerConnectionIceEvent) => any) | null;
  /** W3C `RTCPeerConnection.onicegatheringstatechange`. */
  onicegatheringstatechange: ((this: RTCPeerConnection, ev: Event) => any) | null;
  /** W3C `RTCPeerConnection.oniceconnectionstatechange`. */
  oniceconnectionstatechange: ((this: RTCPeerConnection, ev: Event) => any) | null;
  /** W3C `RTCPeerConnection.onconnectionstatechange`. */
  onconnectionstatechange: ((this: RTCPeerConnection, ev: Event) => any) | null;
  /** W3C `RTCPeerConnection.onsignalingstatechange`: fired before the description call's promise resolves. */
  onsignalingstatechange: ((this: RTCPeerConnection, ev: Event) => any) | null;
  /** W3C `RTCPeerConnection.onnegotiationneeded`. */
  onnegotiationneeded: ((this: RTCPeerConnection, ev: Event) => any) | null;
  /** W3C `RTCPeerConnection.ondatachannel`: a channel the remote created, once it is open. */
  ondatachannel: ((this: RTCPeerConnection, ev: RTCDataChannelEvent) => any) | null;
  /** W3C `RTCPeerConnection.createOffer()`; rejects with InvalidStateError after close(). */
  createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit>;
  /** W3C `RTCPeerConnection.createAnswer()`; rejects with InvalidStateError without a remote offer or after close(). */
  createAnswer(): Promise<RTCSessionDescriptionInit>;
  /**
   * W3C `RTCPeerConnection.setLocalDescription()`; without a description (or type) it makes the offer or
   * answer the state calls for, without sdp it takes the last one created. Rejects with TypeError for an
   * unknown type, InvalidAccessError for SDP that does not parse, InvalidStateError in the wrong signaling state.
   */
  setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void>;
  /**
   * W3C `RTCPeerConnection.setRemoteDescription()`; an offer in 'have-local-offer' rolls the local one back.
   * Rejects with TypeError for an unknown type, a missing sdp, or candidates past the 100 a peer takes;
   * InvalidAccessError for SDP that does not parse (W3C: RTCError 'sdp-syntax-error') or media without
   * a=rtcp-mux; InvalidStateError in the wrong signaling state.
   */
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
  /**
   * W3C `RTCPeerConnection.addIceCandidate()`; none, null or candidate '' is end-of-candidates. Rejects with
   * TypeError without sdpMid and sdpMLineIndex or past 100 remote candidates, OperationError for a malformed
   * candidate or no such media section, InvalidStateError before a remote description.
   */
  addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void>;
  /** W3C `RTCPeerConnection.restartIce()`: the next offer restarts ICE (negotiationneeded follows); nothing after close(). */
  restartIce(): void;
  /** W3C `RTCPeerConnection.getConfiguration()`: as given, with the defaults; the last one after close(). */
  getConfiguration(): RTCConfiguration;
  /**
   * W3C `RTCPeerConnection.setConfiguration()`: iceServers and iceTransportPolicy may change (used from the
   * next gathering). Throws InvalidModificationError for another member that differs, NotSupportedError,
   * SyntaxError, InvalidAccessError or TypeError as the constructor, InvalidStateError after close().
   */
  setConfiguration(configuration?: RTCConfiguration): void;
  /** W3C `RTCPeerConnection.getStats()`; rejects with InvalidStateError after close(). */
  getStats(): Promise<RTCStatsReport>;
  /**
   * W3C `RTCPeerConnection.createDataChannel()`: label at most 65535 bytes. Throws TypeError without a
   * label or for an init it refuses (see RTCDataChannelInit), InvalidStateError after close() or once the
   * remote closed the peer.
   */
  createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel;
  /** W3C `RTCPeerConnection.close()`: its channels close (close events), remote tracks end (ended events), no state events; idempotent. */
  close(): void;
}

/** The version of the loaded libomnirtc. */
export function libraryVersion(): string;
/** Live handles, goroutines and sockets of the library, for leak checks. */
export function debugCounters(): {
  /** Live handles of the library by kind; peer and channel are always there. */
  handles: {
    /** Peer connection handles. */
    peer: number;
    /** Data channel handles. */
    channel: number;
  };
  /** The library's Go goroutines. */
  goroutines: number;
  /** The process's open socket descriptors (Linux; -1 elsewhere). */
  sockets: number;
  /** Peer connections not yet closed. */
  peers: number;
  /** Peer connection events queued in the library, not yet delivered or polled. */
  queuedEvents: number;
  /** Event batches of polled peers the library keeps until their next poll. */
  heldBatches: number;
  /** Log messages dropped because the log callback fell behind, since load. */
  logsDropped: number;
  /** Times a channel went from reading to paused (omnirtc_channel_set_paused). */
  channelPauses: number;
  /** Threads holding an omnirtc_last_error message. */
  errorMessages: number;
  /** The Go collector's pauses since load: [upper bound in seconds, count] per non-empty bucket. */
  gcPauses: [number, number][];
  /** The Go heap live at the last collection, in bytes. */
  heapBytes: number;
  /** The memory reserved for goroutine stacks, in bytes. */
  stackBytes: number;
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
/** OmniRTC: turns the engine's logging off, dropping the lines not yet delivered. */
export function setLogger(level: null): void;

// --- Media (lib/media.js, lib/mediafile.js): encoded media in and out -----------

/** OmniRTC: what an EncodedTrack sends; the constructor throws TypeError for a bad option. */
export interface EncodedTrackInit {
  /** MIME type or name: opus, pcmu, pcma, g722, vp8, vp9, h264, h265, av1 */
  codec: string;
  /** The track's id (default: generated). */
  id?: string;
  /** The media stream id it is sent under (default 'omnirtc'). */
  streamId?: string;
  /** 'sample' (default): writeSample frames; 'rtp': writeRtp packets */
  mode?: 'sample' | 'rtp';
  /** simulcast layers, sent with addTransceiver(track, {sendEncodings}) */
  rids?: string[];
}

/** A local track fed with encoded media (OmniRTC does not encode). */
export class EncodedTrack extends EventTarget {
  /** OmniRTC: a new track; throws TypeError without a codec or for a bad option, NotSupportedError for an unknown codec. */
  constructor(init: EncodedTrackInit);
  /** W3C `MediaStreamTrack.kind`, from the codec. */
  readonly kind: 'audio' | 'video';
  /** W3C `MediaStreamTrack.id`. */
  readonly id: string;
  /** OmniRTC: the MIME type of the codec it sends, 'video/VP8'… */
  readonly codec: string;
  /** W3C `MediaStreamTrack.readyState`: 'ended' after stop(). */
  readonly readyState: 'live' | 'ended';
  /**
   * One encoded frame (H264: an Annex-B access unit) lasting `duration` seconds; dropped before the track
   * is negotiated. Throws TypeError for empty data or an unknown rid, InvalidStateError for an 'rtp' track
   * or after stop().
   */
  writeSample(data: ArrayBuffer | ArrayBufferView, duration: number, rid?: string | null): void;
  /** One RTP packet; payload type and SSRC are rewritten to the negotiated ones. TypeError for malformed RTP, InvalidStateError for a 'sample' track or after stop(). */
  writeRtp(packet: ArrayBuffer | ArrayBufferView, rid?: string | null): void;
  /** W3C `MediaStreamTrack.stop()`: senders using it send nothing more; idempotent. */
  stop(): void;
}

/** W3C `RTCRtpCodecParameters`: a negotiated codec. */
export interface RtpCodec {
  /** W3C `RTCRtpCodecParameters.payloadType`. */
  payloadType: number;
  /** W3C `RTCRtpCodec.mimeType`: 'video/VP8'… */
  mimeType: string;
  /** W3C `RTCRtpCodec.clockRate`, in Hz. */
  clockRate: number;
  /** W3C `RTCRtpCodec.channels` (audio). */
  channels?: number;
  /** W3C `RTCRtpCodec.sdpFmtpLine`: the a=fmtp parameters. */
  sdpFmtpLine?: string;
}

/** OmniRTC: a RemoteTrack's 'frame' event, one reassembled encoded frame. */
export interface EncodedFrameEvent extends Event {
  /** The frame (H264: Annex-B). */
  readonly data: Uint8Array;
  /** RTP timestamp */
  readonly timestamp: number;
  /** Whether it decodes on its own (audio: always). */
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
export type TargetBitrateEvent = Event & {
  /** The target, in bits per second. */
  bitrate: number;
  /** 'gcc' (the peer's own estimate) or 'remb' (the remote receiver's REMB). */
  source: 'gcc' | 'remb';
  /** 'remb': the SSRCs of the streams the bitrate covers together; [] for 'gcc'. */
  ssrcs: number[];
  /** 'remb': the mids of the transceivers sending those streams; [] for 'gcc'. */
  mids: string[];
};

/** A track the remote peer sends; dispatches 'frame' (or 'rtp') and 'ended'. */
export class RemoteTrack extends EventTarget {
  /** W3C `MediaStreamTrack.kind`. */
  readonly kind: 'audio' | 'video';
  /** W3C `MediaStreamTrack.id`: the remote's track id. */
  readonly id: string;
  /** OmniRTC: the simulcast layer it carries, '' for none. */
  readonly rid: string;
  /** OmniRTC: the RTP stream's SSRC. */
  readonly ssrc: number;
  /** OmniRTC: the negotiated codec. */
  readonly codec: RtpCodec;
  /** W3C `MediaStreamTrack.readyState`: 'ended' once its ended event fired (its transceiver stopped, or the peer closed). */
  readonly readyState: 'live' | 'ended';
  /**
   * W3C `MediaStreamTrack.muted`: true from the track event (fired during setRemoteDescription) until the first
   * packet, and again while the remote does not send it (a later description); ssrc and codec are the received
   * ones once unmuted.
   */
  readonly muted: boolean;
  /** W3C `MediaStreamTrack.onmute`: the remote stopped sending the track (it does not end). */
  onmute: ((event: Event) => void) | null;
  /** W3C `MediaStreamTrack.onunmute`: the track's first packet arrived. */
  onunmute: ((event: Event) => void) | null;
  /** OmniRTC: each frame, in 'frames' receive mode (the default). */
  onframe: ((event: EncodedFrameEvent) => void) | null;
  /**
   * OmniRTC: each RTP packet after NACK/RTX repair, in 'rtp' receive mode; timestamp is the RTP timestamp;
   * spatialId, temporalId: its SVC layer as its VP9 payload descriptor or AV1 Dependency Descriptor says, null
   * when it says none; keyframe (its frame refers to no earlier one), switchPoint (a receiver of the lower layers
   * can switch up to its layer here): null when the packet has no descriptor.
   */
  onrtp: ((event: RtpPacketEvent) => void) | null;
  /** W3C `MediaStreamTrack.onended`. */
  onended: ((event: Event) => void) | null;
  /**
   * Non-standard: a DTMF tone the remote sent on this audio track (RFC 4733),
   * once per tone when it ends: tone ('0'-'9', 'A'-'D', '#', '*') and duration
   * in ms. Its packets are never 'frame' events.
   */
  ondtmf: ((event: Event & { tone: string; duration: number }) => void) | null;
  /**
   * OmniRTC: 'frames' (default), 'rtp' or 'none' (read and dropped), from the next packet on; a frame waits
   * for a missing packet up to maxLate packets (default 512) and maxDelayMs ms of media time (default 1000,
   * 50 without NACK). Throws TypeError for a bad option.
   */
  setReceiveMode(mode: 'frames' | 'rtp' | 'none', options?: { maxLate?: number; maxDelayMs?: number }): void;
  /** OmniRTC: asks the sender for a keyframe, a PLI or with {fir: true} a FIR; InvalidStateError for audio or a closed peer. */
  requestKeyframe(options?: { fir?: boolean }): void;
  /**
   * Sends a REMB (video, "remb" interceptor): the most the sender should send, in bits/s. Throws TypeError
   * for a non-integer or bitrate <= 0, InvalidStateError for audio, without goog-remb negotiated, or once ended.
   */
  requestBitrate(bitrate: number): void;
}

/** OmniRTC: a RemoteTrack's 'rtp' event: one received RTP packet and its SVC layer. */
export type RtpPacketEvent = Event & {
  /** The RTP packet, header included. */
  data: Uint8Array;
  /** Its RTP timestamp. */
  timestamp: number;
  /** Its spatial layer, as its VP9 payload descriptor or AV1 Dependency Descriptor says; null when it says none. */
  spatialId: number | null;
  /** Its temporal layer, as spatialId; null when the descriptor says none. */
  temporalId: number | null;
  /** Whether its frame refers to no earlier one; null when the packet has no descriptor. */
  keyframe: boolean | null;
  /** Whether a receiver of the lower layers can switch up to its layer at its frame; null when the packet has no descriptor. */
  switchPoint: boolean | null;
};

/** W3C `RTCRtpEncodingParameters`: one simulcast layer. */
export interface RTCRtpEncodingParameters {
  /** W3C `RTCRtpCodingParameters.rid`: one of the track's rids, in order. */
  rid?: string;
  /** W3C `RTCRtpEncodingParameters.active`: false drops what is written to this layer. */
  active?: boolean;
  /** W3C `RTCRtpEncodingParameters.maxBitrate`, in bits/s: kept for the application's encoder, not enforced. */
  maxBitrate?: number;
  /** W3C `RTCRtpEncodingParameters.scaleResolutionDownBy`, at least 1: kept for the application's encoder. */
  scaleResolutionDownBy?: number;
  /**
   * W3C webrtc-svc `scalabilityMode` ('L1T3', 'L3T3_KEY'…): kept for the application's encoder; one the codec
   * cannot send is an OperationError (VP9 and AV1 send every mode, VP8 and H.264 L1T1-L1T3).
   */
  scalabilityMode?: string;
}

/** webrtc-pc 5.2 RTCRtpCapabilities: what a peer with the default configuration offers. */
export interface RTCRtpCapabilities {
  /** W3C `RTCRtpCapabilities.codecs`, in preference order, 'video/rtx' once. */
  codecs: {
    /** W3C `RTCRtpCodec.mimeType`: 'video/VP8'… */
    mimeType: string;
    /** W3C `RTCRtpCodec.clockRate`, in Hz. */
    clockRate: number;
    /** W3C `RTCRtpCodec.channels`: absent unless the codec's a=rtpmap gives it (audio). */
    channels?: number;
    /** W3C `RTCRtpCodec.sdpFmtpLine`: the a=fmtp parameters, absent for none. */
    sdpFmtpLine?: string;
    /** W3C webrtc-svc: the scalability modes the codec can send, absent for none. */
    scalabilityModes?: string[];
  }[];
  /** W3C `RTCRtpCapabilities.headerExtensions`. */
  headerExtensions: {
    /** W3C `RTCRtpHeaderExtensionCapability.uri`: the extension's URI, as a=extmap gives it. */
    uri: string;
  }[];
}

/** W3C `RTCRtpSendParameters`, from getParameters(). */
export interface RTCRtpSendParameters {
  /** valid until the task that called getParameters() ends (webrtc-pc 5.2) */
  transactionId: string;
  /** W3C `RTCRtpSendParameters.encodings`: one per layer. */
  encodings: RTCRtpEncodingParameters[];
  /** W3C `RTCRtpParameters.codecs`: the negotiated codecs; setParameters cannot change them. */
  codecs: RtpCodec[];
  /** W3C `RTCRtpParameters.headerExtensions`: always [] here. */
  headerExtensions: {
    /** W3C `RTCRtpHeaderExtensionParameters.uri`. */
    uri: string;
    /** W3C `RTCRtpHeaderExtensionParameters.id`. */
    id: number;
  }[];
}

/** W3C `RTCIceRole`: 'unknown' until ICE starts. */
export type RTCIceRole = 'unknown' | 'controlling' | 'controlled';
/** W3C `RTCIceTransportState`: here the peer's iceConnectionState (one ICE transport, bundled). */
export type RTCIceTransportState = RTCIceConnectionState;
/** W3C `RTCDtlsTransportState`: 'closed' by the remote's close_notify, 'failed' (final) when the handshake failed. */
export type RTCDtlsTransportState = 'new' | 'connecting' | 'connected' | 'closed' | 'failed';
/** W3C `RTCSctpTransportState`. */
export type RTCSctpTransportState = 'connecting' | 'connected' | 'closed';

/** W3C `RTCIceCandidatePair`. */
export interface RTCIceCandidatePair {
  /** W3C `RTCIceCandidatePair.local`. */
  local: RTCIceCandidate;
  /** W3C `RTCIceCandidatePair.remote`. */
  remote: RTCIceCandidate;
}

/** webrtc-pc 5.6; one for everything (bundle). */
export class RTCIceTransport extends EventTarget {
  private constructor();
  /** W3C `RTCIceTransport.role`. */
  readonly role: RTCIceRole;
  /** W3C `RTCIceTransport.component`: always 'rtp' (RTCP is multiplexed). */
  readonly component: 'rtp';
  /** W3C `RTCIceTransport.state`. */
  readonly state: RTCIceTransportState;
  /** W3C `RTCIceTransport.gatheringState`. */
  readonly gatheringState: RTCIceGatheringState;
  /** W3C `RTCIceTransport.getSelectedCandidatePair()`: the pair ICE sends on, or null. */
  getSelectedCandidatePair(): RTCIceCandidatePair | null;
  /** The candidates gathered and sent in icecandidate. */
  getLocalCandidates(): RTCIceCandidate[];
  /** The remote's candidates: its description's and those addIceCandidate added. */
  getRemoteCandidates(): RTCIceCandidate[];
  /** W3C `RTCIceTransport.onstatechange`: fired just before the peer's iceconnectionstatechange. */
  onstatechange: ((this: RTCIceTransport, ev: Event) => any) | null;
  /** W3C `RTCIceTransport.ongatheringstatechange`: fired just before the peer's icegatheringstatechange. */
  ongatheringstatechange: ((this: RTCIceTransport, ev: Event) => any) | null;
  /** W3C `RTCIceTransport.onselectedcandidatepairchange`. */
  onselectedcandidatepairchange: ((this: RTCIceTransport, ev: Event) => any) | null;
}

/** W3C `RTCDtlsTransport` (webrtc-pc 5.5); one for everything (bundle). */
export class RTCDtlsTransport extends EventTarget {
  private constructor();
  /** W3C `RTCDtlsTransport.iceTransport`. */
  readonly iceTransport: RTCIceTransport;
  /** W3C `RTCDtlsTransport.state`. */
  readonly state: RTCDtlsTransportState;
  /** The remote's certificate chain, DER. */
  getRemoteCertificates(): ArrayBuffer[];
  /** W3C `RTCDtlsTransport.onstatechange`. */
  onstatechange: ((this: RTCDtlsTransport, ev: Event) => any) | null;
  /** W3C `RTCDtlsTransport.onerror`: never fired here; a failed handshake is state 'failed'. */
  onerror: ((this: RTCDtlsTransport, ev: Event) => any) | null;
}

/** webrtc-pc 6.1.1. */
export class RTCSctpTransport extends EventTarget {
  private constructor();
  /** W3C `RTCSctpTransport.transport`. */
  readonly transport: RTCDtlsTransport;
  /** W3C `RTCSctpTransport.state`. */
  readonly state: RTCSctpTransportState;
  /** W3C `RTCSctpTransport.maxMessageSize`, in bytes: the largest message a channel may send. */
  readonly maxMessageSize: number;
  /** null until the SCTP association is connected. */
  readonly maxChannels: number | null;
  /** W3C `RTCSctpTransport.onstatechange`. */
  onstatechange: ((this: RTCSctpTransport, ev: Event) => any) | null;
}

/** W3C `RTCDTMFToneChangeEvent` (webrtc-pc 7): an RTCDTMFSender's tonechange event. */
export class RTCDTMFToneChangeEvent extends Event {
  /** W3C `RTCDTMFToneChangeEvent` constructor (tone default ''). */
  constructor(type: string, init?: { tone?: string; bubbles?: boolean; cancelable?: boolean });
  /** W3C `RTCDTMFToneChangeEvent.tone`: the tone starting, '' when the buffer ran empty. */
  readonly tone: string;
}

/** webrtc-pc 7.2: DTMF as RFC 4733 telephone-events on an audio sender. */
export class RTCDTMFSender extends EventTarget {
  private constructor();
  /**
   * Replaces the tone buffer; duration clamped to 40..6000 ms, interToneGap to 30..6000 ms; ',' pauses 2 s.
   * Throws TypeError without tones, InvalidStateError when canInsertDTMF is false, InvalidCharacterError for
   * a character other than 0-9, A-D, #, * and ','.
   */
  insertDTMF(tones: string, duration?: number, interToneGap?: number): void;
  /** W3C `RTCDTMFSender.canInsertDTMF`: false without a track, a sending direction or the remote's telephone-event. */
  readonly canInsertDTMF: boolean;
  /** W3C `RTCDTMFSender.toneBuffer`: the tones not yet started. */
  readonly toneBuffer: string;
  /** Fires as each tone starts, and with tone '' when the buffer has run empty. */
  ontonechange: ((this: RTCDTMFSender, ev: RTCDTMFToneChangeEvent) => any) | null;
}

/** W3C `RTCRtpSender`. */
export class RTCRtpSender extends EventTarget {
  /** W3C `RTCRtpSender.getCapabilities()`: null for a kind other than 'audio' and 'video'. */
  static getCapabilities(kind: string): RTCRtpCapabilities | null;
  /** W3C `RTCRtpSender.track`. */
  readonly track: EncodedTrack | null;
  /** null for a video sender. */
  readonly dtmf: RTCDTMFSender | null;
  /** null until negotiated. */
  readonly transport: RTCDtlsTransport | null;
  /**
   * W3C `RTCRtpSender.replaceTrack()`, without renegotiation; null stops sending. Rejects with TypeError for
   * a track of the other kind, NotSupportedError for a simulcast track, InvalidStateError when stopped or closed.
   */
  replaceTrack(track: EncodedTrack | null): Promise<void>;
  /** W3C `RTCRtpSender.getParameters()`. */
  getParameters(): RTCRtpSendParameters;
  /**
   * Changes each encoding's active, maxBitrate, scaleResolutionDownBy and scalabilityMode; encodings cannot be
   * added, removed or renamed. Rejects with InvalidStateError without a getParameters() in the same task,
   * InvalidModificationError for another transactionId, changed codecs or encodings, RangeError for
   * scaleResolutionDownBy below 1, OperationError for a scalabilityMode the codec cannot send.
   */
  setParameters(parameters: RTCRtpSendParameters): Promise<void>;
  /** 'keyframerequest' events carry request ('pli' | 'fir') and rid. */
  onkeyframerequest: ((event: Event & { request: 'pli' | 'fir'; rid: string }) => void) | null;
}

/** W3C `RTCRtpReceiver`. */
export class RTCRtpReceiver {
  /** W3C `RTCRtpReceiver.getCapabilities()`: null for a kind other than 'audio' and 'video'. */
  static getCapabilities(kind: string): RTCRtpCapabilities | null;
  /** W3C `RTCRtpReceiver.track`, but null until the remote's first track on it arrives (W3C: never null). */
  readonly track: RemoteTrack | null;
  /** null until negotiated. */
  readonly transport: RTCDtlsTransport | null;
}

/** W3C `RTCRtpTransceiver`. */
export class RTCRtpTransceiver {
  /** W3C `RTCRtpTransceiver.mid`: null until negotiated. */
  readonly mid: string | null;
  /**
   * W3C `RTCRtpTransceiver.direction`: a change fires negotiationneeded; another value is ignored;
   * InvalidStateError when stopped or the peer closed.
   */
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  /** W3C `RTCRtpTransceiver.currentDirection`: as the last completed offer/answer negotiated it, null before. */
  readonly currentDirection: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' | null;
  /** W3C `RTCRtpTransceiver.sender`. */
  readonly sender: RTCRtpSender;
  /** W3C `RTCRtpTransceiver.receiver`. */
  readonly receiver: RTCRtpReceiver;
  /**
   * W3C `RTCRtpTransceiver.setCodecPreferences()`: only these, in order, from the next offer or answer; []
   * restores the defaults. TypeError for an unknown codec or one of the other kind (W3C: InvalidModificationError).
   */
  setCodecPreferences(codecs: { mimeType: string; sdpFmtpLine?: string }[]): void;
  /** W3C `RTCRtpTransceiver.stop()`. */
  stop(): void;
}

/** W3C `RTCTrackEvent`: the track event. */
export class RTCTrackEvent extends Event {
  /** W3C `RTCTrackEvent.track`: here a RemoteTrack of encoded media. */
  readonly track: RemoteTrack;
  /** W3C `RTCTrackEvent.receiver`. */
  readonly receiver: RTCRtpReceiver;
  /** W3C `RTCTrackEvent.transceiver`. */
  readonly transceiver: RTCRtpTransceiver;
  /** W3C `RTCTrackEvent.streams`: the remote's streams of the track (its a=msid). */
  readonly streams: MediaStream[];
}

/** W3C `MediaStreamTrackEvent`: addtrack and removetrack of a MediaStream. */
export class MediaStreamTrackEvent extends Event {
  /** W3C `MediaStreamTrackEvent.track`. */
  readonly track: RemoteTrack;
}

/**
 * W3C `MediaStream`: a remote stream (RTCTrackEvent.streams), whose tracks follow the remote descriptions: a track
 * the remote stops sending leaves it (removetrack), one it sends again comes back (addtrack).
 */
export class MediaStream extends EventTarget {
  /** W3C `MediaStream()`: an empty stream, its id a new UUID unless given. */
  constructor(id?: string);
  /** W3C `MediaStream.id`. */
  readonly id: string;
  /** W3C `MediaStream.active`: a track of it is live. */
  readonly active: boolean;
  /** W3C `MediaStream.getTracks()`. */
  getTracks(): RemoteTrack[];
  /** W3C `MediaStream.getAudioTracks()`. */
  getAudioTracks(): RemoteTrack[];
  /** W3C `MediaStream.getVideoTracks()`. */
  getVideoTracks(): RemoteTrack[];
  /** W3C `MediaStream.getTrackById()`. */
  getTrackById(id: string): RemoteTrack | null;
  /** W3C `MediaStream.addTrack()` (no event, as in W3C). */
  addTrack(track: RemoteTrack): void;
  /** W3C `MediaStream.removeTrack()` (no event, as in W3C). */
  removeTrack(track: RemoteTrack): void;
  /** W3C `MediaStream.onaddtrack`: the remote added a track to the stream. */
  onaddtrack: ((event: MediaStreamTrackEvent) => void) | null;
  /** W3C `MediaStream.onremovetrack`: the remote removed a track from it. */
  onremovetrack: ((event: MediaStreamTrackEvent) => void) | null;
}

/** W3C `RTCPeerConnection`'s media members (lib/media.js). */
export interface RTCPeerConnection {
  /**
   * W3C `RTCPeerConnection.addTrack()`; negotiationneeded follows. Throws TypeError for anything but an
   * EncodedTrack, OperationError (W3C: InvalidAccessError) when a sender already carries it.
   */
  addTrack(track: EncodedTrack): RTCRtpSender;
  /**
   * W3C `RTCPeerConnection.addTransceiver()`; several sendEncodings send simulcast, their rids the track's.
   * Throws TypeError for another kind, a kind that does not match the track, or a bad init.
   */
  addTransceiver(trackOrKind: EncodedTrack | 'audio' | 'video',
    init?: { direction?: RTCRtpTransceiver['direction']; sendEncodings?: RTCRtpEncodingParameters[] }): RTCRtpTransceiver;
  /** W3C `RTCPeerConnection.removeTrack()`. */
  removeTrack(sender: RTCRtpSender): void;
  /** W3C `RTCPeerConnection.getTransceivers()`. */
  getTransceivers(): RTCRtpTransceiver[];
  /** W3C `RTCPeerConnection.getSenders()`. */
  getSenders(): RTCRtpSender[];
  /** W3C `RTCPeerConnection.getReceivers()`. */
  getReceivers(): RTCRtpReceiver[];
  /** How remote tracks arriving from now on deliver (applied from their first packet). */
  setTrackReceive(options: { mode: 'frames' | 'rtp' | 'none'; maxLate?: number; maxDelayMs?: number }): void;
  /**
   * W3C `RTCPeerConnection.ontrack`: fired while setRemoteDescription runs, before its promise resolves, for each
   * track the description announces (muted until its first packet): a listener added later misses it, as in browsers.
   */
  ontrack: ((event: RTCTrackEvent) => void) | null;
  /** With the "gcc" or "remb" interceptor: a new send bitrate target. */
  ontargetbitrate: ((event: TargetBitrateEvent) => void) | null;
}

/** Reads an IVF (VP8/VP9/AV1), Ogg/Opus or H264 Annex-B file frame by frame. */
export class MediaReader implements Iterable<{
  /** The frame (H264: an Annex-B access unit with 4-byte start codes; Ogg: one Opus packet). */
  data: Uint8Array;
  /** Its duration (until the next frame), in seconds. */
  duration: number;
  /** Whether it decodes on its own (Ogg: always). */
  keyframe: boolean;
}> {
  /**
   * OmniRTC: opens the file; format by default from the extension, fps (H264) the frame rate. Throws
   * OperationError when it cannot be opened, TypeError when it is not such a file, NotSupportedError for the format.
   */
  constructor(path: string, options?: { format?: 'ivf' | 'ogg' | 'h264'; fps?: number });
  /** OmniRTC: format, codec (a MIME type for EncodedTrack), width, height, frameCount, channels, sampleRate (Hz). */
  readonly info: {
    /** The file's format: 'ivf', 'ogg' or 'h264'. */
    format: string;
    /** Its codec, a MIME type for EncodedTrack: 'video/VP8', 'video/VP9', 'video/AV1', 'video/H264' or 'audio/opus'. */
    codec: string;
    /** IVF: the frame width in pixels, from the header; absent when 0. */
    width?: number;
    /** IVF: the frame height in pixels, from the header; absent when 0. */
    height?: number;
    /** IVF: the number of frames its header gives; absent when 0. */
    frameCount?: number;
    /** Ogg: the channel count, from OpusHead. */
    channels?: number;
    /** Ogg: the input sample rate from OpusHead, in Hz. */
    sampleRate?: number;
  };
  /** OmniRTC: the next frame, duration in seconds, or null at the end; TypeError for a corrupt file. */
  read(): {
    /** The frame (H264: an Annex-B access unit with 4-byte start codes; Ogg: one Opus packet). */
    data: Uint8Array;
    /** Its duration (until the next frame), in seconds. */
    duration: number;
    /** Whether it decodes on its own (Ogg: always). */
    keyframe: boolean;
  } | null;
  /** The frames from here to the end, as read() gives them. */
  [Symbol.iterator](): Iterator<{
    /** The frame (H264: an Annex-B access unit with 4-byte start codes; Ogg: one Opus packet). */
    data: Uint8Array;
    /** Its duration (until the next frame), in seconds. */
    duration: number;
    /** Whether it decodes on its own (Ogg: always). */
    keyframe: boolean;
  }>;
  /** OmniRTC: closes the file; idempotent. */
  close(): void;
}

/** Records RTP packets into an IVF, Ogg or H264 file. */
export class MediaWriter {
  /**
   * OmniRTC: creates (or truncates) the file; codec, width and height for IVF, sampleRate (Hz) and channels
   * for Ogg. Throws OperationError when it cannot be created, TypeError for a bad option.
   */
  constructor(path: string, options?: { format?: string; codec?: string; width?: number; height?: number;
    sampleRate?: number; channels?: number });
  /** OmniRTC: records one RTP packet (from a RemoteTrack's 'rtp' event); TypeError for malformed RTP, OperationError if the write failed. */
  writeRtp(packet: Uint8Array): void;
  /** OmniRTC: finishes and closes the file; idempotent. */
  close(): void;
}

/** The configuration of a built-in TURN/STUN server (see omnirtc.h, omnirtc_turn_server_start). */
export interface TurnServerConfig {
  /** At least one; port 0 picks a free port (stats().listeners has it); 'tls' needs certificate and privateKey (PEM). */
  listeners: {
    /** The transport clients use: 'udp', 'tcp' or 'tls' (TLS over TCP). */
    transport: 'udp' | 'tcp' | 'tls';
    /** Where to listen, 'ip:port'; port 0 picks a free port. */
    address: string;
    /** 'tls' only: the certificate chain, PEM. */
    certificate?: string;
    /** 'tls' only: the certificate's private key, PEM. */
    privateKey?: string;
  }[];
  /** The long-term credential realm (default 'omnirtc'). */
  realm?: string;
  /** address: the relay IP peers reach; bindAddress the local IP (default address); ports default 49152..65535. */
  relay: {
    /** Required: the IP put in relayed addresses, the server's address as peers reach it. */
    address: string;
    /** The local IP relay sockets bind to (default address). */
    bindAddress?: string;
    /** The lowest relay port (default 49152; 0 is an error). */
    minPort?: number;
    /** The highest relay port (default 65535; 0 is an error). */
    maxPort?: number;
  };
  /** Static long-term credentials: password by username. */
  users?: Record<string, string>;
  /** The secret of coturn-style time-limited REST credentials (see TurnServer.restCredential). */
  sharedSecret?: string;
  /** The most allocations a user holds at once (default 0: no limit); over it, 486 Allocation Quota Reached. */
  userQuota?: number;
  /** The lifetime of an unrefreshed allocation, in seconds, 1..3600 (default 600). */
  allocationLifetimeSec?: number;
}

/** OmniRTC: a TurnServer's counters, from stats(). */
export interface TurnServerStats {
  /** Allocations now. */
  allocations: number;
  /** Allocations since the start. */
  allocationsCreated: number;
  /** bytesToPeers + bytesFromPeers. */
  bytesRelayed: number;
  /** Payload bytes sent to peers from relay sockets. */
  bytesToPeers: number;
  /** Payload bytes received from peers on relay sockets. */
  bytesFromPeers: number;
  /** Requests refused for their credentials. */
  authFailures: number;
  /** Allocations refused by userQuota. */
  quotaRejections: number;
  /** Events lost because the main thread fell more than 4096 behind. */
  eventsDropped: number;
  /** The listeners' actual addresses (a port 0 resolved). */
  listeners: {
    /** The listener's transport, as configured. */
    transport: 'udp' | 'tcp' | 'tls';
    /** The address it listens on, 'ip:port', the port picked when 0 was asked. */
    address: string;
  }[];
}

/** OmniRTC: a TurnServer's allocationcreated and allocationdeleted events. */
export class TurnAllocationEvent extends Event {
  /** The client's TURN username. */
  readonly username: string;
  /** The realm it authenticated in. */
  readonly realm: string;
  /** The client's address. */
  readonly clientAddress: string;
  /** '' for allocationdeleted */
  readonly relayAddress: string;
  /** The client's transport: 'UDP' or 'TCP'. */
  readonly protocol: string;
}

/** A built-in TURN/STUN server; it keeps the process alive until closed. */
export class TurnServer extends EventTarget {
  /**
   * auth: password of a user neither static nor REST, or null to refuse; synchronous (library thread waits ≤ 2 s).
   * Throws TypeError for a bad config (the message names the key) or auth, OperationError when a listener
   * cannot be opened (the address is in use).
   */
  constructor(config: TurnServerConfig | string,
    options?: { auth?: (username: string, realm: string, clientAddress: string) => string | null });
  /** OmniRTC: a client got an allocation. */
  onallocationcreated: ((this: TurnServer, ev: TurnAllocationEvent) => any) | null;
  /** OmniRTC: an allocation ended (expired, deleted by its client, or by close()). */
  onallocationdeleted: ((this: TurnServer, ev: TurnAllocationEvent) => any) | null;
  /** OmniRTC: the server has stopped; the last event. */
  onclose: ((this: TurnServer, ev: Event) => any) | null;
  /** OmniRTC: the counters now; InvalidStateError once closed. */
  stats(): TurnServerStats;
  /** OmniRTC: stops the server; resolves once its close event was dispatched. Idempotent. */
  close(): Promise<void>;
  /** A coturn-style time-limited credential for sharedSecret. */
  static restCredential(secret: string, user: string, ttlSeconds?: number): {
    /** '<expiry>:<user>', the expiry in Unix seconds: now + ttlSeconds (default 86400). */
    username: string;
    /** The password: base64(HMAC-SHA1(secret, username)). */
    credential: string;
  };
}

/** The configuration of a WhipServer (see omnirtc.h, omnirtc_whip_server_start). */
export interface WhipServerConfig {
  /** Where to listen (default '127.0.0.1:0'; port 0 picks one, see WhipServer.url). */
  address?: string;
  /** The bearer token every request must carry (none if absent: no authentication). */
  token?: string;
  /** ICE servers announced to clients in Link headers. */
  iceServers?: RTCIceServer[];
  /** How long an offer waits for answer() or reject() before the client gets 503, in ms, 0..300000 (default 10000). */
  answerTimeoutMs?: number;
}

/** OmniRTC: a failed WHIP or WHEP request. */
export class WhipError extends Error {
  /** The HTTP status (401, 403, 404, 503...), 0 when no response came. */
  readonly status: number;
}

/** OmniRTC: a WHIP or WHEP client session, from whipPublish or whepPlay; it closes its peer connection when it ends. */
export class WhipSession extends EventTarget {
  /** The peer connection the session runs on. */
  readonly pc: RTCPeerConnection;
  /** The session's resource URL on the server. */
  readonly resource: string;
  /** Resolves once the answer is applied; rejects with a WhipError. */
  readonly connected: Promise<void>;
  /** OmniRTC: a later request (an ICE restart nobody awaits) failed: the event's error is a WhipError. */
  onerror: ((this: WhipSession, ev: Event & { error: WhipError }) => any) | null;
  /** OmniRTC: the session has ended; the last event. */
  onclose: ((this: WhipSession, ev: Event) => any) | null;
  /** OmniRTC: restarts ICE through a PATCH of the resource; resolves once negotiated, rejects with a WhipError. */
  restartIce(): Promise<void>;
  /** OmniRTC: ends the session (DELETE) and closes its peer connection; resolves at its close event. Idempotent. */
  close(): Promise<void>;
}

/** The options of whipPublish and whepPlay (see omnirtc.h, omnirtc_whip_client_start_with_options). */
export interface WhipClientOptions {
  /** The bearer token sent with every request (none if absent or ''). */
  token?: string;
  /**
   * Send the offer before ICE gathering is complete, the later candidates following in PATCH requests
   * (application/trickle-ice-sdpfrag) when the server's answer carries an ETag (default false: wait for gathering).
   */
  trickle?: boolean;
}

/** OmniRTC: publishes pc's tracks to a WHIP endpoint; a refusal rejects with a WhipError and closes pc. */
export function whipPublish(url: string, pc: RTCPeerConnection, options?: WhipClientOptions): Promise<WhipSession>;
/** OmniRTC: plays a WHEP endpoint into pc (receive-only audio and video added when pc has no transceiver). */
export function whepPlay(url: string, pc: RTCPeerConnection, options?: WhipClientOptions): Promise<WhipSession>;

/** OmniRTC: a WhipServer's session (an offer waiting) and sessionended events. */
export class WhipSessionEvent extends Event {
  /** The session's id, from 1. */
  readonly session: number;
  /** session: the request path, which names the endpoint ('/whip', '/whep/room'). */
  readonly path: string;
  /** session: the offer's SDP. */
  readonly sdp: string;
  /** sessionended: 'deleted', 'refused', 'timeout', 'failed' or 'closed'. */
  readonly reason: string;
}

/** OmniRTC: a WHIP and WHEP server; it keeps the process alive until closed. */
export class WhipServer extends EventTarget {
  /** Throws TypeError for a bad config (the message names the key), OperationError when the address cannot be listened on. */
  constructor(config?: WhipServerConfig | string);
  /** The base URL, 'http://ip:port'. */
  readonly url: string;
  /** OmniRTC: an offer waits for answer() or reject(). */
  onsession: ((this: WhipServer, ev: WhipSessionEvent) => any) | null;
  /** OmniRTC: a session ended; its peer connection was closed. */
  onsessionended: ((this: WhipServer, ev: WhipSessionEvent) => any) | null;
  /** OmniRTC: the server has stopped; the last event. */
  onclose: ((this: WhipServer, ev: Event) => any) | null;
  /** OmniRTC: answers a session with pc (its remote description is the offer unless already set); the server closes pc when the session ends. */
  answer(session: number, pc: RTCPeerConnection): void;
  /** OmniRTC: refuses a session with an HTTP status (400 to 599, default 403) and a reason. */
  reject(session: number, status?: number, reason?: string): void;
  /** OmniRTC: stops the server, ending its sessions; resolves once its close event was dispatched. Idempotent. */
  close(): Promise<void>;
}

/** OmniRTC: the layer a Forwarder subscriber receives. */
export interface ForwarderLayer {
  /** The simulcast layer; null (or absent): for a transceiver, the first layer whose keyframe comes, kept until set otherwise. */
  rid?: string | null;
  /** The highest temporal layer, 0 to 7, or Forwarder.ALL_TEMPORAL (the default). */
  temporal?: number;
  /** The highest spatial layer of an SVC stream (VP9, AV1 with the dependency descriptor), 0 to 7, or Forwarder.ALL_SPATIAL (the default). */
  spatial?: number;
}

/** OmniRTC: the layer a subscriber receives now (Forwarder.getLayer). */
export interface ForwarderLayerState {
  /** The simulcast layer ('' for a single track). */
  rid: string;
  /** The highest temporal layer forwarded, -1 for all. */
  temporal: number;
  /** The highest spatial layer forwarded, -1 for all. */
  spatial: number;
  /** Whether a packet was forwarded; until then the fields are the layer asked for. */
  started: boolean;
  /** Whether the layer is chosen from the subscriber's bandwidth (Forwarder.setAuto). */
  auto: boolean;
  /** The layer the subscriber switches to, or receives: the one chosen, or the one set. */
  target: {
    /** The simulcast layer ('' for a single track). */
    rid: string;
    /** The highest temporal layer, -1 for all. */
    temporal: number;
    /** The highest spatial layer, -1 for all. */
    spatial: number;
  };
  /** The latest estimated available bitrate of the peer sending the track, in bits per second; 0 before the first. */
  estimate: number;
}

/**
 * OmniRTC: forwards what a RemoteTrack, or every simulcast layer of an RTCRtpTransceiver, receives to subscribers:
 * EncodedTracks of mode 'rtp' sent on other peers. Each subscriber sees one continuous stream (sequence numbers,
 * timestamps, VP8 and VP9 picture ids) and switches layers only where it can decode: a new rid or a higher spatial
 * layer (VP9 SVC, AV1 with the dependency descriptor) at the next keyframe (asked for with a PLI), a temporal or
 * spatial layer down at once, a temporal layer up at a switch point. A subscriber's keyframe request goes upstream
 * for its layer. Call close() when done.
 */
export class Forwarder {
  /** Selects every temporal layer. */
  static readonly ALL_TEMPORAL: number;
  /** Selects every spatial layer. */
  static readonly ALL_SPATIAL: number;
  /** Starts forwarding source; InvalidStateError if it is forwarded already. */
  constructor(source: RemoteTrack | RTCRtpTransceiver);
  /** Forwards to track (an EncodedTrack of mode 'rtp' and the source's codec) the layer, from its next keyframe; TypeError for a 'sample' track, another codec, an unknown rid or a layer out of range, InvalidStateError if it is a subscriber already. */
  addSubscriber(track: EncodedTrack, layer?: ForwarderLayer): void;
  /** Chooses the layer track receives; it switches at the next point that allows it. */
  setLayer(track: EncodedTrack, layer?: ForwarderLayer): void;
  /** Stops forwarding to track; TypeError if it is no subscriber. */
  removeSubscriber(track: EncodedTrack): void;
  /**
   * Chooses track's layer from the bandwidth estimate of the peer sending it (the 'gcc' interceptor's, or its
   * receiver's REMB), never above the layer set, with hysteresis; false: back to the layer set.
   */
  setAuto(track: EncodedTrack, enabled: boolean): void;
  /** The layer track receives now. */
  getLayer(track: EncodedTrack): ForwarderLayerState;
  /** Stops forwarding; the subscriber tracks stay open. Idempotent. */
  close(): void;
}
