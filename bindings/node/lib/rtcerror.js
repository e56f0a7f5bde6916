'use strict';
// RTCError and RTCErrorEvent (webrtc-pc 11, "Error Handling").

const ERROR_DETAILS = new Set(['data-channel-failure', 'dtls-failure', 'fingerprint-failure', 'sctp-failure',
  'sdp-syntax-error', 'hardware-encoder-not-available', 'hardware-encoder-error']);

// WebIDL long and unsigned long (no [EnforceRange]): ToInt32 / ToUint32; absent is null
const long = (value) => (value === undefined ? null : Number(value) | 0);
const unsignedLong = (value) => (value === undefined ? null : Number(value) >>> 0);

class RTCError extends DOMException {
  #errorDetail;
  #sdpLineNumber;
  #sctpCauseCode;
  #receivedAlert;
  #sentAlert;
  #httpRequestStatusCode;

  constructor(init, message = '') {
    if (init === undefined || init === null || typeof init !== 'object') {
      throw new TypeError('RTCError needs an RTCErrorInit with errorDetail');
    }
    const detail = init.errorDetail;
    if (detail === undefined) throw new TypeError('RTCErrorInit.errorDetail is required');
    if (!ERROR_DETAILS.has(String(detail))) throw new TypeError(`'${detail}' is not a valid RTCErrorDetailType`);
    super(String(message), 'OperationError');
    this.#errorDetail = String(detail);
    this.#sdpLineNumber = long(init.sdpLineNumber);
    this.#sctpCauseCode = long(init.sctpCauseCode);
    this.#receivedAlert = unsignedLong(init.receivedAlert);
    this.#sentAlert = unsignedLong(init.sentAlert);
    this.#httpRequestStatusCode = long(init.httpRequestStatusCode);
  }

  get errorDetail() { return this.#errorDetail; }
  get sdpLineNumber() { return this.#sdpLineNumber; }
  get sctpCauseCode() { return this.#sctpCauseCode; }
  get receivedAlert() { return this.#receivedAlert; }
  get sentAlert() { return this.#sentAlert; }
  get httpRequestStatusCode() { return this.#httpRequestStatusCode; }
}

Object.defineProperty(RTCError.prototype, Symbol.toStringTag, { value: 'RTCError', configurable: true });

class RTCErrorEvent extends Event {
  #error;

  constructor(type, init) {
    if (arguments.length < 2 || init === undefined || init === null || typeof init !== 'object') {
      throw new TypeError('RTCErrorEvent needs an RTCErrorEventInit with error');
    }
    if (!(init.error instanceof RTCError)) throw new TypeError('RTCErrorEventInit.error must be an RTCError');
    super(type, init);
    this.#error = init.error;
  }

  get error() { return this.#error; }
}

/** The error event of a data channel: an RTCError 'data-channel-failure' (webrtc-pc 6.2). */
function dataChannelErrorEvent(message) {
  return new RTCErrorEvent('error', { error: new RTCError({ errorDetail: 'data-channel-failure' }, message) });
}

module.exports = { RTCError, RTCErrorEvent, dataChannelErrorEvent };
