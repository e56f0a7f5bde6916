'use strict';
// Media files: IVF (VP8/VP9/AV1), Ogg/Opus and H264 Annex-B.
const native = require('./native');
const { w3c } = require('./errors');

/** Reads a file's frames: `for (const frame of reader)`, each {data, duration (s), keyframe}. */
class MediaReader {
  constructor(path, options = {}) {
    const [handle, info] = w3c(() => native.mediaReaderOpen(String(path), JSON.stringify(options)));
    this._handle = handle;
    /** format, codec (a MIME type for EncodedTrack), width, height, frameCount, channels, sampleRate */
    this.info = JSON.parse(info);
  }

  /** The next frame, or null at the end. */
  read() {
    const frame = w3c(() => native.mediaReaderNext(this._handle));
    return frame && { data: new Uint8Array(frame.data), duration: frame.duration / 1e6, keyframe: frame.keyframe };
  }

  * [Symbol.iterator]() {
    for (let frame = this.read(); frame; frame = this.read()) yield frame;
  }

  close() {
    if (this._handle) w3c(() => native.mediaReaderClose(this._handle));
    this._handle = 0;
  }
}

/** Records RTP packets (a remote track in 'rtp' mode) into a file. */
class MediaWriter {
  constructor(path, options = {}) {
    this._handle = w3c(() => native.mediaWriterOpen(String(path), JSON.stringify(options)));
  }

  writeRtp(packet) { w3c(() => native.mediaWriterWriteRtp(this._handle, packet)); }

  close() {
    if (this._handle) w3c(() => native.mediaWriterClose(this._handle));
    this._handle = 0;
  }
}

module.exports = { MediaReader, MediaWriter };
