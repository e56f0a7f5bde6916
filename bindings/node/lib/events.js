'use strict';
// The event classes of the W3C API and the on<event> attributes.

class RTCPeerConnectionIceEvent extends Event {
  constructor(type, init = {}) {
    super(type, init);
    this.candidate = init.candidate ?? null;
    this.url = init.url ?? null;
  }
}

class RTCDataChannelEvent extends Event {
  constructor(type, init) {
    super(type, init);
    if (!init || !init.channel) throw new TypeError('RTCDataChannelEvent needs a channel');
    this.channel = init.channel;
  }
}

/** Defines on<name> attributes that hold one listener each, as browsers do. */
function defineEventHandlers(cls, names) {
  for (const name of names) {
    const key = Symbol(`on${name}`);
    Object.defineProperty(cls.prototype, `on${name}`, {
      get() { return this[key]?.handler ?? null; },
      set(handler) {
        if (this[key]) this.removeEventListener(name, this[key].listener);
        this[key] = null;
        if (typeof handler === 'function') {
          const listener = (event) => handler.call(this, event);
          this[key] = { handler, listener };
          this.addEventListener(name, listener);
        }
      },
      configurable: true,
      enumerable: true,
    });
  }
}

module.exports = { RTCPeerConnectionIceEvent, RTCDataChannelEvent, defineEventHandlers };
