'use strict';
// WHIP (RFC 9725) and WHEP signaling (omnirtc.h, "WHIP and WHEP"):
//
//   const pc = new RTCPeerConnection();
//   pc.addTransceiver(track, { direction: 'sendonly' });
//   const session = await whipPublish('http://127.0.0.1:8080/whip', pc, { token: 'secret' });
//   await session.close();
//
//   const server = new WhipServer({ token: 'secret' });
//   server.addEventListener('session', (e) => server.answer(e.session, new RTCPeerConnection()));
//
// The HTTP and SDP-fragment work is the library's; its events are drained on
// the main thread (src/whip.c) and dispatched here. A session or a server
// takes the peer connection it runs on: when it ends, refused or closed, that
// peer connection closes, so a refused publish keeps nothing alive.
const native = require('./native');
const { w3c } = require('./errors');
const { defineEventHandlers } = require('./events');
const { handleOf } = require('./rtcpeerconnection');
const { C } = require('./constants');

/** A WHIP request that failed; status is its HTTP status (0 when none came). */
class WhipError extends Error {
  constructor(message, status) {
    super(message);
    this.name = 'WhipError';
    this.status = status;
  }
}

/** Closes a live handle (0: none); one the library closed already (a session that ended by itself, shutdown) is no error. */
function closeHandle(handle) {
  if (!handle) return;
  try {
    native.whipClose(handle);
  } catch (error) {
    if (error.code !== 'OMNIRTC_ERR_INVALID_HANDLE') throw error;
  }
}

/** A client session of whipPublish or whepPlay. */
class WhipSession extends EventTarget {
  #handle;
  #closed;
  #resolveClosed;
  #connect = {};
  #restarts = [];

  /** Starts a session on pc with options ({token, trickle}); use whipPublish or whepPlay. */
  constructor(pc, url, options = {}) {
    super();
    this.pc = pc;
    this.resource = '';
    this.#closed = new Promise((resolve) => { this.#resolveClosed = resolve; });
    this.connected = new Promise((resolve, reject) => { this.#connect = { resolve, reject }; });
    this.connected.catch(() => {}); // awaited by whipPublish; unobserved otherwise
    const json = JSON.stringify({ token: String(options.token ?? ''), trickle: Boolean(options.trickle) });
    this.#handle = w3c(() => native.whipClientStart(handleOf(pc), String(url), json, this.#onEvent.bind(this)));
  }

  #onEvent(type, _session, status, _path, _sdp, resource, reason) {
    if (type === C.WHIP_EVENT_CONNECTED) {
      this.resource = resource;
      this.#connect.resolve();
    } else if (type === C.WHIP_EVENT_ICE_RESTARTED) {
      this.#restarts.shift()?.resolve();
    } else if (type === C.WHIP_EVENT_ERROR) {
      const error = new WhipError(reason, status);
      this.#connect.reject(error); // no-op once connected
      const restart = this.#restarts.shift();
      if (restart) restart.reject(error);
      else this.dispatchEvent(Object.assign(new Event('error'), { error }));
    } else if (type === C.WHIP_EVENT_CLOSED) {
      this.#handle = 0;
      const error = new WhipError(`the session ended: ${reason}`, 0);
      this.#connect.reject(error);
      for (const restart of this.#restarts.splice(0)) restart.reject(error);
      this.#resolveClosed();
      this.dispatchEvent(new Event('close'));
    }
  }

  /** Restarts ICE through a PATCH of the resource; resolves once negotiated. */
  restartIce() {
    return new Promise((resolve, reject) => {
      this.#restarts.push({ resolve, reject });
      try {
        w3c(() => native.whipClientRestartIce(this.#handle));
      } catch (error) {
        this.#restarts.pop();
        reject(error);
      }
    });
  }

  /** Ends the session (DELETE); resolves once its 'close' event was dispatched. Idempotent. */
  close() {
    closeHandle(this.#handle);
    this.#handle = 0;
    return this.#closed;
  }
}

async function connect(url, pc, options) {
  const session = new WhipSession(pc, url, options);
  try {
    await session.connected;
  } catch (error) {
    await session.close(); // the refused session closed itself, and its peer connection
    pc.close();
    throw error;
  }
  return session;
}

/**
 * Publishes pc's tracks to a WHIP endpoint; resolves once the answer is applied.
 * With trickle, the offer goes before ICE gathering is complete and the later
 * candidates follow in PATCH requests. A refusal rejects with a WhipError
 * carrying the HTTP status, and pc is closed.
 * @param {string} url
 * @param {import('./rtcpeerconnection').RTCPeerConnection} pc
 * @param {{token?: string, trickle?: boolean}} [options]
 */
function whipPublish(url, pc, options = {}) {
  return connect(url, pc, options);
}

/**
 * Plays a WHEP endpoint into pc: a peer connection without transceivers gets a
 * receive-only audio and video one; its 'track' events bring the media.
 * @param {string} url
 * @param {import('./rtcpeerconnection').RTCPeerConnection} pc
 * @param {{token?: string, trickle?: boolean}} [options]
 */
function whepPlay(url, pc, options = {}) {
  if (pc.getTransceivers().length === 0) {
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addTransceiver('video', { direction: 'recvonly' });
  }
  return connect(url, pc, options);
}

/** A WhipServer's 'session' (an offer to answer or reject) and 'sessionended' events. */
class WhipSessionEvent extends Event {
  constructor(type, init = {}) {
    super(type, init);
    this.session = init.session ?? 0;
    this.path = init.path ?? '';
    this.sdp = init.sdp ?? '';
    this.reason = init.reason ?? '';
  }
}

/** A WHIP and WHEP server on an address of this host. */
class WhipServer extends EventTarget {
  url = '';
  #handle;
  #closed;
  #resolveClosed;
  #peers = new Map();

  /** config: an object or JSON text with the keys of omnirtc_whip_server_start. */
  constructor(config = {}) {
    super();
    const text = typeof config === 'string' ? config : JSON.stringify(config ?? {});
    this.#closed = new Promise((resolve) => { this.#resolveClosed = resolve; });
    [this.#handle, this.url] = w3c(() => native.whipServerStart(text, this.#onEvent.bind(this)));
  }

  #onEvent(type, session, _status, path, sdp, _resource, reason) {
    if (type === C.WHIP_EVENT_SESSION) {
      this.dispatchEvent(new WhipSessionEvent('session', { session, path, sdp }));
    } else if (type === C.WHIP_EVENT_SESSION_ENDED) {
      this.#peers.get(session)?.close(); // the library closed it: release the handle
      this.#peers.delete(session);
      this.dispatchEvent(new WhipSessionEvent('sessionended', { session, reason }));
    } else if (type === C.WHIP_EVENT_CLOSED) {
      this.#handle = 0;
      this.#resolveClosed();
      this.dispatchEvent(new Event('close'));
    }
  }

  /** Answers a session with pc (its remote description is the offer unless already set); the server closes pc when the session ends. */
  answer(session, pc) {
    w3c(() => native.whipServerAnswer(this.#handle, Number(session), handleOf(pc)));
    this.#peers.set(Number(session), pc);
  }

  /** Refuses a session with an HTTP status (400 to 599) and a reason for the client. */
  reject(session, status = 403, reason = '') {
    w3c(() => native.whipServerReject(this.#handle, Number(session), Math.trunc(status), String(reason)));
  }

  /** Stops the server, ending its sessions; resolves once its 'close' event was dispatched. Idempotent. */
  close() {
    closeHandle(this.#handle);
    this.#handle = 0;
    return this.#closed;
  }
}

defineEventHandlers(WhipSession, ['error', 'close']);
defineEventHandlers(WhipServer, ['session', 'sessionended', 'close']);

module.exports = { WhipError, WhipServer, WhipSession, WhipSessionEvent, whipPublish, whepPlay };
