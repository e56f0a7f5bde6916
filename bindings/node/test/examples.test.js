'use strict';
// Every Node example runs, resolving `omnirtc` to this package.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'examples', 'node');
// `omnirtc` resolves to the package under test (package-under-test.js), `ws` to its dev dependency.
const NODE_PATH = [require('./package-under-test').modules, path.join(__dirname, '..', 'node_modules')].join(path.delimiter);

function run(args, onLine = () => {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, NODE_PATH } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; onLine(out); });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

test('datachannel example', async () => {
  const { code, out } = await run([path.join(EXAMPLES, 'datachannel.js')]);
  assert.equal(code, 0, out);
  assert.match(out, /bob got: hello bob/);
  assert.match(out, /alice got: echo: hello bob/);
});

test('two-process example with WebSocket signaling', async () => {
  const script = path.join(EXAMPLES, 'two-process.js');
  let ready;
  const listening = new Promise((resolve) => { ready = resolve; });
  const answerer = run([script, 'answer', '9418'], (out) => out.includes('listening') && ready());
  await Promise.race([listening, answerer.then(({ out }) => { throw new Error(`answerer exited: ${out}`); })]);
  const offerer = await run([script, 'offer', '9418']);
  const answered = await answerer;
  assert.equal(offerer.code, 0, offerer.out);
  assert.equal(answered.code, 0, answered.out);
  assert.match(offerer.out, /offerer got: pong for ping 3/);
  assert.match(offerer.out, /offerer: done/);
  assert.match(answered.out, /answerer: done/);
});

test('forward example', async () => {
  const { code, out } = await run([path.join(EXAMPLES, 'forward.js')]);
  assert.equal(code, 0, out);
  assert.match(out, /small viewer receives: q{10}\n/);
  assert.match(out, /large viewer receives: f{10}\n/);
  assert.match(out, /small viewer, moved to h, receives: h{10}\n/);
  assert.match(out, /"rid":"h".*"started":true/);
});
