'use strict';
// RTCIceTransport (webrtc-pc 5.6), RTCDtlsTransport (5.5) and RTCSctpTransport
// (6.1.1). Their state is the library's (omnirtc_peer_get_transports), read
// when asked; while a state event is dispatched, the state it reports; after
// close(), "closed". One ICE and one DTLS transport carry everything (bundle).
const native = require('./native');
const { defineEventHandlers } = require('./events');
const { RTCIceCandidate } = require('./rtcicecandidate');
const { C, stateNames } = require('./constants');

const DTLS = stateNames('DTLS_TRANSPORT_');
const SCTP = stateNames('SCTP_TRANSPORT_');

function candidate(line) { return new RTCIceCandidate({ candidate: line, sdpMLineIndex: 0 }); }

class RTCIceTransport extends EventTarget {
  #peer;
  constructor(peer) { super(); this.#peer = peer; }
  get role() { return this.#peer.read('ice', 'role'); }
  get component() { return 'rtp'; }
  get state() { return this.#peer.read('ice', 'state'); }
  get gatheringState() { return this.#peer.read('ice', 'gatheringState'); }
  /** The pair ICE sends on: {local, remote} RTCIceCandidates, or null. */
  getSelectedCandidatePair() {
    const pair = this.#peer.read('ice', 'selectedPair');
    return pair ? { local: candidate(pair.local), remote: candidate(pair.remote) } : null;
  }
  /** The candidates gathered and sent in icecandidate, as RTCIceCandidates (5.6). */
  getLocalCandidates() { return this.#peer.read('ice', 'localCandidates').map(candidate); }
  /** The remote's candidates, from its description and addIceCandidate (5.6). */
  getRemoteCandidates() { return this.#peer.read('ice', 'remoteCandidates').map(candidate); }
}
defineEventHandlers(RTCIceTransport, ['statechange', 'gatheringstatechange', 'selectedcandidatepairchange']);

class RTCDtlsTransport extends EventTarget {
  #peer;
  constructor(peer, iceTransport) {
    super();
    this.#peer = peer;
    this.iceTransport = iceTransport;
  }
  get state() { return this.#peer.read('dtls', 'state'); }
  /** The remote's certificate chain, DER, as ArrayBuffers (empty before the handshake). */
  getRemoteCertificates() {
    return this.#peer.read('dtls', 'remoteCertificates').map((b64) => {
      const der = Buffer.from(b64, 'base64');
      return der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength);
    });
  }
}
defineEventHandlers(RTCDtlsTransport, ['statechange', 'error']);

class RTCSctpTransport extends EventTarget {
  #peer;
  constructor(peer, transport) {
    super();
    this.#peer = peer;
    this.transport = transport;
  }
  get state() { return this.#peer.read('sctp', 'state'); }
  get maxMessageSize() { return this.#peer.read('sctp', 'maxMessageSize'); }
  get maxChannels() { return this.#peer.read('sctp', 'maxChannels'); }
}
defineEventHandlers(RTCSctpTransport, ['statechange']);

/** A peer connection's transports; lib/rtcpeerconnection.js delegates here. */
class PeerTransports {
  #handle = null;
  #info = null; // after close(): the last state, with every transport closed
  #shown = { ice: {}, dtls: {}, sctp: {} }; // states reported by the event being dispatched
  #sctp = null;
  #negotiated = new WeakSet(); // transceivers that had a mid

  constructor() {
    this.ice = new RTCIceTransport(this);
    this.dtls = new RTCDtlsTransport(this, this.ice);
  }

  attach(handle) { this.#handle = handle; }

  #current() { return this.#info ?? JSON.parse(native.getTransports(this.#handle)); }

  read(transport, key) {
    const shown = this.#shown[transport][key];
    if (shown !== undefined) return shown;
    return this.#current()[transport][key];
  }

  /** pc.sctp: null until an answer negotiated SCTP, then always the same object. */
  get sctp() {
    if (!this.#sctp && this.#current().sctp) this.#sctp = new RTCSctpTransport(this, this.dtls);
    return this.#sctp;
  }

  /** sender.transport and receiver.transport: the DTLS transport once the transceiver has a mid. */
  of(transceiver) {
    if (!this.#negotiated.has(transceiver) && !this.#info && transceiver.mid !== null) this.#negotiated.add(transceiver);
    return this.#negotiated.has(transceiver) ? this.dtls : null;
  }

  #dispatch(target, transport, key, value, type, event = new Event(type)) {
    const shown = this.#shown[transport];
    const previous = shown[key];
    shown[key] = value;
    try {
      target.dispatchEvent(event);
    } finally {
      shown[key] = previous;
    }
  }

  /** Fires the ICE transport's event for the peer's ICE state event: the same change, transport first (5.6). */
  beforePeerState(type, name) {
    if (type === C.EVENT_ICE_CONNECTION_STATE) this.#dispatch(this.ice, 'ice', 'state', name, 'statechange');
    else if (type === C.EVENT_ICE_GATHERING_STATE) {
      this.#dispatch(this.ice, 'ice', 'gatheringState', name, 'gatheringstatechange');
    }
  }

  /** Handles TRANSPORT_STATE and SELECTED_CANDIDATE_PAIR; false for any other event. */
  onEvent(type, fields) {
    if (type === C.EVENT_SELECTED_CANDIDATE_PAIR) {
      this.#dispatch(this.ice, 'ice', 'selectedPair', { local: fields.local, remote: fields.remote },
        'selectedcandidatepairchange');
    } else if (type === C.EVENT_TRANSPORT_STATE) {
      if (fields.transport === C.TRANSPORT_DTLS) this.#dispatch(this.dtls, 'dtls', 'state', DTLS[fields.value], 'statechange');
      else if (this.sctp) this.#dispatch(this.#sctp, 'sctp', 'state', SCTP[fields.value], 'statechange');
    } else {
      return false;
    }
    return true;
  }

  /** close(): every transport "closed", without events (webrtc-pc 4.4.1.5). */
  closed() {
    let info;
    try {
      info = this.#current();
    } catch {
      info = { ice: { localCandidates: [], remoteCandidates: [] }, dtls: { remoteCertificates: [] }, sctp: null };
    }
    info.ice = { ...info.ice, state: 'closed' };
    info.dtls = { ...info.dtls, state: 'closed' };
    if (this.#sctp || info.sctp) info.sctp = { maxMessageSize: 65536, maxChannels: null, ...info.sctp, state: 'closed' };
    this.#sctp ??= info.sctp ? new RTCSctpTransport(this, this.dtls) : null;
    this.#info = info;
  }
}

module.exports = { RTCIceTransport, RTCDtlsTransport, RTCSctpTransport, PeerTransports };
