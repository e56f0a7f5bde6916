'use strict';
// The host process stays in charge: the loop stays alive while a peer is
// open and exits by itself once all are closed; a throwing handler behaves as
// in Node's own EventTarget and leaves the library working.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');

const HELPERS = path.join(__dirname, 'helpers.js');

function node(code, timeout = 20000) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', `const h = require(${JSON.stringify(HELPERS)});\n${code}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, out, err }); });
  });
}

test('the process exits by itself once every peer connection is closed', async () => {
  const { code, out, err } = await node(`
    h.openPair().then(([a, b, local, remote]) => {
      remote.onmessage = () => { a.close(); b.close(); console.log('closed'); };
      local.send('bye');
    });`);
  assert.equal(code, 0, err);
  assert.match(out, /closed/);
});

test('an open peer connection keeps the process alive', async () => {
  const { signal, out } = await node(`
    h.openPair().then(() => console.log('open'));`, 3000);
  assert.match(out, /open/);
  assert.equal(signal, 'SIGKILL'); // still running when killed
});

test('a throwing handler is reported like EventTarget does, and the library keeps working', async () => {
  const { code, out, err } = await node(`
    process.on('uncaughtException', (e) => console.log('reported:', e.message));
    h.openPair().then(([a, b, local, remote]) => {
      let n = 0;
      remote.addEventListener('message', () => { n += 1; if (n === 1) throw new Error('boom'); });
      remote.addEventListener('message', (e) => {
        console.log('second listener got', e.data);
        if (e.data === 'two') { a.close(); b.close(); }
      });
      local.send('one');
      local.send('two');
    });`);
  assert.equal(code, 0, err);
  assert.match(out, /reported: boom/);
  assert.match(out, /second listener got one/);
  assert.match(out, /second listener got two/);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  test(`${signal} handlers of the host keep working while data flows`, async () => {
    const child = spawn(process.execPath, ['-e', `
      const h = require(${JSON.stringify(HELPERS)});
      h.openPair().then(([a, b, local]) => {
        const ticker = setInterval(() => local.send('tick'), 1); // busy with the library when the signal lands
        process.on('${signal}', () => { console.log('got ${signal}'); clearInterval(ticker); a.close(); b.close(); });
        console.log('ready');
      });`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise((resolve) => child.stdout.on('data', (d) => { out += d; if (out.includes('ready')) resolve(); }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill(signal);
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
    assert.match(out, new RegExp(`got ${signal}`));
  });
}
