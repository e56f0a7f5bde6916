'use strict';
// Media with the W3C shapes: RTCRtpTransceiver, RTCRtpSender, RTCRtpReceiver,
// RTCTrackEvent and a receiving MediaStreamTrack. OmniRTC moves encoded media:
// an EncodedTrack is fed frames (writeSample) or RTP packets (writeRtp), and a
// remote track dispatches 'frame' events ({data, timestamp, keyframe}) or,
// after setReceiveMode('rtp'), 'rtp' events ({data, timestamp, spatialId,
// temporalId, keyframe, switchPoint}: the packet's SVC layer, null if unknown).
const { randomUUID } = require('node:crypto');
const native = require('./native');
const { w3c } = require('./errors');
const { defineEventHandlers } = require('./events');
const { RTCDTMFSender, RTCDTMFToneChangeEvent } = require('./rtcdtmfsender');

const { C } = require('./constants');

const EVENT = { track: C.EVENT_TRACK, rtp: C.EVENT_TRACK_RTP, frame: C.EVENT_TRACK_FRAME, ended: C.EVENT_TRACK_ENDED,
  mute: C.EVENT_TRACK_MUTE, unmute: C.EVENT_TRACK_UNMUTE,
  keyframeRequest: C.EVENT_KEYFRAME_REQUEST, targetBitrate: C.EVENT_TARGET_BITRATE,
  toneChange: C.EVENT_DTMF_TONE_CHANGE, tone: C.EVENT_DTMF_TONE };
const KEYFRAME_KINDS = { [C.KEYFRAME_PLI]: 'pli', [C.KEYFRAME_FIR]: 'fir' };

function bytes(data) {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError('data must be an ArrayBuffer or a view of one');
}

/** A local track fed with encoded media: {codec, id?, streamId?, mode?: 'sample'|'rtp', rids?}. */
class EncodedTrack extends EventTarget {
  constructor(init) {
    super();
    if (!init || typeof init.codec !== 'string') throw new TypeError('EncodedTrack needs a codec');
    this._handle = w3c(() => native.trackCreate(JSON.stringify(init)));
    const info = JSON.parse(native.trackInfo(this._handle));
    this.kind = info.kind;
    this.id = info.id;
    this.codec = info.codec;
    this.readyState = 'live';
  }

  /** Sends one encoded frame lasting `duration` seconds. */
  writeSample(data, duration, rid = null) {
    w3c(() => native.trackWrite(this._handle, rid, bytes(data), Math.max(0, Math.round(duration * 1e6))));
  }

  /** Sends one RTP packet; its payload type and SSRC are rewritten. */
  writeRtp(packet, rid = null) {
    w3c(() => native.trackWrite(this._handle, rid, bytes(packet), -1));
  }

  stop() {
    if (this.readyState === 'ended') return;
    this.readyState = 'ended';
    try { native.trackClose(this._handle); } catch { /* closed already */ }
  }
}

/**
 * A track the remote peer sends (one per simulcast layer: see rid). It comes
 * muted, with the remote description that announces it, and its first packet
 * unmutes it (W3C webrtc-pc 4.4.1.6); ssrc and codec are then the received
 * ones.
 */
class RemoteTrack extends EventTarget {
  constructor(handle, info) {
    super();
    this._handle = handle;
    this.kind = info.kind;
    this.id = info.id;
    this.rid = info.rid;
    this.ssrc = info.ssrc;
    this.codec = info.codec;
    this.readyState = 'live';
    this.muted = true;
  }

  _setMuted(muted) {
    if (this.muted === muted || this.readyState === 'ended') return;
    this.muted = muted;
    if (!muted) {
      try {
        ({ ssrc: this.ssrc, codec: this.codec } = JSON.parse(native.trackInfo(this._handle)));
      } catch { /* its peer closed meanwhile */ }
    }
    this.dispatchEvent(new Event(muted ? 'mute' : 'unmute'));
  }

  /** 'frames' (default), 'rtp' or 'none', from the next packet on. */
  setReceiveMode(mode, options = {}) {
    w3c(() => native.trackSetReceive(this._handle, JSON.stringify({ ...options, mode })));
  }

  /** Asks the sender for a keyframe: a PLI, or a FIR with {fir: true}. */
  requestKeyframe({ fir = false } = {}) {
    w3c(() => native.trackRequestKeyframe(this._handle, Boolean(fir)));
  }

  /**
   * Sends a REMB: the most, in bits per second, this receiver wants the
   * sender to send on this video track (needs the "remb" interceptor). The
   * sender's peer fires 'targetbitrate' with source 'remb'.
   */
  requestBitrate(bitrate) {
    if (!Number.isSafeInteger(bitrate)) throw new TypeError('bitrate must be an integer number of bits per second');
    w3c(() => native.trackRequestBitrate(this._handle, bitrate));
  }

  _ended() {
    if (this.readyState === 'ended') return;
    this.readyState = 'ended';
    this.dispatchEvent(new Event('ended'));
  }
}
defineEventHandlers(RemoteTrack, ['frame', 'rtp', 'ended', 'dtmf', 'mute', 'unmute']);

class MediaStreamTrackEvent extends Event {
  constructor(type, init) {
    super(type, init);
    this.track = init.track;
  }
}

/** W3C `MediaStream`, as a remote track's streams: its tracks, with addtrack and removetrack. */
class MediaStream extends EventTarget {
  #tracks = new Set();

  constructor(id = randomUUID()) {
    super();
    this.id = id;
  }

  get active() { return [...this.#tracks].some((t) => t.readyState === 'live'); }

  getTracks() { return [...this.#tracks]; }

  getAudioTracks() { return this.getTracks().filter((t) => t.kind === 'audio'); }

  getVideoTracks() { return this.getTracks().filter((t) => t.kind === 'video'); }

  getTrackById(id) { return this.getTracks().find((t) => t.id === id) ?? null; }

  addTrack(track) { this.#tracks.add(track); }

  removeTrack(track) { this.#tracks.delete(track); }

  /** The remote added track to the stream (webrtc-pc 4.4.1.6 "set the associated remote streams"). */
  _remoteAdd(track) {
    if (this.#tracks.has(track)) return;
    this.#tracks.add(track);
    this.dispatchEvent(new MediaStreamTrackEvent('addtrack', { track }));
  }

  /** The remote removed track from the stream. */
  _remoteRemove(track) {
    if (!this.#tracks.delete(track)) return;
    this.dispatchEvent(new MediaStreamTrackEvent('removetrack', { track }));
  }
}
defineEventHandlers(MediaStream, ['addtrack', 'removetrack']);

class MediaDataEvent extends Event {
  constructor(type, init) {
    super(type);
    Object.assign(this, init);
  }
}

class RTCTrackEvent extends Event {
  constructor(type, init) {
    super(type, init);
    this.track = init.track;
    this.receiver = init.receiver;
    this.transceiver = init.transceiver;
    this.streams = init.streams ?? [];
  }
}

/** webrtc-pc 5.2 getCapabilities: what a default peer offers for kind, null for another kind. */
function getCapabilities(kind) {
  if (kind !== 'audio' && kind !== 'video') return null;
  return JSON.parse(w3c(() => native.rtpCapabilities(kind)));
}

const ENCODING_KEYS = ['rid', 'active', 'maxBitrate', 'scaleResolutionDownBy', 'scalabilityMode'];

/** An RTP packet's SVC layer as its event tells it (-1: the packet says none), with null for unknown. */
function rtpLayer({ spatialId, temporalId, layerKeyframe, switchPoint }) {
  const known = (v) => (v < 0 ? null : v);
  const flag = (v) => (v < 0 ? null : v === 1);
  return { spatialId: known(spatialId), temporalId: known(temporalId), keyframe: flag(layerKeyframe),
    switchPoint: flag(switchPoint) };
}

class RTCRtpSender extends EventTarget {
  // webrtc-pc 5.2 [[LastReturnedParameters]]: what getParameters returned, until its task ends
  #lastReturned = null;
  #dtmf;

  constructor(transceiver, track) {
    super();
    this._transceiver = transceiver;
    this.track = track ?? null;
  }

  /** webrtc-pc 7.1: the RTCDTMFSender of an audio sender, null for video. */
  get dtmf() {
    if (this.#dtmf === undefined) {
      this.#dtmf = this._transceiver._info().kind === 'audio' ? new RTCDTMFSender(this._transceiver) : null;
    }
    return this.#dtmf;
  }

  static getCapabilities(kind) { return getCapabilities(kind); }

  get transport() { return this._transceiver._transport(); }

  async replaceTrack(track) {
    w3c(() => native.replaceTrack(this._transceiver._handle, track ? track._handle : 0));
    this.track = track ?? null;
  }

  getParameters() {
    const info = this._transceiver._info();
    const parameters = { transactionId: randomUUID(), encodings: info.sendEncodings, codecs: info.codecs,
      headerExtensions: [] };
    this.#lastReturned = parameters;
    setImmediate(() => { if (this.#lastReturned === parameters) this.#lastReturned = null; });
    return structuredClone(parameters);
  }

  async setParameters(parameters) {
    const last = this.#lastReturned;
    if (!last) throw new DOMException('call getParameters() first, in the same task', 'InvalidStateError');
    if (parameters?.transactionId !== last.transactionId) {
      throw new DOMException('transactionId is not the one getParameters() returned last', 'InvalidModificationError');
    }
    if (JSON.stringify(parameters.codecs ?? []) !== JSON.stringify(last.codecs)) {
      throw new DOMException('codecs cannot be changed by setParameters()', 'InvalidModificationError');
    }
    if ((parameters.encodings ?? []).some((e) => e?.scaleResolutionDownBy != null && !(e.scaleResolutionDownBy >= 1))) {
      throw new RangeError('scaleResolutionDownBy must be at least 1');
    }
    const encodings = (parameters.encodings ?? []).map((e) => Object.fromEntries(
      ENCODING_KEYS.filter((key) => e[key] !== undefined && e[key] !== null).map((key) => [key, e[key]])));
    w3c(() => native.transceiverSetParameters(this._transceiver._handle, JSON.stringify({ encodings })));
    this.#lastReturned = null;
  }
}
defineEventHandlers(RTCRtpSender, ['keyframerequest']);

class RTCRtpReceiver {
  constructor(transceiver) {
    this._transceiver = transceiver;
    this.track = null;
  }

  static getCapabilities(kind) { return getCapabilities(kind); }

  get transport() { return this._transceiver._transport(); }
}

const DIRECTIONS = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

class RTCRtpTransceiver {
  #transports;
  constructor(handle, track, transports) {
    this._handle = handle;
    this.#transports = transports;
    this.sender = new RTCRtpSender(this, track);
    this.receiver = new RTCRtpReceiver(this);
  }

  _transport() { return this.#transports.of(this); }

  _info() { return JSON.parse(w3c(() => native.transceiverInfo(this._handle))); }

  get mid() { return this._info().mid; }

  get direction() { return this._info().direction; }

  // WebIDL ignores a value outside the enum; the library fires negotiationneeded.
  set direction(value) {
    if (DIRECTIONS.includes(value)) w3c(() => native.transceiverSetDirection(this._handle, value));
  }

  get currentDirection() { return this._info().currentDirection; }

  /** Offers only these codecs, in order ({mimeType, sdpFmtpLine?}). */
  setCodecPreferences(codecs) {
    const prefs = codecs.map((c) => (c.sdpFmtpLine ? { mimeType: c.mimeType, sdpFmtpLine: c.sdpFmtpLine } : { mimeType: c.mimeType }));
    w3c(() => native.setCodecPreferences(this._handle, JSON.stringify(prefs)));
  }

  stop() { w3c(() => native.transceiverStop(this._handle)); }
}

/** A peer connection's transceivers and remote tracks; lib/rtcpeerconnection.js delegates here. */
class PeerMedia {
  #pc;
  #transceivers = new Map();
  #tracks = new Map();
  #streams = new Map(); // the remote's MediaStreams by id
  #trackStreams = new Map(); // a track's streams, as its last track event announced them
  #transports;

  constructor(pc, transports) {
    this.#pc = pc;
    this.#transports = transports;
  }

  #transceiver(handle, track) {
    let t = this.#transceivers.get(handle);
    if (!t) this.#transceivers.set(handle, (t = new RTCRtpTransceiver(handle, track, this.#transports)));
    else if (track) t.sender.track = track;
    return t;
  }

  addTrack(peer, track) {
    if (!(track instanceof EncodedTrack)) throw new TypeError('addTrack needs an EncodedTrack');
    return this.#transceiver(w3c(() => native.addTransceiver(peer, undefined, track._handle, undefined)), track).sender;
  }

  addTransceiver(peer, trackOrKind, init = {}) {
    const track = trackOrKind instanceof EncodedTrack ? trackOrKind : null;
    if (!track && trackOrKind !== 'audio' && trackOrKind !== 'video') {
      throw new TypeError(`kind must be 'audio' or 'video', not ${String(trackOrKind)}`);
    }
    const json = JSON.stringify({ direction: init.direction ?? 'sendrecv', ...(init.sendEncodings ? { sendEncodings: init.sendEncodings } : {}) });
    const handle = w3c(() => native.addTransceiver(peer, track ? null : trackOrKind, track ? track._handle : 0, json));
    return this.#transceiver(handle, track);
  }

  removeTrack(peer, sender) {
    w3c(() => native.removeTrack(peer, sender._transceiver._handle));
    sender.track = null;
  }

  // a rollback may have removed some (the library says which)
  getTransceivers() { return [...this.#transceivers.values()].filter((t) => !t._info().removed); }

  setTrackReceive(peer, options) { w3c(() => native.peerSetTrackReceive(peer, JSON.stringify(options))); }

  /** The remote's streams of a track announced with these stream ids, made the first time seen. */
  #streamsOf(track, streamIds) {
    const streams = streamIds.map((id) => {
      let stream = this.#streams.get(id);
      if (!stream) this.#streams.set(id, stream = new MediaStream(id));
      return stream;
    });
    for (const stream of streams) stream._remoteAdd(track);
    this.#trackStreams.set(track, streams);
    return streams;
  }

  onEvent(type, data, fields) {
    if (type === EVENT.track) {
      // a track announced again (its remote sends again) keeps its object
      const info = JSON.parse(fields.infoJson);
      const track = this.#tracks.get(fields.track) ?? new RemoteTrack(fields.track, info);
      this.#tracks.set(fields.track, track);
      const streams = this.#streamsOf(track, info.streamIds ?? []);
      const transceiver = this.#transceiver(fields.transceiver);
      transceiver.receiver.track ??= track;
      this.#pc.dispatchEvent(new RTCTrackEvent('track', { track, receiver: transceiver.receiver, transceiver, streams }));
    } else if (type === EVENT.keyframeRequest) {
      const sender = this.#transceivers.get(fields.transceiver)?.sender;
      const request = KEYFRAME_KINDS[fields.kind];
      sender?.dispatchEvent(new MediaDataEvent('keyframerequest', { request, rid: fields.rid }));
    } else if (type === EVENT.toneChange) {
      this.#transceivers.get(fields.transceiver)?.sender.dtmf?.dispatchEvent(
        new RTCDTMFToneChangeEvent('tonechange', { tone: fields.tone }));
    } else if (type === EVENT.targetBitrate) {
      const { source, ssrcs = [], mids = [] } = JSON.parse(fields.streamsJson);
      const bitrate = fields.bitsPerSecond;
      this.#pc.dispatchEvent(new MediaDataEvent('targetbitrate', { bitrate, source, ssrcs, mids }));
    } else {
      const track = this.#tracks.get(fields.track);
      if (!track) return;
      if (type === EVENT.frame) {
        track.dispatchEvent(new MediaDataEvent('frame', {
          data: new Uint8Array(data), timestamp: fields.rtpTimestamp, keyframe: fields.keyframe,
          lost: fields.packetsDropped,
        }));
      } else if (type === EVENT.rtp) {
        track.dispatchEvent(new MediaDataEvent('rtp', { data: new Uint8Array(data), timestamp: fields.rtpTimestamp,
          ...rtpLayer(fields) }));
      } else if (type === EVENT.tone) {
        track.dispatchEvent(new MediaDataEvent('dtmf', { tone: fields.tone, duration: fields.durationMs }));
      } else if (type === EVENT.unmute) {
        // back in them when received again without a new track event (a rollback restoring the direction, 4.4.1.6 step 9)
        for (const stream of this.#trackStreams.get(track) ?? []) stream._remoteAdd(track);
        track._setMuted(false);
      } else if (type === EVENT.mute) {
        // the remote stopped sending it: it leaves its streams (webrtc-pc 4.4.1.6 "process the removal of a remote track")
        for (const stream of this.#trackStreams.get(track) ?? []) stream._remoteRemove(track);
        track._setMuted(true);
      } else if (type === EVENT.ended) {
        this.#tracks.delete(fields.track);
        this.#trackStreams.delete(track);
        track._ended();
      }
    }
  }

  closed() {
    for (const track of this.#tracks.values()) track._ended();
    this.#tracks.clear();
  }
}

module.exports = { EncodedTrack, RemoteTrack, MediaStream, MediaStreamTrackEvent, RTCTrackEvent, RTCRtpSender, RTCRtpReceiver, RTCRtpTransceiver, PeerMedia };
