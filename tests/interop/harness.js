// The runner's side of the interop protocol (PROTOCOL.md): the signaling
// server that serves the page, agents (a browser page over WebSocket, a
// library peer over stdio), and sessions that link two agents.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { WebSocket, WebSocketServer } = require('ws');

const ROOT = path.resolve(__dirname, '../..');
const TIMEOUT = 20000;

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// For the media cases: the fake camera and microphone, granted without a
// prompt. Only where the IPs are shown anyway: a page allowed to capture
// sees the host addresses instead of mDNS names.
const CHROMIUM_MEDIA_FLAGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required'];

/** One peer under test, whatever its transport: call(op) resolves with the
 * reply, events are kept so waitFor can look back from a mark. */
class Agent {
  constructor(name, kind) {
    this.name = name;
    this.kind = kind; // 'browser' or 'library'
    this.events = [];
    this.waiters = [];
    this.pending = new Map();
    this.nextId = 1;
    this.onSignal = null;
    this.onEvent = null; // every event, as it arrives (perfect.js)
    this.log = [];
  }

  receive(message) {
    if (message.ev === undefined) { // a reply
      const p = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!p) return;
      if (message.error) p.reject(new Error(`${this.name} ${p.op}: ${message.error}`));
      else p.resolve(message);
      return;
    }
    if (message.ev === 'signal' && this.onSignal) this.onSignal(message.signal);
    this.onEvent?.(message);
    this.events.push(message);
    for (const w of [...this.waiters]) if (w.test(message)) w.done(message);
  }

  call(op, args = {}, timeout = TIMEOUT) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: '${op}' timed out`));
      }, timeout);
      this.pending.set(id, {
        op,
        resolve: (m) => { clearTimeout(timer); resolve(m); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.transmit({ ...args, op, id });
    });
  }

  mark() { return this.events.length; }

  /** The first event since `from` that matches pred (an object of fields or
   * a function), waiting up to timeout for it. */
  waitFor(pred, from = 0, timeout = TIMEOUT) {
    const test = typeof pred === 'function' ? pred : (e) => Object.entries(pred).every(([k, v]) => e[k] === v);
    const found = this.events.slice(from).find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const w = {
        test,
        done: (e) => { clearTimeout(timer); this.waiters.splice(this.waiters.indexOf(w), 1); resolve(e); },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`${this.name}: timed out waiting for ${JSON.stringify(typeof pred === 'function' ? String(pred) : pred)}`));
      }, timeout);
      this.waiters.push(w);
    });
  }
}

/** A library peer: a child process speaking JSON lines on stdio. */
class ProcessAgent extends Agent {
  constructor(name, command, args, env) {
    super(name, 'library');
    this.child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    let buffer = '';
    this.child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim()) this.receive(JSON.parse(line));
      }
    });
    this.child.stderr.on('data', (chunk) => this.log.push(String(chunk)));
    this.child.stdin.on('error', () => {});
  }

  transmit(message) { this.child.stdin.write(`${JSON.stringify(message)}\n`); }

  async dispose() {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    const { code, signal } = await this.exited;
    clearTimeout(timer);
    return { code, signal };
  }
}

/** A browser page: agent.js in page.html, reached through the server. */
class PageAgent extends Agent {
  constructor(name) {
    super(name, 'browser');
  }

  attach(socket) {
    this.socket = socket;
    socket.on('message', (data) => this.receive(JSON.parse(data)));
  }

  transmit(message) { this.socket.send(JSON.stringify(message)); }

  async dispose() { await this.page?.close().catch(() => {}); }
}

/** The loopback HTTP server for page.html and agent.js, and the WebSocket
 * signaling endpoint the pages join. */
class Server {
  async start() {
    const files = { '/page.html': 'text/html', '/agent.js': 'text/javascript' };
    this.waiting = new Map();
    this.http = http.createServer((req, res) => {
      const file = new URL(req.url, 'http://x').pathname;
      if (!files[file]) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'content-type': files[file], 'cache-control': 'no-store' });
      res.end(fs.readFileSync(path.join(__dirname, file)));
    });
    this.wss = new WebSocketServer({ server: this.http, path: '/signal' });
    this.wss.on('connection', (socket, req) => {
      const name = new URL(req.url, 'http://x').searchParams.get('agent');
      const agent = this.waiting.get(name);
      this.waiting.delete(name);
      if (!agent) { socket.close(); return; }
      agent.attach(socket);
    });
    await new Promise((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${this.http.address().port}`;
  }

  /** Opens page.html in a new page of `browser` and waits for it to join. */
  async page(browser, name) {
    const agent = new PageAgent(name);
    this.waiting.set(name, agent);
    const hello = agent.waitFor({ ev: 'hello' });
    agent.page = await browser.open(`${this.url}/page.html?agent=${encodeURIComponent(name)}`, (line) => agent.log.push(line));
    await hello;
    return agent;
  }

  async stop() {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    await new Promise((resolve) => this.http.close(resolve));
  }
}

/** Debian's Chromium through playwright-core, in a fresh profile. With
 * exposeIps, host candidates carry addresses instead of mDNS names. */
async function launchChromium({ exposeIps }) {
  const { chromium } = require('playwright-core');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnirtc-chromium-'));
  const args = [...CHROMIUM_FLAGS];
  if (exposeIps) args.push('--disable-features=WebRtcHideLocalIpsWithMdns', ...CHROMIUM_MEDIA_FLAGS);
  const context = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', args, headless: true });
  return {
    name: 'chromium',
    /** Opens url in a new page; log receives its console lines. */
    open: async (url, log) => {
      const page = await context.newPage();
      page.on('console', (m) => log(`console.${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => log(`pageerror: ${e.message}`));
      await page.goto(url);
      return page;
    },
    close: async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/**
 * Debian's Firefox ESR through WebDriver BiDi, which it speaks natively.
 * playwright-core cannot drive it: its Firefox protocol (Juggler) exists only
 * in Playwright's own Firefox builds, and its BiDi path fails on a command
 * ESR 153 lacks (emulation.setMediaFeaturesOverride). The page drives
 * itself, so opening and closing tabs is all the driver does.
 */
async function launchFirefox({ exposeIps }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnirtc-firefox-'));
  fs.writeFileSync(path.join(dir, 'user.js'), [
    `user_pref("media.peerconnection.ice.obfuscate_host_addresses", ${!exposeIps});`,
    'user_pref("browser.shell.checkDefaultBrowser", false);',
    'user_pref("datareporting.policy.dataSubmissionEnabled", false);',
    'user_pref("network.captive-portal-service.enabled", false);',
    'user_pref("media.autoplay.default", 0);', // received audio plays unmuted, as in Chromium
    // the media cases' fake camera and microphone, as for Chromium above
    ...(exposeIps ? ['media.navigator.streams.fake', 'media.navigator.permission.disabled']
      .map((pref) => `user_pref("${pref}", true);`) : []),
    '',
  ].join('\n'));
  const child = spawn('/usr/bin/firefox-esr', ['--headless', '--no-remote', '--profile', dir, '--remote-debugging-port=0'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const endpoint = await new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Firefox did not start: ${output}`)), TIMEOUT);
    const scan = (chunk) => {
      output += chunk;
      const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(output);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout.on('data', scan);
    child.stderr.on('data', scan);
  });
  const ws = new WebSocket(`${endpoint}/session`);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const pending = new Map();
  const logs = new Map(); // browsing context -> log function
  let nextId = 0;
  ws.on('message', (data) => {
    const m = JSON.parse(data);
    if (m.id !== undefined) {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.type === 'error') p?.reject(new Error(`${m.error}: ${m.message}`));
      else p?.resolve(m.result);
    } else if (m.method === 'log.entryAdded') {
      logs.get(m.params.source?.context)?.(`console.${m.params.level}: ${m.params.text}`);
    }
  });
  const call = (method, params = {}) => new Promise((resolve, reject) => {
    const id = ++nextId;
    const timer = setTimeout(() => { pending.delete(id); reject(new Error(`Firefox: ${method} timed out`)); }, TIMEOUT);
    pending.set(id, {
      resolve: (r) => { clearTimeout(timer); resolve(r); },
      reject: (e) => { clearTimeout(timer); reject(e); },
    });
    ws.send(JSON.stringify({ id, method, params }));
  });
  await call('session.new', { capabilities: {} });
  await call('session.subscribe', { events: ['log.entryAdded'] });
  return {
    name: 'firefox',
    open: async (url, log) => {
      const { context } = await call('browsingContext.create', { type: 'tab' });
      logs.set(context, log);
      await call('browsingContext.navigate', { context, url, wait: 'complete' });
      return { close: () => { logs.delete(context); return call('browsingContext.close', { context }); } };
    },
    close: async () => {
      await call('session.end').catch(() => {});
      ws.close();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The library peers, one per language, all speaking the same protocol. */
const LIBRARY_PEERS = {
  c: () => [path.join(ROOT, 'build/bin/interop_c_peer'), []],
  python: () => [process.env.INTEROP_PYTHON || 'python3', [path.join(__dirname, 'python_peer.py')]],
  node: () => [process.execPath, [path.join(__dirname, 'node-peer.js')]],
  // built and run in the Swift root of scripts/swift-chroot.sh (swift-peer.sh)
  swift: () => [path.join(__dirname, 'swift-peer.sh'), []],
};

function libraryPeer(language, name, env = {}) {
  const [command, args] = LIBRARY_PEERS[language]();
  return new ProcessAgent(name, command, args, { PYTHONPATH: path.join(ROOT, 'bindings/python'), ...env });
}

const HOST_CANDIDATE = /^(?:a=)?candidate:\S+ \d+ udp \d+ (\S+) \d+ typ host/i;

/** The host addresses in a candidate line or an SDP. */
function hostAddresses(text) {
  return text.split(/\r?\n/).map((l) => HOST_CANDIDATE.exec(l.trim())).filter(Boolean).map((m) => m[1]);
}

/**
 * Two agents linked by the runner: every signal of one goes to the other.
 * withholdLibraryCandidates drops the library's candidates (trickled and in
 * its SDP), so the browser can only be reached by resolving its mDNS names.
 */
class Session {
  constructor(browser, library, { withholdLibraryCandidates = false } = {}) {
    this.agents = { browser, library };
    this.signals = [];
    this.browserHosts = [];
    // hold(from, signal): true when it keeps the signal to relay it later (perfect.js)
    this.hold = null;
    this.withholdLibraryCandidates = withholdLibraryCandidates;
    for (const from of [browser, library]) {
      from.onSignal = (signal) => {
        this.signals.push({ from: from.kind, ...signal });
        if (from.kind === 'browser') this.browserHosts.push(...hostAddresses(signal.candidate || signal.sdp || ''));
        if (!this.hold?.(from.kind, signal)) this.relay(from.kind, signal);
      };
    }
  }

  /** Delivers a signal of agent `from` to the other one. */
  relay(from, signal) {
    if (from === 'library' && this.withholdLibraryCandidates) {
      if (signal.type === 'candidate') return;
      signal = { ...signal, sdp: signal.sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:')).join('\r\n') };
    }
    this.other(from).call('signal', signal).catch((e) => this.side(from).log.push(`forwarding: ${e.message}`));
  }

  side(name) { return this.agents[name]; }
  other(name) { return this.agents[name === 'browser' ? 'library' : 'browser']; }

  async create(libraryConfig) {
    await this.agents.browser.call('create', { config: {} });
    await this.agents.library.call('create', { config: libraryConfig });
  }

  /** One offer/answer round started by `offerer`; resolves when both sides
   * are stable again. */
  async negotiate(offerer, options = {}) {
    const a = this.side(offerer);
    const b = this.other(offerer);
    const [ma, mb] = [a.mark(), b.mark()];
    await a.call('offer', options);
    await a.waitFor((e) => e.ev === 'signaling' && e.state === 'stable', ma);
    await b.waitFor((e) => e.ev === 'signaling' && e.state === 'stable', mb);
  }

  /** `opener` creates channel `label`; resolves with the far side's
   * 'channel' event once both ends are open. Negotiates when asked. */
  async openChannel(opener, label, init = {}, { negotiate = false } = {}) {
    const a = this.side(opener);
    const b = this.other(opener);
    const [ma, mb] = [a.mark(), b.mark()];
    await a.call('channel', { label, init });
    if (negotiate) await this.negotiate(opener);
    const [remote] = await Promise.all([
      b.waitFor({ ev: 'channel', label }, mb),
      a.waitFor({ ev: 'open', label }, ma),
      b.waitFor({ ev: 'open', label }, mb),
    ]);
    return remote;
  }

  /** Sends `count` messages on `label` from one side and checks the other
   * received the same bytes: in order (stream CRC) unless unordered. */
  async transfer(from, label, { binary = true, size = 1000, count = 10, ordered = true, pace = false } = {}) {
    const receiver = this.other(from);
    const expected = receiver.call('expect', { label, count }, 60000);
    const sent = await this.side(from).call('send', { label, binary, size, count, pace }, 60000);
    const got = await expected;
    assert.equal(got.count, sent.count, 'message count');
    assert.equal(got.bytes, sent.bytes, 'bytes');
    assert.equal(got.sum, sent.sum, 'every message intact');
    if (ordered) assert.equal(got.crc, sent.crc, 'byte-identical stream, in order');
    assert.equal(got.binary, binary ? count : 0, 'binary messages arrive as binary');
    assert.equal(got.text, binary ? 0 : count, 'text messages arrive as text');
    return got;
  }

  async state(name) { return this.side(name).call('state'); }

  /** Waits until `name`'s state satisfies pred. */
  async until(name, pred, timeout = TIMEOUT) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const s = await this.state(name);
      if (pred(s)) return s;
      if (Date.now() > deadline) throw new Error(`${name}: state never matched: ${JSON.stringify(s)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  ufrags() {
    return this.signals.filter((s) => s.sdp).map((s) => ({ from: s.from, type: s.type, ufrag: /a=ice-ufrag:(\S+)/.exec(s.sdp)?.[1] }));
  }
}

/** Registers a test file's before and after hooks (node:test) that launch
 * Chromium with its fake devices and serve an empty page titled title on
 * loopback (getUserMedia needs a secure context); the object returned has
 * chromium and url once before has run. */
function useChromiumPage(title) {
  const { before, after } = require('node:test');
  const state = { chromium: null, url: null, server: null };
  before(async () => {
    state.server = http.createServer((_, res) => res.end(`<!doctype html><title>${title}</title>`));
    await new Promise((resolve) => state.server.listen(0, '127.0.0.1', resolve));
    state.url = `http://127.0.0.1:${state.server.address().port}/`;
    state.chromium = await launchChromium({ exposeIps: true });
  });
  after(async () => {
    await state.chromium?.close();
    state.server?.close();
  });
  return state;
}

module.exports = { Server, Session, launchChromium, launchFirefox, libraryPeer, useChromiumPage };
