'use strict';
// Soak through the Node binding: CYCLES connect/exchange/close cycles with
// CONCURRENT pairs at a time; afterwards the library's debug counters are
// back at their baseline, and native memory (RSS less V8's heap) and the JS
// heap in use come back near theirs without growing from cycle to cycle.
// Usage: node --expose-gc soak.js [CYCLES [CONCURRENT]]
const path = require('node:path');
const { openPair, once } = require(path.join(__dirname, '../../bindings/node/test/helpers.js'));
const { debugCounters } = require(path.join(__dirname, '../../bindings/node'));

async function cycle(n) {
  const [a, b, local, remote] = await openPair();
  const got = once(remote, 'message');
  local.send(`cycle ${n}`);
  if ((await got).data !== `cycle ${n}`) throw new Error('wrong message');
  const back = once(local, 'message');
  remote.send(Buffer.from(`cycle ${n}`));
  if (Buffer.from((await back).data).toString() !== `cycle ${n}`) throw new Error('wrong message back');
  a.close();
  b.close();
}

async function run(cycles, concurrent) {
  let next = 0;
  const worker = async () => { while (next < cycles) await cycle(next++); };
  await Promise.all(Array.from({ length: concurrent }, worker));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// RSS after a full collection when node runs with --expose-gc.
// Native memory: RSS less V8's committed heap, which V8 grows by policy
// (heapTotal went from 21 to 37 MiB between cycles 2,000 and 6,000 with the
// used heap flat), so that growth is checked through heapUsed instead.
const rssKiB = () => {
  if (global.gc) global.gc();
  const m = process.memoryUsage();
  return (m.rss - m.heapTotal) >> 10;
};
const heapKiB = () => process.memoryUsage().heapUsed >> 10;

async function main() {
  const cycles = Number(process.argv[2] || 100);
  const concurrent = Number(process.argv[3] || 20);
  await run(concurrent, concurrent); // warm-up
  await sleep(500);
  const base = debugCounters();
  const rssBase = rssKiB();
  const heapBase = heapKiB();
  const start = Date.now();
  await run(Math.floor(cycles / 2), concurrent);
  const rssHalf = rssKiB();
  await run(cycles - Math.floor(cycles / 2), concurrent);
  const elapsed = (Date.now() - start) / 1000;
  let now;
  let back = false;
  for (const deadline = Date.now() + 30000; !back && Date.now() < deadline; await sleep(100)) {
    if (global.gc) global.gc();
    now = debugCounters();
    back = now.handles.peer === base.handles.peer && now.handles.channel === base.handles.channel &&
      now.peers === base.peers && now.queuedEvents === 0 && now.sockets <= base.sockets &&
      now.goroutines <= base.goroutines + 5;
  }
  const rss = rssKiB();
  const heap = heapKiB();
  console.log(`node soak: ${cycles} cycles, ${concurrent} concurrent pairs, ${elapsed.toFixed(1)} s ` +
    `(${(cycles / elapsed).toFixed(0)} cycles/s); counters ${JSON.stringify(base)} -> ${JSON.stringify(now)}; ` +
    `RSS less the V8 heap ${rssBase} KiB baseline, ${rssHalf} half-way, ${rss} after; JS heap used ${heapBase} -> ${heap} KiB, ` +
    `RSS ${process.memoryUsage().rss >> 10} KiB after`);
  if (!back) throw new Error('debug counters not back at baseline');
  if (rss > rssBase * 1.5 + 16384) throw new Error('RSS did not come back near its baseline');
  if (heap > heapBase * 1.5 + 1024) throw new Error('the JS heap grew');
  // (half of a short run is too early for the heap to have settled)
  if (cycles >= 1000 && rss > rssHalf * 1.10 + 8192) throw new Error('RSS grew from cycle to cycle');
}

main().catch((err) => { console.error(err); process.exit(1); });
