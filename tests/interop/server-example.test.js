// aiortc's server example on OmniRTC (examples/python/server), with Chromium as
// its user: the page sends the fake camera, the Python server paints the
// middle of every frame and sends it back, and the page reads the colour back
// from the decoded video. Run by scripts/test-interop.sh in a private network
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
const PORT = 8080;
const URL = `http://127.0.0.1:${PORT}/`;
const PAINT = [255, 0, 255]; // server.py's PAINT
const TIMEOUT = 30000;

const RECORDING = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'omnirtc-server-example-')), 'received.webm');

let server;
let serverLog = '';
let chromium;

async function serverUp() {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server.py exited ${server.exitCode}:\n${serverLog}`);
    try {
      if ((await fetch(URL)).ok) return;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`server.py did not answer on ${URL}:\n${serverLog}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

before(async () => {
  server = spawn(PYTHON, [path.join(ROOT, 'examples/python/server/server.py'), '--host', '127.0.0.1', '--port', String(PORT), '--record-to', RECORDING], {
    env: { ...process.env, PYTHONPATH: path.join(ROOT, 'bindings/python') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [server.stdout, server.stderr]) stream.on('data', (d) => { serverLog += d; });
  await serverUp();
  chromium = await launchChromium({ exposeIps: true });
});

after(async () => {
  await chromium?.close();
  server?.kill('SIGINT');
  fs.rmSync(path.dirname(RECORDING), { recursive: true, force: true });
});

/** Resolves once the server has logged a line matching pattern. */
async function serverLogs(pattern) {
  const deadline = Date.now() + TIMEOUT;
  while (!pattern.test(serverLog)) {
    if (Date.now() > deadline) throw new Error(`server.py never logged ${pattern}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The recording as PyAV reads it back. */
function recorded() {
  const script = `
import av, json, sys
with av.open(sys.argv[1]) as c:
    video = list(c.decode(video=0))
with av.open(sys.argv[1]) as c:
    audio = sum(f.samples for f in c.decode(audio=0)) / c.streams.audio[0].rate
print(json.dumps({"frames": len(video), "sizes": sorted({(f.width, f.height) for f in video}),
                  "video_seconds": float(video[-1].time - video[0].time), "audio_seconds": audio}))`;
  return JSON.parse(execFileSync(PYTHON, ['-c', script, RECORDING], { encoding: 'utf8' }));
}

/** In the page: once the returned video plays, its frame size, the colours at
 * its middle and at a corner, frames decoded and the data channel's pongs. */
async function readBack(page) {
  return page.evaluate(async () => {
    const video = document.getElementById('video');
    const stats = async () => {
      let decoded = 0;
      (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') decoded = s.framesDecoded; });
      return decoded;
    };
    while (video.videoWidth === 0 || (await stats()) < 30) await new Promise((resolve) => setTimeout(resolve, 100));
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext('2d');
    context.drawImage(video, 0, 0);
    const at = (x, y) => Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3));
    const before = await stats();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return {
      width: video.videoWidth,
      height: video.videoHeight,
      middle: at(canvas.width >> 1, canvas.height >> 1),
      corner: at(4, 4),
      decodedInASecond: (await stats()) - before,
      pongs: document.getElementById('data-channel').textContent.split('\n').filter((l) => l.startsWith('< pong')).length,
    };
  });
}

test('Chromium sends its camera to the server example, which paints each frame and sends it back, and records it', { timeout: 60000 }, async (t) => {
  const log = [];
  const page = await chromium.open(URL, (line) => log.push(line));
  try {
    await page.selectOption('#video-transform', 'paint');
    await page.click('#start');
    const seen = await Promise.race([
      readBack(page),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no video came back')), TIMEOUT)),
    ]);
    t.diagnostic(JSON.stringify(seen));
    assert.deepEqual([seen.width, seen.height], [640, 480], 'the camera\'s frames, transformed, not new ones');
    const near = (a, b) => a.every((v, i) => Math.abs(v - b[i]) <= 24);
    assert.ok(near(seen.middle, PAINT), `the middle is the colour the server painted: ${seen.middle}`);
    assert.ok(!near(seen.corner, PAINT), `the corner is the camera's: ${seen.corner}`);
    assert.ok(seen.decodedInASecond >= 10, `frames keep coming: ${seen.decodedInASecond} in a second`);
    assert.ok(seen.pongs >= 1, 'the data channel answers too');

    // Stop: the tracks end, the recorder closes its file; PyAV reads the camera and microphone back.
    await page.evaluate(() => stop());
    await serverLogs(/recorder stopped/);
    const file = recorded();
    t.diagnostic(JSON.stringify(file));
    assert.deepEqual(file.sizes, [[640, 480]], 'the camera\'s frames, as sent');
    assert.ok(file.video_seconds >= 1.5, `video for as long as the call: ${file.video_seconds} s`);
    assert.ok(file.frames >= 10 * file.video_seconds, `${file.frames} frames in ${file.video_seconds} s`);
    assert.ok(Math.abs(file.audio_seconds - file.video_seconds) < 1, `audio as long as video: ${file.audio_seconds} s`);
  } catch (error) {
    error.message += `\n--- server.py:\n${serverLog.slice(-3000)}\n--- page:\n${log.join('\n').slice(-2000)}`;
    throw error;
  } finally {
    await page.close();
  }
});
