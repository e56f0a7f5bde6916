'use strict';
// The built-in TURN/STUN server (omnirtc.h, "TURN server") as an EventTarget:
//
//   const server = new TurnServer({ listeners: [{ transport: 'udp', address: '0.0.0.0:3478' }],
//                                   relay: { address: '203.0.113.7' }, users: { alice: 'secret' } });
//   server.addEventListener('allocationcreated', (e) => console.log(e.username, e.relayAddress));
//   server.stats().allocations;
//   await server.close();
//
// A running server keeps the process alive until it is closed. The optional
// `auth(username, realm, clientAddress)` returns the password of a user that is
// neither in `users` nor a valid REST credential, or null to refuse. It must
// be synchronous: a library thread waits for it (at most 2 s, then the user is
// refused), so a busy main thread delays TURN authentication.
const crypto = require('node:crypto');
const native = require('./native');
const { w3c } = require('./errors');
const { defineEventHandlers } = require('./events');

const { C } = require('./constants');

const ALLOCATION_EVENTS = new Map([[C.TURN_EVENT_ALLOCATION_CREATED, 'allocationcreated'],
  [C.TURN_EVENT_ALLOCATION_DELETED, 'allocationdeleted']]);

/** allocationcreated / allocationdeleted */
class TurnAllocationEvent extends Event {
  constructor(type, init = {}) {
    super(type, init);
    this.username = init.username ?? '';
    this.realm = init.realm ?? '';
    this.clientAddress = init.clientAddress ?? '';
    this.relayAddress = init.relayAddress ?? ''; // '' for allocationdeleted
    this.protocol = init.protocol ?? ''; // 'UDP' or 'TCP'
  }
}

class TurnServer extends EventTarget {
  #handle;
  #closed;
  #resolveClosed;

  /**
   * config: an object or JSON text with the keys of omnirtc_turn_server_start.
   * options.auth: optional (username, realm, clientAddress) => password | null.
   * @param {object | string} config
   * @param {{auth?: Function}} [options]
   */
  constructor(config, { auth } = {}) {
    super();
    const text = typeof config === 'string' ? config : JSON.stringify(config ?? {});
    if (auth !== undefined && typeof auth !== 'function') throw new TypeError('auth must be a function');
    this.#closed = new Promise((resolve) => { this.#resolveClosed = resolve; });
    const ask = auth && ((username, realm, client) => {
      try {
        const password = auth(username, realm, client);
        return typeof password === 'string' ? password : null;
      } catch {
        return null; // a failing auth function refuses the user
      }
    });
    this.#handle = w3c(() => native.turnServerStart(text, this.#onEvent.bind(this), ask));
  }

  #onEvent(type, username, realm, clientAddress, relayAddress, protocol) {
    if (type === C.TURN_EVENT_CLOSED) {
      this.#handle = 0;
      this.#resolveClosed();
      this.dispatchEvent(new Event('close'));
      return;
    }
    const name = ALLOCATION_EVENTS.get(type);
    if (name) {
      this.dispatchEvent(new TurnAllocationEvent(name, { username, realm, clientAddress, relayAddress, protocol }));
    }
  }

  /** Allocations, bytes relayed, failures and the listeners' actual addresses. */
  stats() {
    return JSON.parse(w3c(() => native.turnServerStats(this.#handle)));
  }

  /** Stops the server; resolves once its 'close' event was dispatched. Idempotent. */
  close() {
    if (this.#handle) {
      const handle = this.#handle;
      this.#handle = 0;
      try {
        native.turnServerClose(handle);
      } catch (error) {
        if (error.code !== 'OMNIRTC_ERR_INVALID_HANDLE') throw error; // else closed by shutdown
      }
    }
    return this.#closed;
  }

  /**
   * A time-limited credential for a server's sharedSecret, as coturn's
   * use-auth-secret: { username: '<expiry>:<user>', credential: base64(HMAC-SHA1) }.
   */
  static restCredential(secret, user, ttlSeconds = 86400) {
    if (String(user).includes(':')) throw new TypeError("a REST user name may not contain ':'");
    const username = `${Math.floor(Date.now() / 1000) + Math.trunc(ttlSeconds)}:${user}`;
    const credential = crypto.createHmac('sha1', String(secret)).update(username).digest('base64');
    return { username, credential };
  }
}

defineEventHandlers(TurnServer, ['allocationcreated', 'allocationdeleted', 'close']);

module.exports = { TurnServer, TurnAllocationEvent };
