// The webcam example (examples/python/webcam) with Chromium as its viewer: a
// clip made here (H264 with B-frames) is played to the page decoded and
// re-encoded, and one without B-frames is passed through without decoding;
// the page reads the clip's colour back from the video it decodes. Run by scripts/test-interop.sh in a private network
// namespace, with the test venv's Python (PyAV, aiohttp).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawn } = require('node:child_process');
const { test, before, after } = require('node:test');
const { launchChromium } = require('./harness');

const ROOT = path.resolve(__dirname, '../..');
const PYTHON = process.env.INTEROP_MEDIA_PYTHON || path.join(ROOT, 'build/venv-python/bin/python');
const PORT = 8081;
const URL = `http://127.0.0.1:${PORT}/`;
const COLOUR = [40, 200, 120]; // the clip's frames, every pixel
const TIMEOUT = 30000;

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'omnirtc-webcam-example-'));
const CLIP = path.join(DIR, 'clip.mp4');
const CLIP_NO_B_FRAMES = path.join(DIR, 'clip-no-b-frames.mp4');

let chromium;

/** An mp4 of 6 s at file: H264 320x240 at 15 fps (with B-frames, libx264's
 * default, or without), every frame COLOUR, and an AAC tone. */
function makeClip(file, bFrames) {
  const script = `
import sys, numpy, av
with av.open(sys.argv[1], "w") as c:
    video = c.add_stream("libx264", rate=15)
    video.width, video.height, video.pix_fmt = 320, 240, "yuv420p"
    ${bFrames ? '' : 'video.options = {"bf": "0"}'}
    audio = c.add_stream("aac", rate=48000)
    frame = av.VideoFrame.from_ndarray(numpy.full((240, 320, 3), [${COLOUR}], numpy.uint8), format="rgb24")
    for i in range(90):
        frame.pts = i
        c.mux(video.encode(frame))
    tone = (numpy.sin(numpy.arange(1024) * 0.06) * 8000).astype(numpy.int16).reshape(1, -1)
    for i in range(6 * 48000 // 1024):
        samples = av.AudioFrame.from_ndarray(tone, format="s16", layout="mono")
        samples.sample_rate, samples.pts = 48000, i * 1024
        c.mux(audio.encode(samples))
    c.mux(video.encode())
    c.mux(audio.encode())`;
  execFileSync(PYTHON, ['-c', script, file]);
}

before(async () => {
  makeClip(CLIP, true);
  makeClip(CLIP_NO_B_FRAMES, false);
  chromium = await launchChromium({ exposeIps: true });
});

after(async () => {
  await chromium?.close();
  fs.rmSync(DIR, { recursive: true, force: true });
});

/** Runs webcam.py with args until stopped; resolves once its page answers. */
async function startServer(args) {
  const server = spawn(PYTHON, [path.join(ROOT, 'examples/python/webcam/webcam.py'), '--host', '127.0.0.1', '--port', String(PORT), ...args], {
    env: { ...process.env, PYTHONPATH: path.join(ROOT, 'bindings/python') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.log = '';
  for (const stream of [server.stdout, server.stderr]) stream.on('data', (d) => { server.log += d; });
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`webcam.py exited ${server.exitCode}:\n${server.log}`);
    try {
      if ((await fetch(URL)).ok) return server;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`webcam.py did not answer on ${URL}:\n${server.log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** In the page: once 20 frames were decoded, the video's size, its colour in
 * the middle, the codec and the audio packets received. */
async function watch(page) {
  return page.evaluate(async () => {
    const video = document.getElementById('video');
    const inbound = async () => {
      const seen = {};
      const report = await pc.getStats();
      report.forEach((s) => {
        if (s.type === 'inbound-rtp') seen[s.kind] = { ...s, codec: report.get(s.codecId)?.mimeType };
      });
      return seen;
    };
    while (video.videoWidth === 0 || ((await inbound()).video?.framesDecoded ?? 0) < 20) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext('2d');
    context.drawImage(video, 0, 0);
    const seen = await inbound();
    return {
      width: video.videoWidth,
      height: video.videoHeight,
      middle: Array.from(context.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data.slice(0, 3)),
      codec: seen.video.codec,
      audioPackets: seen.audio?.packetsReceived ?? 0,
      audioCodec: seen.audio?.codec,
    };
  });
}

for (const { name, args, codec, audio } of [
  { name: 'decoded and re-encoded', args: ['--play-from', CLIP], codec: 'video/VP8', audio: true },
  {
    name: 'passed through without decoding',
    args: ['--play-from', CLIP_NO_B_FRAMES, '--play-without-decoding', '--video-codec', 'video/H264'],
    codec: 'video/H264',
    audio: false,
  },
]) {
  test(`the webcam example plays a file to Chromium, ${name}`, { timeout: 60000 }, async (t) => {
    const server = await startServer(args);
    const log = [];
    const page = await chromium.open(URL, (line) => log.push(line));
    try {
      await page.click('#start');
      const seen = await Promise.race([
        watch(page),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no video played')), TIMEOUT)),
      ]);
      t.diagnostic(JSON.stringify(seen));
      assert.deepEqual([seen.width, seen.height], [320, 240], 'the clip\'s size');
      assert.ok(seen.middle.every((v, i) => Math.abs(v - COLOUR[i]) <= 24), `the clip's colour: ${seen.middle}`);
      assert.equal(seen.codec, codec);
      if (audio) {
        assert.ok(seen.audioPackets > 0, 'the clip\'s sound arrives too');
        assert.equal(seen.audioCodec, 'audio/opus');
      } else {
        assert.equal(seen.audioPackets, 0, 'AAC cannot pass through undecoded: no audio track');
      }
    } catch (error) {
      error.message += `\n--- webcam.py:\n${server.log.slice(-3000)}\n--- page:\n${log.join('\n').slice(-2000)}`;
      throw error;
    } finally {
      await page.close();
      server.kill('SIGINT');
      await new Promise((resolve) => (server.exitCode !== null ? resolve() : server.once('exit', resolve)));
    }
  });
}
