'use strict';
const native = require('./native');
const { w3c, invalidState, toW3C } = require('./errors');
const { RTCPeerConnectionIceEvent, RTCDataChannelEvent, defineEventHandlers } = require('./events');
const { PeerMedia } = require('./media');
const { RTCDataChannel } = require('./rtcdatachannel');
const { RTCSessionDescription, TYPES } = require('./rtcsessiondescription');
const { RTCIceCandidate } = require('./rtcicecandidate');

const SIGNALING = ['stable', 'have-local-offer', 'have-remote-offer', 'have-local-pranswer', 'have-remote-pranswer', 'closed'];
const GATHERING = ['new', 'gathering', 'complete'];
const ICE = ['new', 'checking', 'connected', 'completed', 'disconnected', 'failed', 'closed'];
const CONNECTION = ['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed'];
const DESCRIPTION = { local: 0, remote: 1, currentLocal: 2, pendingLocal: 3, currentRemote: 4, pendingRemote: 5 };
const CONFIG_KEYS = ['iceServers', 'iceTransportPolicy', 'bundlePolicy', 'rtcpMuxPolicy', 'certificates',
  'iceCandidatePoolSize', 'omnirtc'];

function configurationJSON(configuration) {
  if (configuration === undefined || configuration === null) return '{}';
  if (typeof configuration !== 'object') throw new TypeError('RTCConfiguration must be an object');
  const body = {};
  // Like browsers, unknown members of the dictionary are ignored; the
  // library checks the known ones strictly.
  for (const key of CONFIG_KEYS) if (configuration[key] !== undefined) body[key] = configuration[key];
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

class RTCPeerConnection extends EventTarget {
  #handle;
  #closed = false;
  // The states the getters give: the library's, read when asked, so each is
  // current as soon as the call that changed it returns (W3C: before its
  // promise resolves); while a state event is dispatched, the state it reports
  // (#shown), so its listeners see that one; after close(), #final.
  #shown = {};
  #final = null;
  #channels = new Map();
  #media = new PeerMedia(this);
  #lastOffer = null;
  #lastAnswer = null;

  constructor(configuration = {}) {
    super();
    this.#handle = w3c(() => native.peerCreate(configurationJSON(configuration), this.#onEvent.bind(this)));
  }

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

  get localDescription() { return this.#description(DESCRIPTION.local); }
  get remoteDescription() { return this.#description(DESCRIPTION.remote); }
  get currentLocalDescription() { return this.#description(DESCRIPTION.currentLocal); }
  get pendingLocalDescription() { return this.#description(DESCRIPTION.pendingLocal); }
  get currentRemoteDescription() { return this.#description(DESCRIPTION.currentRemote); }
  get pendingRemoteDescription() { return this.#description(DESCRIPTION.pendingRemote); }

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
        native.setLocalDescription(this.#live(), null, null); // the implicit form
        return undefined;
      }
      if (!TYPES.includes(description.type)) throw new TypeError(`invalid description type '${description.type}'`);
      const sdp = description.sdp || (description.type === 'offer' ? this.#lastOffer : this.#lastAnswer);
      native.setLocalDescription(this.#live(), description.type, sdp || null);
      return undefined;
    });
  }

  setRemoteDescription(description) {
    return this.#async(() => {
      if (!description || typeof description !== 'object') throw new TypeError('setRemoteDescription needs a description');
      if (!TYPES.includes(description.type)) throw new TypeError(`invalid description type '${description.type}'`);
      if (description.type !== 'rollback' && typeof description.sdp !== 'string') throw new TypeError('sdp must be a string');
      native.setRemoteDescription(this.#live(), description.type, description.sdp ?? null);
      return undefined;
    });
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

  getStats() {
    return this.#async(() => {
      const report = JSON.parse(native.getStats(this.#live()));
      return new Map(Object.entries(report));
    });
  }

  get sctp() {
    if (this.#closed) return null;
    const handle = this.#handle;
    return { get maxMessageSize() { return native.maxMessageSize(handle); } };
  }

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
    this.#closed = true;
    try { native.peerClose(this.#handle); } catch { /* closed already */ }
    for (const channel of this.#channels.values()) channel._closed();
    this.#channels.clear();
    this.#media.closed();
  }

  // type, state, channel, text, sdpMid, sdpMLineIndex, binary, data (ArrayBuffer), media
  #onEvent(type, state, channel, text, sdpMid, sdpMLineIndex, binary, data, media) {
    if (type >= 40) {
      if (!this.#closed) this.#media.onEvent(type, state, text, data, media);
      return;
    }
    if (type >= 20) {
      const target = this.#channels.get(channel);
      if (!target) return;
      if (type === 25) this.#channels.delete(channel);
      target._onEvent(type, text, binary, data);
      return;
    }
    if (type === 8 || this.#closed) return; // PEER_CLOSED, or events that lost the race with close()
    switch (type) {
      case 1: {
        const candidate = text ? new RTCIceCandidate({ candidate: text, sdpMid, sdpMLineIndex }) : null;
        this.dispatchEvent(new RTCPeerConnectionIceEvent('icecandidate', { candidate }));
        break;
      }
      case 2:
        this.#dispatchState('gathering', GATHERING[state], 'icegatheringstatechange');
        break;
      case 3:
        this.#dispatchState('ice', ICE[state], 'iceconnectionstatechange');
        break;
      case 4:
        this.#dispatchState('connection', CONNECTION[state], 'connectionstatechange');
        break;
      case 5:
        this.#dispatchState('signaling', SIGNALING[state], 'signalingstatechange');
        break;
      case 6:
        this.dispatchEvent(new Event('negotiationneeded'));
        break;
      case 7: { // the library announces a remote channel open; its open event follows
        const remote = new RTCDataChannel(channel, this.#handle);
        this.#channels.set(channel, remote);
        this.dispatchEvent(new RTCDataChannelEvent('datachannel', { channel: remote }));
        break;
      }
      default:
    }
  }
}

defineEventHandlers(RTCPeerConnection, ['icecandidate', 'icegatheringstatechange', 'iceconnectionstatechange',
  'connectionstatechange', 'signalingstatechange', 'negotiationneeded', 'datachannel', 'track', 'targetbitrate']);

module.exports = { RTCPeerConnection };
