// The interop agent for any W3C WebRTC implementation: the browser page runs
// it over Chromium's or Firefox's RTCPeerConnection, node-peer.js over the
// omnirtc Node binding's. It obeys the runner's operations (PROTOCOL.md) and
// reports events; c_peer.c and python_peer.py speak the same protocol.
(function (root) {
  'use strict';

  const CRC_TABLE = (() => {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  /** CRC-32 (zlib's) of bytes, continuing from crc. */
  function crc32(bytes, crc = 0) {
    let c = ~crc >>> 0;
    for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return ~c >>> 0;
  }

  /** Running totals of the messages sent or received on one channel: count,
   * bytes, CRC of the whole stream (order-sensitive) and the sum of every
   * message's CRC (order-insensitive, for unordered channels). */
  class Tally {
    constructor() { Object.assign(this, { count: 0, bytes: 0, crc: 0, sum: 0, text: 0, binary: 0 }); }
    add(bytes, binary) {
      this.count++;
      this.bytes += bytes.length;
      this.crc = crc32(bytes, this.crc);
      this.sum = (this.sum + crc32(bytes)) >>> 0;
      if (binary) this.binary++; else this.text++;
    }
    result() { return { ...this }; }
  }

  const encoder = new TextEncoder();
  const TEXT_UNIT = 'héllo wörld ✓ ';

  /** Message i of a send: pseudo-random bytes, or UTF-8 text with
   * multi-byte characters, about `size` bytes. */
  function payload(binary, size, i) {
    if (!binary) {
      // TEXT_UNIT is 14 characters in 18 UTF-8 bytes
      const text = `${i} ` + TEXT_UNIT.repeat(Math.ceil(size / 14));
      return [...text].slice(0, Math.max(1, Math.floor(size * 14 / 18))).join('');
    }
    const bytes = new Uint8Array(size);
    let x = (0x9e3779b9 ^ (i + 1) * 0x85ebca6b) >>> 0 || 1;
    for (let k = 0; k < size; k++) {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      bytes[k] = x & 0xff;
    }
    return bytes;
  }

  function bytesOf(data) {
    if (typeof data === 'string') return encoder.encode(data);
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    throw new TypeError(`unexpected message data ${Object.prototype.toString.call(data)}`);
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const HIGH_WATER = 1 << 20;

  /**
   * createAgent({RTCPeerConnection, emit, media}) returns handle(message):
   * emit(obj) sends an event or reply to the runner; handle takes one
   * operation. `media` is for a library that takes media its own way
   * (node-peer.js): created(pc) after `create`, track(event) instead of
   * playing a received track, ops (more operations), closing() before
   * `closePeer`.
   */
  function createAgent({ RTCPeerConnection, emit, media = {} }) {
    let pc = null;
    const channels = new Map(); // label -> RTCDataChannel
    const received = new Map(); // label -> Tally
    const expects = []; // {label, count, id}
    let signaling = Promise.resolve(); // descriptions and candidates, in order
    let queued = []; // remote candidates before the remote description
    let perfect = null; // {polite, rollback} in perfect-negotiation mode
    let ignoreOffer = false;

    const tally = (label) => {
      if (!received.has(label)) received.set(label, new Tally());
      return received.get(label);
    };

    function settle() {
      for (let i = expects.length - 1; i >= 0; i--) {
        const e = expects[i];
        const t = tally(e.label);
        if (t.count >= e.count) {
          expects.splice(i, 1);
          emit({ id: e.id, ok: true, ...t.result() });
        }
      }
    }

    function adopt(channel, remote) {
      channel.binaryType = 'arraybuffer';
      channels.set(channel.label, channel);
      if (remote) {
        emit({
          ev: 'channel', label: channel.label, ordered: channel.ordered, protocol: channel.protocol,
          maxRetransmits: channel.maxRetransmits, maxPacketLifeTime: channel.maxPacketLifeTime,
        });
      }
      const opened = () => emit({ ev: 'open', label: channel.label, sctpId: channel.id });
      if (channel.readyState === 'open') opened();
      else channel.addEventListener('open', opened);
      channel.addEventListener('close', () => emit({ ev: 'close', label: channel.label }));
      channel.addEventListener('message', ({ data }) => {
        tally(channel.label).add(bytesOf(data), typeof data !== 'string');
        settle();
      });
    }

    async function describe(type, options) {
      if (perfect) await pc.setLocalDescription(); // the implicit form, as the example
      else await pc.setLocalDescription(await (type === 'offer' ? pc.createOffer(options) : pc.createAnswer()));
      emit({ ev: 'signal', signal: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
    }

    async function signal(m) {
      if (m.type === 'candidate') {
        const candidate = { candidate: m.candidate, sdpMid: m.sdpMid, sdpMLineIndex: m.sdpMLineIndex };
        if (!pc.remoteDescription) queued.push(candidate);
        else await pc.addIceCandidate(candidate).catch((e) => { if (!ignoreOffer) throw e; });
        return;
      }
      if (perfect) {
        // W3C webrtc-pc 10.7: steps run one at a time here, so "making an
        // offer" is having one applied, a signaling state other than stable.
        const collision = m.type === 'offer' && pc.signalingState !== 'stable';
        ignoreOffer = !perfect.polite && collision;
        if (ignoreOffer) { emit({ ev: 'ignored', type: m.type }); return; }
        if (collision && perfect.rollback === 'explicit') {
          await pc.setLocalDescription({ type: 'rollback' });
          emit({ ev: 'rolledBack', state: pc.signalingState });
        }
      }
      await pc.setRemoteDescription({ type: m.type, sdp: m.sdp });
      for (const c of queued.splice(0)) await pc.addIceCandidate(c);
      if (m.type === 'offer') await describe('answer');
    }

    async function send({ label, binary, size, count, pace }) {
      const channel = channels.get(label);
      if (!channel) throw new Error(`no channel '${label}'`);
      const sent = new Tally();
      channel.bufferedAmountLowThreshold = HIGH_WATER / 4;
      for (let i = 0; i < count; i++) {
        if (pace) await sleep(2);
        while (channel.bufferedAmount > HIGH_WATER) {
          await new Promise((resolve) => {
            channel.addEventListener('bufferedamountlow', resolve, { once: true });
            setTimeout(resolve, 20);
          });
        }
        const data = payload(binary, size, i);
        channel.send(data);
        sent.add(bytesOf(data), binary);
      }
      return sent.result();
    }

    /** Runs a signaling step after the ones before it, failed or not. */
    function inOrder(step) {
      signaling = signaling.catch(() => {}).then(step);
      return signaling.then(() => ({}));
    }

    /** Plays a received track in a media element, so the browser decodes
     * it as it would for a user (pages only). Audio is not muted: Chromium
     * reports no audio level for a muted element. */
    function play(track) {
      if (typeof document === 'undefined') return;
      const element = document.createElement(track.kind);
      element.muted = track.kind !== 'audio';
      element.autoplay = true;
      element.srcObject = new MediaStream([track]);
      document.body.appendChild(element);
      element.play().catch(() => {});
    }

    /** A 1280x720 canvas stream whose content changes every frame (pages only). */
    function canvasTrack() {
      const canvas = Object.assign(document.createElement('canvas'), { width: 1280, height: 720 });
      const g = canvas.getContext('2d');
      let n = 0;
      const draw = () => {
        n++;
        g.fillStyle = `hsl(${(n * 7) % 360} 70% 50%)`;
        g.fillRect(0, 0, 1280, 720);
        g.fillStyle = '#fff';
        g.font = '120px sans-serif';
        g.fillText(String(n), 100 + (n * 13) % 900, 200 + (n * 7) % 400);
        for (let i = 0; i < 40; i++) g.fillRect((i * 97 + n * 5) % 1280, (i * 53 + n * 3) % 720, 60, 60);
      };
      draw();
      const timer = setInterval(draw, 33);
      const track = canvas.captureStream(30).getVideoTracks()[0];
      track.addEventListener('ended', () => clearInterval(timer));
      return track;
    }

    /** Sends the fake camera and/or microphone, or a simulcast canvas. */
    async function addMedia({ audio, video, codec, rids }) {
      const tracks = [];
      if (rids) tracks.push(canvasTrack());
      if (audio || (video && !rids)) {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: Boolean(audio), video: Boolean(video && !rids) });
        tracks.push(...stream.getTracks());
      }
      const sent = [];
      for (const track of tracks) {
        const init = { direction: 'sendonly' };
        if (rids && track.kind === 'video') {
          init.sendEncodings = rids.map((rid, i) => ({ rid, scaleResolutionDownBy: 2 ** (rids.length - 1 - i) }));
        }
        const transceiver = pc.addTransceiver(track, init);
        if (codec && track.kind === 'video') {
          const all = RTCRtpSender.getCapabilities('video').codecs;
          const wanted = all.filter((c) => c.mimeType.toLowerCase() === `video/${codec}`.toLowerCase()
            && !/packetization-mode=0/.test(c.sdpFmtpLine || ''));
          if (!wanted.length) throw new Error(`this browser cannot send ${codec}`);
          transceiver.setCodecPreferences([...wanted, ...all.filter((c) => c.mimeType === 'video/rtx')]);
        }
        sent.push({ kind: track.kind, id: track.id, settings: track.getSettings() });
      }
      return { tracks: sent };
    }

    /** Plays tones on the first audio sender's RTCDTMFSender (webrtc-pc 7.2);
     * resolves with the tonechange tones once the final '' fired. */
    function insertDTMF({ tones, duration, interToneGap }) {
      const sender = pc.getSenders().find((s) => s.track && s.track.kind === 'audio' && s.dtmf);
      if (!sender) throw new Error('no audio sender with an RTCDTMFSender');
      const { dtmf } = sender;
      const canInsertDTMF = dtmf.canInsertDTMF;
      return new Promise((resolve) => {
        const changes = [];
        const changed = (event) => {
          changes.push(event.tone);
          if (event.tone !== '') return;
          dtmf.removeEventListener('tonechange', changed);
          resolve({ tones: changes, canInsertDTMF });
        };
        dtmf.addEventListener('tonechange', changed);
        try {
          dtmf.insertDTMF(tones, duration, interToneGap);
        } catch (error) {
          dtmf.removeEventListener('tonechange', changed);
          throw error;
        }
      });
    }

    /** The stats report as a plain object keyed by id. */
    async function stats() {
      const report = {};
      (await pc.getStats()).forEach((value, key) => { report[key] = value; });
      return { report };
    }

    const ops = {
      addMedia,
      insertDTMF,
      stats,
      create: ({ config }) => {
        pc = new RTCPeerConnection(config || {});
        pc.addEventListener('icecandidate', ({ candidate }) => {
          if (candidate && candidate.candidate) {
            emit({ ev: 'signal', signal: { type: 'candidate', candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex } });
          }
        });
        pc.addEventListener('datachannel', ({ channel }) => adopt(channel, true));
        pc.addEventListener('track', (event) => (media.track ? media.track(event) : play(event.track)));
        pc.addEventListener('signalingstatechange', () => emit({ ev: 'signaling', state: pc.signalingState }));
        pc.addEventListener('negotiationneeded', () => emit({ ev: 'negotiationneeded' }));
        pc.addEventListener('iceconnectionstatechange', () => emit({ ev: 'ice', state: pc.iceConnectionState }));
        pc.addEventListener('connectionstatechange', () => emit({ ev: 'connection', state: pc.connectionState }));
        media.created?.(pc);
        return {};
      },
      channel: ({ label, init }) => { adopt(pc.createDataChannel(label, init || {}), false); return {}; },
      // in perfect mode an offer made on negotiationneeded: none unless stable
      offer: ({ iceRestart }) => inOrder(() => (perfect && pc.signalingState !== 'stable'
        ? emit({ ev: 'skipped' }) : describe('offer', { iceRestart: Boolean(iceRestart) }))),
      perfect: ({ polite, rollback }) => { perfect = { polite, rollback }; return {}; },
      setConfiguration: ({ config }) => { pc.setConfiguration(config); return {}; },
      signal: (m) => inOrder(() => signal(m)),
      send,
      expect: ({ label, count, id }) => { expects.push({ label, count, id }); settle(); return undefined; },
      close: ({ label }) => { channels.get(label).close(); return {}; },
      closePeer: () => { media.closing?.(); pc.close(); return {}; },
      state: () => {
        const states = {};
        for (const [label, channel] of channels) states[label] = channel.readyState;
        return {
          signaling: pc.signalingState, ice: pc.iceConnectionState, connection: pc.connectionState,
          maxMessageSize: pc.sctp ? pc.sctp.maxMessageSize : null, channels: states,
        };
      },
      ...media.ops,
    };

    return function handle(message) {
      const op = ops[message.op];
      Promise.resolve()
        .then(() => {
          if (!op) throw new Error(`unknown op '${message.op}'`);
          return op(message);
        })
        .then((result) => { if (result !== undefined) emit({ id: message.id, ok: true, ...result }); })
        .catch((error) => emit({ id: message.id, error: `${error.name}: ${error.message}` }));
    };
  }

  const api = { createAgent, crc32, payload, sleep };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  else root.interopAgent = api;
})(this);
