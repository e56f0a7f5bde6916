'use strict';
// The media examples run on a small VP8 IVF file made here (no encoder needed).
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'examples', 'node');
const NODE_PATH = [require('./package-under-test').modules, path.join(__dirname, '..', 'node_modules')].join(path.delimiter);

/** 30 distinct fake VP8 frames, the first a keyframe, in an IVF file. */
function fakeIvf(file, frames = 30) {
  const header = Buffer.alloc(32);
  header.write('DKIF', 0);
  header.writeUInt16LE(32, 6);
  header.write('VP80', 8);
  header.writeUInt16LE(320, 12);
  header.writeUInt16LE(240, 14);
  header.writeUInt32LE(30, 16);
  header.writeUInt32LE(1, 20);
  header.writeUInt32LE(frames, 24);
  const parts = [header];
  for (let i = 0; i < frames; i++) {
    const frame = Buffer.concat([Buffer.from([i === 0 ? 0 : 1]), Buffer.from(`frame-${i}`.repeat(40))]);
    const head = Buffer.alloc(12);
    head.writeUInt32LE(frame.length, 0);
    head.writeBigUInt64LE(BigInt(i), 4);
    parts.push(head, frame);
  }
  fs.writeFileSync(file, Buffer.concat(parts));
}

function run(...args) {
  const done = spawnSync(process.execPath, args, { env: { ...process.env, NODE_PATH }, encoding: 'utf8', timeout: 60000 });
  assert.equal(done.status, 0, done.stdout + done.stderr);
  return done.stdout;
}

test('play_file example', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnirtc-media-'));
  fakeIvf(path.join(dir, 'in.ivf'));
  const out = run(path.join(EXAMPLES, 'play_file.js'), path.join(dir, 'in.ivf'));
  assert.match(out, /played 30 frames, viewer received 30/);
  assert.match(out, /all frames arrived intact/);
});

test('record_file example', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnirtc-media-'));
  fakeIvf(path.join(dir, 'in.ivf'));
  const target = path.join(dir, 'out.ivf');
  const out = run(path.join(EXAMPLES, 'record_file.js'), path.join(dir, 'in.ivf'), target);
  assert.match(out, new RegExp(`sent 30 frames; ${target} holds 30 frames`));
});
