'use strict';
// bench/c/bench_latency.c's workload (data channels only: node-datachannel's
// polyfill has no media) on omnirtc or node-datachannel, same code for both:
// PAIRS connected pairs in this process, each sending a 100-byte message
// every 20 ms on a reliable channel, phases spread evenly over the 20 ms,
// each stamped with the time it was due (process.hrtime), so a late timer
// shows as latency, and the time it was sent; one-way latency is the
// receiving handler's clock minus the first, send_lag the second minus the
// first, in_stack the clock minus the second. The messages due in BENCH_SECONDS (default 20) after a 3 s warm-up
// are measured.
const fs = require('node:fs');

const MESSAGE = 100;
const PERIOD_NS = 20_000_000n;
const WARMUP_NS = 3_000_000_000n;
const WINDOW = 32; // pairs connecting at once

function later(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

function rssMiB() {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
}

/** The count, p99 and max (bucket upper bounds) of the Go collector's pauses
 * between two readings of debugCounters().gcPauses. */
function pauseStats(before, after) {
  const counted = new Map(before);
  const diff = after.map(([upper, count]) => [upper, count - (counted.get(upper) ?? 0)]).filter(([, c]) => c > 0);
  const total = diff.reduce((sum, [, c]) => sum + c, 0);
  let p99 = 0;
  let seen = 0;
  for (const [upper, c] of diff) {
    if (seen < 0.99 * total) p99 = upper;
    seen += c;
  }
  const max = diff.length ? diff[diff.length - 1][0] : 0;
  return `gc_pauses ${total}\ngc_pause_p99_ms ${(p99 * 1e3).toFixed(3)}\ngc_pause_max_ms ${(max * 1e3).toFixed(3)}`;
}

/** Runs the workload over connect(onMessage) -> a sending channel; gcPauses,
 * for a Go engine, reads its pause histogram. */
async function latency(connect, pairs, gcPauses) {
  const seconds = Number(process.env.BENCH_SECONDS || 20);
  const samples = new Float32Array(pairs * seconds * 50 + 1);
  const lag = new Float32Array(pairs * seconds * 50 + 1); // when sent, minus when due
  const inStack = new Float32Array(pairs * seconds * 50 + 1); // received, minus when sent
  let n = 0;
  let lagged = 0;
  let windowStart = 0n;
  let windowEnd = 0n;
  const onMessage = ({ data }) => {
    const view = new DataView(data instanceof ArrayBuffer ? data : data.buffer, data.byteOffset ?? 0);
    const due = view.getBigInt64(0, true);
    if (due >= windowStart && due < windowEnd && n < samples.length) {
      const now = process.hrtime.bigint();
      inStack[n] = Number(now - view.getBigInt64(8, true)) / 1e6;
      samples[n++] = Number(now - due) / 1e6;
    }
  };
  const started = process.hrtime.bigint();
  const all = [];
  for (let i = 0; i < pairs; i += WINDOW) {
    const batch = [];
    for (let j = i; j < Math.min(pairs, i + WINDOW); j++) batch.push(connect(onMessage));
    all.push(...await Promise.all(batch));
  }
  console.log(`pairs ${pairs}\nconnect_s ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)}`);

  const message = new Uint8Array(MESSAGE);
  const stamp = new DataView(message.buffer);
  const start = process.hrtime.bigint() + 100_000_000n;
  windowStart = start + WARMUP_NS;
  windowEnd = windowStart + BigInt(seconds) * 1_000_000_000n;
  const step = PERIOD_NS / BigInt(pairs);
  let cpu = null;
  for (let k = 0n; ; k++) {
    const due = start + (k / BigInt(pairs)) * PERIOD_NS + (k % BigInt(pairs)) * step;
    // A sender that fell behind stops 2 s after the window all the same:
    // what it did not send counts as not delivered.
    if (due >= windowEnd + 1_000_000_000n || process.hrtime.bigint() > windowEnd + 2_000_000_000n) break;
    if (cpu === null && due >= windowStart) {
      cpu = process.cpuUsage();
      cpu.pauses = gcPauses?.();
    }
    const wait = due - process.hrtime.bigint();
    if (wait > 1_000_000n) await later(Number(wait / 1_000_000n));
    else if (k % 64n === 0n) await new Promise(setImmediate); // behind: still let messages in
    const sent = process.hrtime.bigint();
    if (due >= windowStart && due < windowEnd) lag[lagged++] = Number(sent - due) / 1e6;
    stamp.setBigInt64(0, due, true);
    stamp.setBigInt64(8, sent, true);
    all[Number(k % BigInt(pairs))].send(message);
    if (cpu !== null && !cpu.done && (due >= windowEnd || process.hrtime.bigint() > windowEnd + 1_000_000_000n)) {
      const used = process.cpuUsage(cpu);
      console.log(`cpu_pct ${((used.user + used.system) / 1e4 / seconds).toFixed(1)}\nrss_mib ${rssMiB().toFixed(0)}`);
      // no Go collector in node-datachannel: its rows say "-"
      console.log(gcPauses ? pauseStats(cpu.pauses, gcPauses()) : 'gc_pauses -\ngc_pause_p99_ms -\ngc_pause_max_ms -');
      cpu.done = true;
    }
  }
  await later(1000); // the last second's stragglers
  report('send_lag', lag.subarray(0, lagged), pairs * seconds * 50);
  report('latency', samples.subarray(0, n), pairs * seconds * 50);
  report('in_stack', inStack.subarray(0, n), pairs * seconds * 50);
}

function report(name, samples, expected) {
  const ms = samples.sort();
  const n = ms.length;
  console.log(`${name}_delivered_pct ${(100 * n / expected).toFixed(2)}`);
  if (n > 0) {
    const at = (q) => ms[Math.floor(n * q)].toFixed(3);
    console.log(`${name}_p50_ms ${at(0.5)}\n${name}_p99_ms ${at(0.99)}\n${name}_p999_ms ${at(0.999)}\n${name}_max_ms ${ms[n - 1].toFixed(3)}`);
  }
}

module.exports = { latency };
