'use strict';
// webrtc-pc 7: RTCDTMFSender and RTCDTMFToneChangeEvent. The library keeps
// the tone buffer, plays it and says when each tone starts (the Playout
// task); this is the W3C face of it. Tones a remote sends arrive as a
// non-standard 'dtmf' event on the RemoteTrack (lib/media.js).
const native = require('./native');
const { w3c } = require('./errors');
const { defineEventHandlers } = require('./events');

class RTCDTMFToneChangeEvent extends Event {
  constructor(type, init = {}) {
    super(type, init);
    this.tone = init.tone === undefined ? '' : String(init.tone);
  }
}

// WebIDL unsigned long: ToNumber, truncated, modulo 2^32
const unsignedLong = (value) => (Number.isFinite(Number(value)) ? Math.trunc(Number(value)) >>> 0 : 0);

class RTCDTMFSender extends EventTarget {
  #transceiver;

  constructor(transceiver) {
    super();
    this.#transceiver = transceiver;
  }

  /** webrtc-pc 7.2 insertDTMF: replaces the tone buffer; tonechange fires as each tone starts. */
  insertDTMF(tones, duration = 100, interToneGap = 70) {
    if (arguments.length === 0) throw new TypeError('insertDTMF needs tones');
    w3c(() => native.insertDtmf(this.#transceiver._handle, String(tones), unsignedLong(duration), unsignedLong(interToneGap)));
  }

  get canInsertDTMF() { return w3c(() => native.dtmfState(this.#transceiver._handle)).canInsertDTMF; }

  get toneBuffer() { return w3c(() => native.dtmfState(this.#transceiver._handle)).toneBuffer; }
}
defineEventHandlers(RTCDTMFSender, ['tonechange']);

module.exports = { RTCDTMFSender, RTCDTMFToneChangeEvent };
