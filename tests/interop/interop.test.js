// Interop with a real browser: every case of cases.js, for every library
// peer, in two set-ups of how the browser shows its host candidates.
// Run by scripts/test-interop.sh inside a private network namespace.
'use strict';
const assert = require('node:assert/strict');
const { describe, test, before, after } = require('node:test');
const { Server, Session, launchChromium, launchFirefox, libraryPeer } = require('./harness');
const { cases } = require('./cases');

const LANGUAGES = (process.env.INTEROP_LANGUAGES || 'c,python,node,swift').split(',');
const BROWSERS = { chromium: launchChromium, firefox: launchFirefox };
const BROWSER_NAMES = (process.env.INTEROP_BROWSERS || 'chromium,firefox').split(',');
const ENGINE = { sctpMaxMessageSize: 4 * 1024 * 1024 };
const IP = /^[0-9.]+$|:/;

const MODES = [
  {
    name: (browser) => `IP addresses shown (${browser === 'firefox' ? 'obfuscate_host_addresses off' : 'WebRtcHideLocalIpsWithMdns disabled'})`,
    exposeIps: true,
    config: { omnirtc: { ...ENGINE, mdns: 'disabled' } },
    checkHosts: (hosts) => assert.ok(hosts.length > 0 && hosts.every((h) => IP.test(h)), `browser host candidates: ${hosts}`),
    cases,
  },
  {
    name: () => 'addresses behind mDNS names (the default); the library resolves them',
    exposeIps: false,
    // The library's own candidates are withheld from the browser: the call
    // connects only if the library resolves the browser's .local names.
    withholdLibraryCandidates: true,
    config: { omnirtc: { ...ENGINE, mdns: 'query' } },
    checkHosts: (hosts) => assert.ok(hosts.length > 0 && hosts.every((h) => h.endsWith('.local')), `browser host candidates: ${hosts}`),
    cases: cases.filter((c) => c.mdns),
  },
];

const server = new Server();
before(() => server.start());
after(() => server.stop());

let serial = 0;

for (const browserName of BROWSER_NAMES) {
  for (const mode of MODES) describe(`${browserName}, ${mode.name(browserName)}`, () => {
    let launched;
    before(async () => { launched = await BROWSERS[browserName]({ exposeIps: mode.exposeIps }); });
    after(() => launched?.close());

    for (const language of LANGUAGES) {
      const runs = (k) => (!k.browsers || k.browsers.includes(browserName)) &&
        (!k.languages || k.languages.includes(language));
      for (const c of mode.cases.filter(runs)) {
        test(`${language}: ${c.name}`, async (t) => {
          const n = ++serial;
          const browser = await server.page(launched, `browser-${n}`);
          const library = libraryPeer(language, `${language}-${n}`, c.env);
          const s = new Session(browser, library, { withholdLibraryCandidates: mode.withholdLibraryCandidates });
          try {
            await s.create({ ...mode.config, omnirtc: { ...mode.config.omnirtc, ...c.engine } });
            const summary = await c.run(s); // media cases return their counts
            if (summary) t.diagnostic(summary);
            mode.checkHosts(s.browserHosts);
          } catch (error) {
            error.message += `\n--- ${library.name} stderr:\n${library.log.join('').slice(-3000)}\n--- page:\n${browser.log.join('\n').slice(-2000)}`;
            throw error;
          } finally {
            await library.call('closePeer', {}, 5000).catch(() => {});
            const exit = await library.dispose();
            await browser.dispose();
            assert.deepEqual(exit, { code: 0, signal: null }, `${library.name} exits cleanly when its input ends`);
          }
        });
      }
    }
  });
}
