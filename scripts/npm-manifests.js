'use strict';
// Writes the package.json of the two npm packages staged by scripts/npm-pack.sh:
//   STAGE/main      omnirtc: JavaScript and types for every platform, with one
//                   optional dependency per platform package;
//   STAGE/platform  @omnirtc/<platform> for this machine: the addon and
//                   libomnirtc.so, installed by npm only where os, cpu and libc match.
//   With NODE_ARCH (process.arch of another machine: scripts/arch.sh), only
//   STAGE/platform, for linux NODE_ARCH glibc.
// Usage: node scripts/npm-manifests.js STAGE [NODE_ARCH]
const fs = require('node:fs');
const path = require('node:path');
const { platformPackage } = require('../bindings/node/lib/platform');

// The platform packages that dist/ builds (one per architecture).
const PLATFORMS = ['@omnirtc/linux-x64-gnu', '@omnirtc/linux-arm64-gnu', '@omnirtc/linux-arm-gnu', '@omnirtc/linux-riscv64-gnu'];

const [stage, cross] = process.argv.slice(2);
const source = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'bindings', 'node', 'package.json'), 'utf8'));
const { devDependencies, scripts, ...main } = source;
main.optionalDependencies = Object.fromEntries(PLATFORMS.map((name) => [name, source.version]));

const os = cross ? 'linux' : process.platform;
const cpu = cross || process.arch;
const name = cross ? `@omnirtc/linux-${cross}-gnu` : platformPackage();
if (!PLATFORMS.includes(name)) throw new Error(`npm-manifests: ${name} is not in PLATFORMS`);
const libc = name.endsWith('-musl') ? 'musl' : 'glibc';
const platform = {
  name,
  version: source.version,
  description: `omnirtc's native addon and libomnirtc.so for ${os} ${cpu} (${libc})`,
  license: source.license,
  main: 'omnirtc.node',
  files: ['omnirtc.node', 'libomnirtc.so.0', 'THIRD_PARTY_NOTICES'],
  os: [os],
  cpu: [cpu],
  ...(os === 'linux' ? { libc: [libc] } : {}),
  engines: source.engines,
};

const write = (dir, manifest) => fs.writeFileSync(path.join(stage, dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
if (!cross) write('main', main);
write('platform', platform);
