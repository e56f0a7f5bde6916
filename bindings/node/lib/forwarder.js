'use strict';
// Selective forwarding (include/omnirtc.h, "Forwarder"): a remote track, or
// the simulcast layers of a transceiver, sent on to EncodedTracks of mode
// 'rtp' on other peers, each subscriber with a layer of its own.
const native = require('./native');
const { w3c, invalidState } = require('./errors');
const { C } = require('./constants');
const { RemoteTrack, RTCRtpTransceiver } = require('./media');

/** OmniRTC: forwards a RemoteTrack, or every simulcast layer of an RTCRtpTransceiver, to subscriber tracks. */
class Forwarder {
  #handle;

  constructor(source) {
    if (source instanceof RemoteTrack) this.#handle = w3c(() => native.forwarderCreate(source._handle, 0));
    else if (source instanceof RTCRtpTransceiver) this.#handle = w3c(() => native.forwarderCreate(0, source._handle));
    else throw new TypeError('source must be a RemoteTrack or an RTCRtpTransceiver');
  }

  #live() {
    if (this.#handle === 0) throw invalidState('the forwarder is closed');
    return this.#handle;
  }

  addSubscriber(track, layer = {}) {
    this.#layer(track, layer, true);
  }

  setLayer(track, layer = {}) {
    this.#layer(track, layer, false);
  }

  #layer(track, { rid = null, temporal = Forwarder.ALL_TEMPORAL, spatial = Forwarder.ALL_SPATIAL } = {}, add) {
    if (rid !== null && typeof rid !== 'string') throw new TypeError('rid must be a string or null');
    if (!Number.isInteger(temporal)) throw new TypeError('temporal must be an integer');
    if (!Number.isInteger(spatial)) throw new TypeError('spatial must be an integer');
    const handle = this.#live();
    const layer = JSON.stringify({ rid: rid ?? '', temporal, spatial });
    w3c(() => native.forwarderSetLayer(handle, track._handle, layer, add));
  }

  removeSubscriber(track) {
    const handle = this.#live();
    w3c(() => native.forwarderRemoveSubscriber(handle, track._handle));
  }

  setAuto(track, enabled) {
    if (typeof enabled !== 'boolean') throw new TypeError('enabled must be a boolean');
    const handle = this.#live();
    w3c(() => native.forwarderSetAuto(handle, track._handle, enabled));
  }

  getLayer(track) {
    const handle = this.#live();
    return JSON.parse(w3c(() => native.forwarderGetLayer(handle, track._handle)));
  }

  close() {
    if (this.#handle === 0) return;
    native.forwarderFree(this.#handle);
    this.#handle = 0;
  }
}

Forwarder.ALL_TEMPORAL = C.TEMPORAL_ALL;
Forwarder.ALL_SPATIAL = C.SPATIAL_ALL;

module.exports = { Forwarder };
