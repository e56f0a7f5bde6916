'use strict';
const native = require('./native');
const { w3c, toW3C, invalidState } = require('./errors');
const { RTCErrorEvent, defineEventHandlers } = require('./events');

/** Bytes of any binary payload the W3C send() takes, as a Uint8Array view. */
function bytesOf(data) {
  if (data instanceof ArrayBuffer || data instanceof SharedArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

class RTCDataChannel extends EventTarget {
  #handle;
  #state = 'connecting';
  #info;
  #binaryType = 'arraybuffer';
  #threshold = 0;
  #pendingBlobs = 0; // bytes of Blobs whose contents are still being read
  #sendChain = null; // orders sends behind a Blob being read

  /** @internal created by RTCPeerConnection */
  constructor(handle, remote = false) {
    super();
    if (typeof handle !== 'number') throw new TypeError('Illegal constructor');
    this.#handle = handle;
    this.#info = JSON.parse(native.channelInfo(handle));
    this._remote = remote;
  }

  get label() { return this.#info.label; }
  get protocol() { return this.#info.protocol; }
  get ordered() { return this.#info.ordered; }
  get maxPacketLifeTime() { return this.#info.maxPacketLifeTime; }
  get maxRetransmits() { return this.#info.maxRetransmits; }
  get negotiated() { return this.#info.negotiated; }
  get readyState() { return this.#state; }

  get id() {
    if (this.#info.id === null && this.#state !== 'closed') this.#refresh();
    return this.#info.id;
  }

  get binaryType() { return this.#binaryType; }
  set binaryType(value) {
    if (value === 'arraybuffer' || value === 'blob') this.#binaryType = value;
  }

  get bufferedAmount() {
    const queued = this.#state === 'closed' ? 0 : native.channelBufferedAmount(this.#handle);
    return queued + this.#pendingBlobs;
  }

  get bufferedAmountLowThreshold() { return this.#threshold; }
  set bufferedAmountLowThreshold(value) {
    const threshold = Math.max(0, Math.floor(Number(value) || 0)); // WebIDL unsigned long long
    this.#threshold = threshold;
    if (this.#state !== 'closed') w3c(() => native.channelSetThreshold(this.#handle, threshold));
  }

  send(data) {
    if (this.#state !== 'open') throw invalidState(`RTCDataChannel.readyState is '${this.#state}', not 'open'`);
    if (typeof Blob !== 'undefined' && data instanceof Blob) {
      this.#sendBlob(data);
      return;
    }
    const payload = typeof data === 'string' ? data : bytesOf(data);
    if (payload === null) throw new TypeError('send() takes a string, Blob, ArrayBuffer or ArrayBufferView');
    if (this.#sendChain) {
      // keep order behind a Blob still being read
      this.#sendChain = this.#sendChain.then(() => this.#sendNow(payload));
      return;
    }
    this.#sendNow(payload, true);
  }

  #sendNow(payload, throwErrors = false) {
    try {
      native.channelSend(this.#handle, payload);
    } catch (error) {
      const w3cError = toW3C(error);
      if (throwErrors) throw w3cError;
      this.dispatchEvent(new RTCErrorEvent('error', { error: w3cError }));
    }
  }

  #sendBlob(blob) {
    this.#pendingBlobs += blob.size;
    const previous = this.#sendChain || Promise.resolve();
    const chain = previous.then(async () => {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      this.#pendingBlobs -= blob.size;
      if (this.#state === 'open') this.#sendNow(bytes);
    });
    this.#sendChain = chain;
    chain.finally(() => { if (this.#sendChain === chain) this.#sendChain = null; });
  }

  close() {
    if (this.#state === 'closing' || this.#state === 'closed') return;
    this.#state = 'closing';
    try {
      native.channelClose(this.#handle);
    } catch {
      this.#closed(); // already gone with its peer connection
    }
  }

  #refresh() { this.#info = JSON.parse(native.channelInfo(this.#handle)); }

  /** @internal one library event for this channel */
  _onEvent(type, text, binary, data) {
    switch (type) {
      case 20: // OPEN
        this.#state = 'open';
        this.#refresh();
        if (this.#threshold) native.channelSetThreshold(this.#handle, this.#threshold);
        this.dispatchEvent(new Event('open'));
        break;
      case 21: { // MESSAGE
        let payload;
        if (!binary) payload = Buffer.from(data).toString('utf8');
        else payload = this.#binaryType === 'blob' ? new Blob([data]) : data;
        this.dispatchEvent(new MessageEvent('message', { data: payload }));
        break;
      }
      case 22: // BUFFERED_AMOUNT_LOW
        this.dispatchEvent(new Event('bufferedamountlow'));
        break;
      case 23: // ERROR
        this.dispatchEvent(new RTCErrorEvent('error', { error: new DOMException(text, 'OperationError') }));
        break;
      case 24: // CLOSING
        this.#state = 'closing';
        this.dispatchEvent(new Event('closing'));
        break;
      case 25: // CLOSE
        this.#closed();
        break;
      default:
    }
  }

  /** @internal */
  _closed() { this.#closed(); }

  #closed() {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.dispatchEvent(new Event('close'));
  }
}

defineEventHandlers(RTCDataChannel, ['open', 'message', 'bufferedamountlow', 'error', 'closing', 'close']);

module.exports = { RTCDataChannel };
