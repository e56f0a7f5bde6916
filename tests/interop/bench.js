// Connection set-up time with a browser: node bench.js BROWSER PEER setup N,
// BROWSER 'chromium' or 'firefox', PEER 'browser' (a second page of the same
// browser) or a library peer (c, python, node, swift). Per pair: from the browser's createDataChannel and createOffer to
// the channel open at both ends, with trickle ICE through the runner; the
// pages, processes and peer connections exist before the clock starts.
// Prints "setup_median_ms X" and "setup_p95_ms Y" for scripts/bench.sh.
'use strict';
const { Server, Session, launchChromium, launchFirefox, libraryPeer } = require('./harness');

const [browserName, peer, workload, rounds = '10'] = process.argv.slice(2);
const launch = { chromium: launchChromium, firefox: launchFirefox }[browserName];
if (workload !== 'setup') throw new Error(`unknown workload ${workload}`);

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

(async () => {
  const server = new Server();
  await server.start();
  const browser = await launch({ exposeIps: true });
  const times = [];
  for (let i = 0; i < Number(rounds); i++) {
    const a = await server.page(browser, `a${i}`);
    const b = peer === 'browser' ? await server.page(browser, `b${i}`) : libraryPeer(peer, `${peer}${i}`);
    b.kind = 'library'; // the answering side of the session, whatever it is
    const s = new Session(a, b);
    await s.create({ omnirtc: { mdns: 'disabled' } });
    const start = process.hrtime.bigint();
    await s.openChannel('browser', 'setup', {}, { negotiate: true });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    await a.call('closePeer');
    await b.call('closePeer').catch(() => {}); // a library may already be closed by the browser's close
    await Promise.all([a.dispose(), b.dispose()]);
  }
  times.sort((x, y) => x - y);
  console.log(`setup_median_ms ${percentile(times, 0.5).toFixed(1)}`);
  console.log(`setup_p95_ms ${percentile(times, 0.95).toFixed(1)}`);
  await browser.close();
  await server.stop();
})().catch((error) => { console.error(error); process.exit(1); });
