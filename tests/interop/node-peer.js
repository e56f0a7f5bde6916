// The library-side agent in Node: agent.js over the omnirtc binding's W3C
// API, speaking the interop protocol as JSON lines on stdin and stdout. The
// binding's media API (EncodedTrack, RemoteTrack 'frame' events, MediaReader)
// is not a browser's, so its media operations are here.
'use strict';
const readline = require('node:readline');
const omnirtc = require('../../bindings/node');
const { createAgent, sleep } = require('./agent');

const { RTCPeerConnection, EncodedTrack, MediaReader } = omnirtc;
const emit = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

const hasStartCode = (p, i) => (p[i] === 0 && p[i + 1] === 0 && p[i + 2] === 1)
  || (p[i] === 0 && p[i + 1] === 0 && p[i + 2] === 0 && p[i + 3] === 1);

/** The frames of one received track, each checked against its codec's
 * bitstream: VP8's frame tag and keyframe header (RFC 6386 9.1), H264's
 * Annex-B NAL units (a keyframe with an SPS and an IDR slice), Opus's TOC
 * byte. As python_peer.py's TrackTally. */
class TrackTally {
  constructor(track) {
    Object.assign(this, {
      kind: track.kind, rid: track.rid || '', mimeType: track.codec?.mimeType || '', frames: 0, keyframes: 0,
      bytes: 0, lost: 0, valid: 0, idrKeyframes: 0, width: 0, height: 0, ended: false,
    });
    Object.defineProperty(this, 'track', { value: track }); // not a result field
  }

  add(p, keyframe, lost) {
    // the received codec: the track event's is the description's first
    if (this.frames === 0) this.mimeType = this.track.codec?.mimeType || this.mimeType;
    this.frames++;
    this.bytes += p.length;
    this.lost += Math.max(lost || 0, 0);
    if (keyframe) this.keyframes++;
    const mime = this.mimeType.toLowerCase();
    let ok = false;
    if (mime === 'video/vp8' && p.length >= 3) {
      const tag = p[0] | p[1] << 8 | p[2] << 16;
      ok = ((tag >> 5) & 0x7ffff) <= p.length - 3;
      if (!(tag & 1)) {
        ok = ok && p.length >= 10 && p[3] === 0x9d && p[4] === 0x01 && p[5] === 0x2a;
        if (ok) {
          this.width = (p[6] | p[7] << 8) & 0x3fff;
          this.height = (p[8] | p[9] << 8) & 0x3fff;
          ok = this.width > 0 && this.height > 0;
        }
      }
    } else if (mime === 'video/h264') {
      const types = [];
      let bad = false;
      for (let i = 0; i < p.length; i++) {
        if (hasStartCode(p, i)) {
          i += p[i + 2] === 1 ? 3 : 4;
          if (i >= p.length || p[i] & 0x80) { bad = true; break; }
          types.push(p[i] & 0x1f);
        }
      }
      ok = !bad && types.length > 0 && hasStartCode(p, 0);
      if (keyframe && types.includes(7) && types.includes(5)) this.idrKeyframes++;
    } else if (mime === 'audio/opus') {
      ok = p.length >= 1;
    }
    if (ok) this.valid++;
  }

  result() { return { ...this }; }
}

const received = []; // TrackTally per remote track
const targets = []; // what each 'targetbitrate' event carried
const remoteVideo = []; // RemoteTrack per received video track
const tones = []; // {tone, duration} per DTMF tone received (the remote track's 'dtmf' event)
const local = []; // EncodedTrack per sent file
let playing = true;

/** Plays a file to the track in real time, from the start again at its end. */
async function play(path, track) {
  let due = Date.now();
  while (playing) {
    const reader = new MediaReader(path);
    try {
      for (const frame of reader) {
        if (!playing) return;
        track.writeSample(frame.data, frame.duration);
        due += (frame.duration || 0.02) * 1000;
        await sleep(Math.max(0, due - Date.now()));
      }
    } finally {
      reader.close();
    }
  }
}

let pc = null;
const media = {
  created: (peer) => {
    pc = peer;
    pc.setTrackReceive({ mode: 'frames' });
    pc.addEventListener('targetbitrate', ({ bitrate, source, ssrcs, mids }) => targets.push({ bitrate, source, ssrcs, mids }));
  },
  track: ({ track }) => {
    const tally = new TrackTally(track);
    received.push(tally);
    if (track.kind === 'video') remoteVideo.push(track);
    emit({ ev: 'track', kind: track.kind, rid: tally.rid, id: track.id, codec: track.codec });
    track.addEventListener('frame', (e) => tally.add(e.data, e.keyframe, e.lost));
    track.addEventListener('ended', () => { tally.ended = true; });
    track.addEventListener('dtmf', ({ tone, duration }) => tones.push({ tone, duration }));
  },
  closing: () => {
    playing = false;
    for (const track of local) track.stop();
  },
  ops: {
    sendMedia: ({ files }) => {
      for (const path of files) {
        const reader = new MediaReader(path);
        const { codec } = reader.info;
        reader.close();
        const track = new EncodedTrack({ codec, streamId: 'omnirtc-interop' });
        pc.addTrack(track);
        local.push(track);
        play(path, track).catch((e) => process.stderr.write(`playing ${path}: ${e.stack}\n`));
      }
      return {};
    },
    tracks: () => ({ tracks: received.map((t) => t.result()) }),
    targets: () => ({ targets }),
    dtmf: () => ({ tones }),
    requestBitrate: ({ bitrate }) => {
      for (const track of remoteVideo) track.requestBitrate(bitrate);
      return { tracks: remoteVideo.length };
    },
  },
};

const handle = createAgent({ RTCPeerConnection, emit, media });
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => handle(JSON.parse(line)));
lines.on('close', () => process.exit(0));
emit({ ev: 'hello', userAgent: `omnirtc-node/${omnirtc.libraryVersion()}` });
