'use strict';
// The Node side of `./build.sh bench`: one workload on omnirtc or on
// node-datachannel (its W3C polyfill), same code for both.
//
//   node bench.js omnirtc|node-datachannel setup PAIRS | throughput MIB | rate MESSAGES | idle PEERS
//     | latency PAIRS (bench/node/latency.js)
//
// Output: one "name value" line per result. The *_cpu_* results are the CPU
// time of the whole process per unit of work (lower is better), which a
// shared machine disturbs less than a rate. Runs in scripts/netns-run.sh with
// a veth pair, since node-datachannel ignores loopback.
const path = require('node:path');
const fs = require('node:fs');
const { latency } = require('./latency');

const modules = path.join(__dirname, '..', '..', 'bindings', 'node');
const stacks = {
  omnirtc: () => {
    const { RTCPeerConnection } = require(modules);
    return () => new RTCPeerConnection({ omnirtc: { mdns: 'disabled' } });
  },
  'node-datachannel': () => {
    const { RTCPeerConnection } = require(require.resolve('node-datachannel/polyfill', { paths: [modules] }));
    return () => new RTCPeerConnection({ iceServers: [] });
  },
};

const BULK_MESSAGE = 64 * 1024;
const SMALL_MESSAGE = 100;
const HIGH_WATER = 4 << 20;
const LOW_WATER = 1 << 20;

function later(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

async function gathered(pc) {
  while (pc.iceGatheringState !== 'complete') await later(1);
  return { type: pc.localDescription.type, sdp: pc.localDescription.sdp };
}

/** A connected pair with one open channel; received bytes are counted, or
 * handed to onMessage. */
async function connect(create, onMessage) {
  const a = create();
  const b = create();
  const pair = { a, b, bytes: 0, messages: 0 };
  const local = a.createDataChannel('bench');
  const opened = new Promise((resolve) => { local.onopen = resolve; });
  const remote = new Promise((resolve) => {
    b.ondatachannel = ({ channel }) => {
      channel.binaryType = 'arraybuffer';
      channel.onmessage = onMessage
        ?? (({ data }) => { pair.bytes += data.byteLength ?? data.length; pair.messages += 1; });
      if (channel.readyState === 'open') resolve(channel);
      else channel.onopen = () => resolve(channel);
    };
  });
  const started = process.hrtime.bigint();
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(await gathered(a));
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(await gathered(b));
  await Promise.all([opened, remote]);
  pair.setupMs = Number(process.hrtime.bigint() - started) / 1e6;
  pair.local = local;
  return pair;
}

function close(pair) { pair.a.close(); pair.b.close(); }

async function setup(create, pairs) {
  const ms = [];
  for (let i = 0; i < pairs; i++) {
    const pair = await connect(create);
    ms.push(pair.setupMs);
    close(pair);
  }
  ms.sort((x, y) => x - y);
  console.log(`setup_median_ms ${ms[pairs >> 1].toFixed(2)}\nsetup_p95_ms ${ms[Math.floor(pairs * 0.95)].toFixed(2)}`);
}

/** Sends count messages of size bytes, at most HIGH_WATER buffered; resolves
 * with the seconds until the remote received them all and the CPU seconds the
 * process (every thread: JavaScript, the library's, the kernel for it) spent. */
async function sendAll(create, size, count) {
  const pair = await connect(create);
  const { local } = pair;
  local.bufferedAmountLowThreshold = LOW_WATER;
  const message = new Uint8Array(size).fill(120);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    if (local.bufferedAmount > HIGH_WATER) {
      await new Promise((resolve) => { local.onbufferedamountlow = resolve; });
    }
    local.send(message);
  }
  while (pair.messages < count) await later(1);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  if (pair.bytes !== size * count) throw new Error(`received ${pair.bytes} bytes, sent ${size * count}`);
  close(pair);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

function rssKiB() {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

async function idle(create, peers) {
  const keep = [];
  global.gc?.();
  const base = rssKiB();
  for (let i = 0; i < peers / 2; i++) keep.push(await connect(create));
  await later(5000);
  global.gc?.();
  console.log(`idle_peers ${2 * keep.length}\nidle_rss_kib_per_peer ${((rssKiB() - base) / (2 * keep.length)).toFixed(1)}`);
  process.exit(0); // tearing down the peers is not what is measured
}

async function main() {
  const [impl, workload, arg] = process.argv.slice(2);
  const n = Number(arg);
  if (!stacks[impl] || !(n > 0)) throw new Error('usage: bench.js omnirtc|node-datachannel WORKLOAD N');
  const create = stacks[impl]();
  switch (workload) {
    case 'setup': await setup(create, n); break;
    case 'throughput': {
      const { seconds, cpuSeconds } = await sendAll(create, BULK_MESSAGE, n * 16);
      console.log(`throughput_mib_s ${(n / seconds).toFixed(1)}\nthroughput_cpu_ms_per_mib ${(1e3 * cpuSeconds / n).toFixed(2)}`);
      break;
    }
    case 'rate': {
      const { seconds, cpuSeconds } = await sendAll(create, SMALL_MESSAGE, n);
      console.log(`rate_msgs_s ${(n / seconds).toFixed(0)}\nrate_cpu_us_per_msg ${(1e6 * cpuSeconds / n).toFixed(2)}`);
      break;
    }
    case 'idle': await idle(create, n); break;
    case 'latency': {
      const gcPauses = impl === 'omnirtc' ? () => require(modules).debugCounters().gcPauses : null;
      await latency((onMessage) => connect(create, onMessage).then((pair) => pair.local), n, gcPauses);
      break;
    }
    default: throw new Error(`unknown workload ${workload}`);
  }
  process.exit(0);
}

main().catch((err) => { console.error(err); process.exit(1); });
