'use strict';
const native = require('./native');
const { w3c, toW3C, invalidState } = require('./errors');
const { defineEventHandlers } = require('./events');
const { dataChannelErrorEvent } = require('./rtcerror');
const { C, stateNames } = require('./constants');

/** Bytes of any binary payload the W3C send() takes, as a Uint8Array view. */
function bytesOf(data) {
  if (data instanceof ArrayBuffer || data instanceof SharedArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

// Messages up to BATCHED bytes are copied into a per-channel batch and sent by
// one native call per JavaScript task (or every FLUSH_AT bytes), since each
// call into the library costs far more than the copy. Larger ones go straight
// through, after whatever is batched, so the order is kept, and so does any
// that would take bufferedAmount past the library's limit: the library refuses
// it (OperationError) while send() can still throw.
const BATCHED = 16 * 1024;
const FLUSH_AT = 256 * 1024;

const STATES = stateNames('CHANNEL_');
const ORDER = ['connecting', 'open', 'closing', 'closed'];

class RTCDataChannel extends EventTarget {
  #handle;
  // readyState is the library's state (asked once per task, like
  // bufferedAmount; 'closing' until it hands over the close event:
  // webrtc-pc 6.2), except while an event is dispatched, whose listeners see
  // the state it reports (#shown), and never behind #state, the state the
  // events and close() have reported.
  #state = 'connecting';
  #shown = null;
  #live = null;
  #info;
  #binaryType = 'arraybuffer';
  #threshold = 0;
  #pendingBlobs = 0; // bytes of Blobs whose contents are still being read
  #sendChain = null; // orders sends behind a Blob being read
  #peer; // the peer connection's handle, for its maximum message size
  // The batch: #count messages, #length bytes in #bytes; #sizes[i] is a
  // message's length, or ~length for text.
  #bytes = null;
  #sizes = null;
  #count = 0;
  #length = 0;
  // What the library said in this task: bufferedAmount (-1: ask again) and the
  // maximum message size. Within one task bufferedAmount only grows by sends,
  // as the W3C spec has it.
  #queued = -1;
  #maxSize = -1;
  #forgetting = false;

  /** @internal created by RTCPeerConnection; a remote channel's info comes
   * with its event, as the library may have released it since */
  constructor(handle, peer = 0, infoJson = native.channelInfo(handle)) {
    super();
    if (typeof handle !== 'number') throw new TypeError('Illegal constructor');
    this.#handle = handle;
    this.#peer = peer;
    this.#info = JSON.parse(infoJson);
  }

  get label() { return this.#info.label; }
  get protocol() { return this.#info.protocol; }
  get ordered() { return this.#info.ordered; }
  get maxPacketLifeTime() { return this.#info.maxPacketLifeTime; }
  get maxRetransmits() { return this.#info.maxRetransmits; }
  get negotiated() { return this.#info.negotiated; }
  get readyState() {
    if (this.#state === 'closed') return 'closed';
    if (this.#shown) return this.#shown;
    const live = this.#liveState();
    return ORDER.indexOf(live) < ORDER.indexOf(this.#state) ? this.#state : live;
  }

  #liveState() {
    if (this.#live === null) {
      try {
        this.#live = STATES[native.channelReadyState(this.#handle)];
      } catch {
        this.#live = 'closed'; // released with its close event
      }
      this.#forgetLater();
    }
    return this.#live;
  }

  /** @internal runs fn (which dispatches an event) while readyState says state */
  _showing(state, fn) {
    const previous = this.#shown;
    this.#shown = state;
    try {
      fn();
    } finally {
      this.#shown = previous;
    }
  }

  get id() {
    if (this.#info.id === null && this.#state !== 'closed') this.#refresh();
    return this.#info.id;
  }

  get binaryType() { return this.#binaryType; }
  set binaryType(value) {
    if (value === 'arraybuffer' || value === 'blob') this.#binaryType = value;
  }

  get bufferedAmount() {
    if (this.#state === 'closed') return this.#pendingBlobs;
    if (this.#queued < 0) {
      this.#queued = native.channelBufferedAmount(this.#handle);
      this.#forgetLater();
    }
    return this.#queued + this.#length + this.#pendingBlobs;
  }

  /** Forgets what the library said once this task ends. */
  #forgetLater() {
    if (this.#forgetting) return;
    this.#forgetting = true;
    queueMicrotask(() => { this.#queued = -1; this.#maxSize = -1; this.#live = null; this.#forgetting = false; });
  }

  get bufferedAmountLowThreshold() { return this.#threshold; }
  set bufferedAmountLowThreshold(value) {
    const threshold = Math.max(0, Math.floor(Number(value) || 0)); // WebIDL unsigned long long
    this.#threshold = threshold;
    if (this.#state !== 'closed') w3c(() => native.channelSetThreshold(this.#handle, threshold));
  }

  send(data) {
    const state = this.readyState;
    if (state !== 'open') throw invalidState(`RTCDataChannel.readyState is '${state}', not 'open'`);
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
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
    if (size > BATCHED || this.bufferedAmount + size > C.MAX_BUFFERED_AMOUNT) {
      this.#flush();
      try {
        native.channelSend(this.#handle, payload);
        if (this.#queued >= 0) this.#queued += size;
      } catch (error) {
        const w3cError = toW3C(error);
        if (throwErrors) throw w3cError;
        this.dispatchEvent(dataChannelErrorEvent(w3cError.message));
      }
      return;
    }
    if (this.#maxSize < 0) {
      try {
        this.#maxSize = native.maxMessageSize(this.#peer);
      } catch {
        this.#maxSize = Infinity; // the peer is closing: the library will say why
      }
      this.#forgetLater();
    }
    if (size > this.#maxSize) {
      const error = new TypeError(`message of ${size} bytes is over the maximum message size of ${this.#maxSize} bytes`);
      if (throwErrors) throw error;
      this.dispatchEvent(dataChannelErrorEvent(error.message));
      return;
    }
    this.#append(payload, size);
    if (this.#length >= FLUSH_AT) this.#flush();
  }

  #append(payload, size) {
    if (this.#count === 0) queueMicrotask(() => this.#flush(true));
    if (this.#bytes === null || this.#length + size > this.#bytes.length) {
      const bytes = Buffer.allocUnsafe(Math.max(2 * (this.#length + size), 64 * 1024));
      if (this.#bytes !== null) bytes.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = bytes;
    }
    if (this.#sizes === null || this.#count === this.#sizes.length) {
      const sizes = new Int32Array(this.#sizes === null ? 1024 : 2 * this.#sizes.length);
      if (this.#sizes !== null) sizes.set(this.#sizes);
      this.#sizes = sizes;
    }
    if (typeof payload === 'string') {
      this.#bytes.write(payload, this.#length, size, 'utf8');
      this.#sizes[this.#count++] = ~size;
    } else {
      this.#bytes.set(payload, this.#length);
      this.#sizes[this.#count++] = size;
    }
    this.#length += size;
  }

  /** Sends the batch; a failure is an error event (send() has returned).
   * At the end of a task a large batch buffer is given back. */
  #flush(endOfTask = false) {
    const count = this.#count;
    if (count === 0) return;
    const length = this.#length;
    this.#count = 0;
    this.#length = 0;
    if (this.#liveState() !== 'open') return; // closed under it: nothing more is sent
    try {
      native.channelSendBatch(this.#handle, this.#bytes, this.#sizes, count);
      if (this.#queued >= 0) this.#queued += length;
    } catch (error) {
      this.#queued = -1;
      // A channel closing under the batch drops the rest, as browsers do; its
      // closing and close events follow. Anything else is an error event.
      const closing = error.code === 'OMNIRTC_ERR_INVALID_STATE' || error.code === 'OMNIRTC_ERR_INVALID_HANDLE';
      if (!closing && this.#liveState() === 'open') this.dispatchEvent(dataChannelErrorEvent(error.message));
    }
    if (endOfTask && this.#bytes.length > 64 * 1024) {
      this.#bytes = null;
      this.#sizes = null;
    }
  }

  #sendBlob(blob) {
    this.#pendingBlobs += blob.size;
    const previous = this.#sendChain || Promise.resolve();
    const chain = previous.then(async () => {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      this.#pendingBlobs -= blob.size;
      if (this.readyState === 'open') this.#sendNow(bytes);
    });
    this.#sendChain = chain;
    chain.finally(() => { if (this.#sendChain === chain) this.#sendChain = null; });
  }

  close() {
    const state = this.readyState;
    if (state === 'closing' || state === 'closed') return;
    this.#flush(); // what was sent before close() is still delivered
    this.#state = 'closing';
    this.#live = 'closing';
    this.#forgetLater();
    try {
      native.channelClose(this.#handle);
    } catch {
      this.#closed(); // already gone with its peer connection
    }
  }

  #refresh() { this.#info = JSON.parse(native.channelInfo(this.#handle)); }

  /** @internal one library event for this channel */
  _onEvent(type, data, fields) {
    switch (type) {
      case C.EVENT_CHANNEL_OPEN:
        this.#state = 'open';
        this.#info = JSON.parse(fields.infoJson); // the id is known now; the handle may be gone
        try {
          if (this.#threshold) native.channelSetThreshold(this.#handle, this.#threshold);
        } catch {
          // released by the library: its close event follows
        }
        this._showing('open', () => this.dispatchEvent(new Event('open')));
        break;
      case C.EVENT_CHANNEL_MESSAGE: // data holds consecutive messages, a string for text
        for (const payload of data) {
          const value = typeof payload !== 'string' && this.#binaryType === 'blob' ? new Blob([payload]) : payload;
          this.dispatchEvent(new MessageEvent('message', { data: value }));
        }
        break;
      case C.EVENT_CHANNEL_BUFFERED_AMOUNT_LOW:
        this.dispatchEvent(new Event('bufferedamountlow'));
        break;
      case C.EVENT_CHANNEL_ERROR:
        this.dispatchEvent(dataChannelErrorEvent(fields.message));
        break;
      case C.EVENT_CHANNEL_CLOSING:
        this.#state = 'closing';
        this._showing('closing', () => this.dispatchEvent(new Event('closing')));
        break;
      case C.EVENT_CHANNEL_CLOSE:
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
