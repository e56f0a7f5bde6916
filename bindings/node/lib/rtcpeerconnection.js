'use strict';
const native = require('./native');
const { w3c, invalidState, toW3C } = require('./errors');
const { RTCPeerConnectionIceEvent, RTCDataChannelEvent, defineEventHandlers } = require('./events');
const { PeerMedia } = require('./media');
const { PeerTransports } = require('./rtctransports');
const { RTCDataChannel } = require('./rtcdatachannel');
const { RTCSessionDescription, TYPES } = require('./rtcsessiondescription');
const { RTCIceCandidate } = require('./rtcicecandidate');
const { C, stateNames } = require('./constants');
const { RTCCertificate, generateCertificate, certificatePEMs } = require('./rtccertificate');

const SIGNALING = stateNames('SIGNALING_');
const GATHERING = stateNames('ICE_GATHERING_');
const ICE = stateNames('ICE_CONNECTION_');
const CONNECTION = stateNames('PEER_');
// the library's state events, with their getter's key and their W3C event
const STATE_EVENTS = new Map([
  [C.EVENT_ICE_GATHERING_STATE, ['gathering', GATHERING, 'icegatheringstatechange']],
  [C.EVENT_ICE_CONNECTION_STATE, ['ice', ICE, 'iceconnectionstatechange']],
  [C.EVENT_CONNECTION_STATE, ['connection', CONNECTION, 'connectionstatechange']],
  [C.EVENT_SIGNALING_STATE, ['signaling', SIGNALING, 'signalingstatechange']],
]);
const CHANNEL_EVENTS = new Set([C.EVENT_CHANNEL_OPEN, C.EVENT_CHANNEL_MESSAGE, C.EVENT_CHANNEL_BUFFERED_AMOUNT_LOW,
  C.EVENT_CHANNEL_ERROR, C.EVENT_CHANNEL_CLOSING, C.EVENT_CHANNEL_CLOSE]);
const MEDIA_EVENTS = new Set([C.EVENT_TRACK, C.EVENT_TRACK_RTP, C.EVENT_TRACK_FRAME, C.EVENT_TRACK_ENDED,
  C.EVENT_TRACK_MUTE, C.EVENT_TRACK_UNMUTE, C.EVENT_KEYFRAME_REQUEST, C.EVENT_TARGET_BITRATE,
  C.EVENT_DTMF_TONE_CHANGE, C.EVENT_DTMF_TONE]);
const CONFIG_KEYS = ['iceServers', 'iceTransportPolicy', 'bundlePolicy', 'rtcpMuxPolicy', 'certificates',
  'iceCandidatePoolSize', 'omnirtc'];

function configurationJSON(configuration) {
  if (configuration === undefined || configuration === null) return '{}';
  if (typeof configuration !== 'object') throw new TypeError('RTCConfiguration must be an object');
  const body = {};
  // Like browsers, unknown members of the dictionary are ignored; the
  // library checks the known ones strictly.
  for (const key of CONFIG_KEYS) if (configuration[key] !== undefined) body[key] = configuration[key];
  if (body.certificates !== undefined) body.certificates = certificatePEMs(body.certificates);
  return JSON.stringify(body);
}

function channelInitJSON(init) {
  if (init === undefined || init === null) return '{}';
  if (typeof init !== 'object') throw new TypeError('RTCDataChannelInit must be an object');
  const body = {};
  for (const key of ['ordered', 'maxPacketLifeTime', 'maxRetransmits', 'protocol', 'negotiated', 'id']) {
    if (init[key] === undefined || init[key] === null) continue;
    const value = init[key];
    if (key === 'ordered' || key === 'negotiated') body[key] = Boolean(value);
    else if (key === 'protocol') body[key] = String(value);
    else {
      // WebIDL [EnforceRange] unsigned short: finite, truncated; the library checks the range
      const n = Number(value);
      if (!Number.isFinite(n)) throw new TypeError(`${key} must be a finite number`);
      body[key] = Math.trunc(n);
    }
  }
  return JSON.stringify(body);
}

// handleOf(pc): the library handle of an open peer connection, for the
// modules that hand one to the library (whip.js); not part of the W3C API.
let handleOf;

class RTCPeerConnection extends EventTarget {
  static { handleOf = (pc) => pc.#live(); }

  #handle;
  #closed = false;
  // The states the getters give: the library's, read when asked, so each is
  // current as soon as the call that changed it returns (W3C: before its
  // promise resolves); while a state event is dispatched, the state it reports
  // (#shown), so its listeners see that one; after close(), #final.
  #shown = {};
  #final = null;
  #finalConfiguration = null;
  // the RTCCertificate objects given, which getConfiguration returns (the library holds their PEM)
  #certificates = [];
  #channels = new Map();
  #transports = new PeerTransports();
  #media = new PeerMedia(this, this.#transports);
  #lastOffer = null;
  #lastAnswer = null;
  // Signaling state events taken from the library's queue, and the number of
  // the last one a description call dispatched already as it returned (W3C:
  // signalingstatechange before the call's promise resolves; the library
  // reports which it queued, omnirtc_peer_set_description): #onEvent skips
  // those when it takes them.
  #signalingTaken = 0;
  #signaledThrough = 0;
  // Track events taken, and the description calls waiting for theirs: a
  // remote description queues the track events of the tracks it announces
  // before it returns, and W3C fires them before its promise resolves
  // (webrtc-pc 4.4.1.6).
  #tracksTaken = 0;
  #trackWaits = [];

  constructor(configuration = {}) {
    super();
    this.#handle = w3c(() => native.peerCreate(configurationJSON(configuration), this.#onEvents.bind(this)));
    this.#transports.attach(this.#handle);
    this.#keepCertificates(configuration);
  }

  #keepCertificates(configuration) {
    const given = configuration?.certificates;
    if (Array.isArray(given)) this.#certificates = given.filter((c) => c instanceof RTCCertificate);
  }

  static generateCertificate(keygenAlgorithm) { return generateCertificate(keygenAlgorithm); }

  get signalingState() { return this.#state('signaling', native.signalingState, SIGNALING); }
  get iceGatheringState() { return this.#state('gathering', native.iceGatheringState, GATHERING); }
  get iceConnectionState() { return this.#state('ice', native.iceConnectionState, ICE); }
  get connectionState() { return this.#state('connection', native.connectionState, CONNECTION); }

  #state(key, getter, names) {
    if (this.#final) return this.#final[key];
    return this.#shown[key] ?? names[getter(this.#handle)];
  }

  /** Dispatches a state event while the getter of `key` says `value`. */
  #dispatchState(key, value, type) {
    const previous = this.#shown[key];
    this.#shown[key] = value;
    try {
      this.dispatchEvent(new Event(type));
    } finally {
      this.#shown[key] = previous;
    }
  }
  get canTrickleIceCandidates() { return this.remoteDescription ? true : null; }

  #description(which) {
    if (this.#closed) return null;
    const d = native.getDescription(this.#handle, which);
    return d ? new RTCSessionDescription(d) : null;
  }

  get localDescription() { return this.#description(C.DESCRIPTION_LOCAL); }
  get remoteDescription() { return this.#description(C.DESCRIPTION_REMOTE); }
  get currentLocalDescription() { return this.#description(C.DESCRIPTION_CURRENT_LOCAL); }
  get pendingLocalDescription() { return this.#description(C.DESCRIPTION_PENDING_LOCAL); }
  get currentRemoteDescription() { return this.#description(C.DESCRIPTION_CURRENT_REMOTE); }
  get pendingRemoteDescription() { return this.#description(C.DESCRIPTION_PENDING_REMOTE); }

  #live() {
    if (this.#closed) throw invalidState('RTCPeerConnection is closed');
    return this.#handle;
  }

  /** Runs a library call as a W3C promise: rejections carry W3C errors. */
  #async(fn) {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(toW3C(error));
    }
  }

  createOffer(options = {}) {
    return this.#async(() => {
      const sdp = native.createOffer(this.#live(), JSON.stringify({ iceRestart: Boolean(options?.iceRestart) }));
      this.#lastOffer = sdp;
      return new RTCSessionDescription({ type: 'offer', sdp });
    });
  }

  createAnswer() {
    return this.#async(() => {
      const sdp = native.createAnswer(this.#live(), null);
      this.#lastAnswer = sdp;
      return new RTCSessionDescription({ type: 'answer', sdp });
    });
  }

  setLocalDescription(description) {
    return this.#async(() => {
      if (description === undefined || description === null || description.type === undefined) {
        this.#describe(native.setLocalDescription, null, null); // the implicit form
        return undefined;
      }
      if (!TYPES.includes(description.type)) throw new TypeError(`invalid description type '${description.type}'`);
      const sdp = description.sdp || (description.type === 'offer' ? this.#lastOffer : this.#lastAnswer);
      this.#describe(native.setLocalDescription, description.type, sdp || null);
      return undefined;
    });
  }

  setRemoteDescription(description) {
    return this.#async(() => {
      if (!description || typeof description !== 'object') throw new TypeError('setRemoteDescription needs a description');
      if (!TYPES.includes(description.type)) throw new TypeError(`invalid description type '${description.type}'`);
      if (description.type !== 'rollback' && typeof description.sdp !== 'string') throw new TypeError('sdp must be a string');
      const tracks = this.#describe(native.setRemoteDescription, description.type, description.sdp ?? null);
      return this.#trackEventsDispatched(tracks);
    });
  }

  /** Resolves once the track events up to the `tracks`th are dispatched (at once after close()). */
  #trackEventsDispatched(tracks) {
    if (this.#tracksTaken >= tracks || this.#closed) return undefined;
    return new Promise((resolve) => this.#trackWaits.push({ tracks, resolve }));
  }

  #releaseTrackWaits() {
    const ready = this.#trackWaits.filter((w) => this.#closed || w.tracks <= this.#tracksTaken);
    this.#trackWaits = this.#trackWaits.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(undefined);
  }

  /**
   * A description call, then the signalingstatechange events of the states it
   * queued (webrtc-pc 4.4.1.5) before the promise resolves, as the library
   * reports them (an implicit rollback's stable included).
   */
  #describe(call, type, sdp) {
    const { states, last, tracks } = call(this.#live(), type, sdp);
    this.#signaledThrough = last;
    for (const state of states) this.#dispatchState('signaling', SIGNALING[state], 'signalingstatechange');
    return tracks;
  }

  addIceCandidate(candidate) {
    return this.#async(() => {
      const handle = this.#live();
      if (candidate === undefined || candidate === null || !candidate.candidate) {
        native.addIceCandidate(handle, null, candidate?.sdpMid ?? null, candidate?.sdpMLineIndex ?? -1);
        return undefined;
      }
      if (candidate.sdpMid == null && candidate.sdpMLineIndex == null) {
        throw new TypeError('candidate needs sdpMid or sdpMLineIndex');
      }
      native.addIceCandidate(handle, String(candidate.candidate), candidate.sdpMid ?? null, candidate.sdpMLineIndex ?? -1);
      return undefined;
    });
  }

  restartIce() {
    if (!this.#closed) w3c(() => native.restartIce(this.#handle));
  }

  /** W3C webrtc-pc 4.4.1.6; the library reports it (after close, the last one). */
  getConfiguration() {
    const config = this.#closed ? structuredClone(this.#finalConfiguration)
      : JSON.parse(w3c(() => native.getConfiguration(this.#handle)));
    if (config?.certificates) {
      config.certificates = config.certificates.map((pem) => this.#certificates.find((c) => c.toPEM() === pem)
        ?? RTCCertificate.fromPEM(pem));
    }
    return config;
  }

  /** W3C webrtc-pc 4.4.1.6 "set a configuration"; the library checks what may change. */
  setConfiguration(configuration = {}) {
    const json = configurationJSON(configuration);
    w3c(() => native.setConfiguration(this.#live(), json));
    this.#keepCertificates(configuration);
  }

  getStats() {
    return this.#async(() => {
      const report = JSON.parse(native.getStats(this.#live()));
      return new Map(Object.entries(report));
    });
  }

  get sctp() { return this.#transports.sctp; }

  createDataChannel(label, init = {}) {
    if (arguments.length === 0) throw new TypeError('createDataChannel needs a label');
    const handle = this.#live();
    const id = w3c(() => native.channelCreate(handle, String(label), channelInitJSON(init)));
    const channel = new RTCDataChannel(id, handle);
    this.#channels.set(id, channel);
    return channel;
  }

  // Media (lib/media.js): EncodedTrack in, RemoteTrack out.
  addTrack(track) { return this.#media.addTrack(this.#live(), track); }

  addTransceiver(trackOrKind, init = {}) { return this.#media.addTransceiver(this.#live(), trackOrKind, init); }

  removeTrack(sender) { this.#media.removeTrack(this.#live(), sender); }

  getTransceivers() { return this.#media.getTransceivers(); }

  getSenders() { return this.getTransceivers().map((t) => t.sender); }

  getReceivers() { return this.getTransceivers().map((t) => t.receiver); }

  /** How remote tracks arriving from now on deliver: {mode: 'frames'|'rtp'|'none', maxLate?, maxDelayMs?}. */
  setTrackReceive(options) { this.#media.setTrackReceive(this.#live(), options); }

  close() {
    if (this.#closed) return;
    this.#final = { signaling: 'closed', gathering: this.iceGatheringState, ice: 'closed', connection: 'closed' };
    try { this.#finalConfiguration = JSON.parse(native.getConfiguration(this.#handle)); } catch { /* closed by the library already */ }
    this.#transports.closed();
    this.#closed = true;
    try { native.peerClose(this.#handle); } catch { /* closed already */ }
    for (const channel of this.#channels.values()) channel._closed();
    this.#channels.clear();
    this.#media.closed();
    this.#releaseTrackWaits();
  }

  /** One batch of library events (src/events.c); a listener's exception does not stop the rest. */
  #onEvents(batch) {
    for (let i = 0; i < batch.length; i += native.eventStride) {
      try {
        this.#onEvent(batch[i], batch[i + 1], batch[i + 2], batch[i + 3]);
      } catch (error) {
        process.nextTick(() => { throw error; }); // reported as uncaught, as for an EventTarget listener
      }
    }
  }

  // type, channel, data (ArrayBuffer, or a message's payloads), fields (the header's union member, camelCase)
  #onEvent(type, channel, data, fields) {
    if (type === C.EVENT_SIGNALING_STATE) this.#signalingTaken++;
    if (MEDIA_EVENTS.has(type)) {
      if (!this.#closed) this.#media.onEvent(type, data, fields);
      if (type === C.EVENT_TRACK) {
        this.#tracksTaken++;
        this.#releaseTrackWaits();
      }
      return;
    }
    if (CHANNEL_EVENTS.has(type)) {
      const target = this.#channels.get(channel);
      if (!target) return;
      if (type === C.EVENT_CHANNEL_CLOSE) this.#channels.delete(channel);
      target._onEvent(type, data, fields);
      return;
    }
    if (type === C.EVENT_PEER_CLOSED || this.#closed) return; // or events that lost the race with close()
    if (this.#transports.onEvent(type, fields)) return;
    if (type === C.EVENT_SIGNALING_STATE && this.#signalingTaken <= this.#signaledThrough) return; // dispatched by its call
    const stateEvent = STATE_EVENTS.get(type);
    if (stateEvent) {
      const [key, names, name] = stateEvent;
      this.#transports.beforePeerState(type, names[fields.value]);
      this.#dispatchState(key, names[fields.value], name);
    } else if (type === C.EVENT_ICE_CANDIDATE) {
      const { candidate: line, sdpMid, sdpMLineIndex } = fields;
      const candidate = line ? new RTCIceCandidate({ candidate: line, sdpMid, sdpMLineIndex }) : null;
      this.dispatchEvent(new RTCPeerConnectionIceEvent('icecandidate', { candidate }));
    } else if (type === C.EVENT_NEGOTIATION_NEEDED) {
      this.dispatchEvent(new Event('negotiationneeded'));
    } else if (type === C.EVENT_DATA_CHANNEL) { // the library announces a remote channel open; its open event follows
      const remote = new RTCDataChannel(channel, this.#handle, fields.infoJson);
      this.#channels.set(channel, remote);
      this.dispatchEvent(new RTCDataChannelEvent('datachannel', { channel: remote }));
    }
  }
}

defineEventHandlers(RTCPeerConnection, ['icecandidate', 'icegatheringstatechange', 'iceconnectionstatechange',
  'connectionstatechange', 'signalingstatechange', 'negotiationneeded', 'datachannel', 'track', 'targetbitrate']);

module.exports = { RTCPeerConnection, handleOf };
