'use strict';
// Writes the package.json of the two npm packages staged by scripts/npm-pack.sh:
//   STAGE/main      omnirtc: JavaScript and types for every platform, with one
//                   optional dependency per platform package;
//   STAGE/platform  @omnirtc/<platform> for this machine: the addon and
//                   libomnirtc.so, installed by npm only where os, cpu and libc match.
//   With NODE_ARCH (process.arch of another machine: scripts/arch.sh), only
//   STAGE/platform, for linux NODE_ARCH glibc, or with NODE_PLATFORM win32 for
//   Windows (the addon and omnirtc.dll).
// Usage: node scripts/npm-manifests.js STAGE [NODE_ARCH [NODE_PLATFORM]]
const fs = require('node:fs');
const path = require('node:path');
const { PLATFORM_PACKAGES, platformPackage } = require('../bindings/node/lib/platform');

const [stage, cross, crossPlatform = 'linux'] = process.argv.slice(2);
const source = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'bindings', 'node', 'package.json'), 'utf8'));
const { devDependencies, scripts, ...main } = source;
main.optionalDependencies = Object.fromEntries(PLATFORM_PACKAGES.map((name) => [name, source.version]));

const os = cross ? crossPlatform : process.platform;
const cpu = cross || process.arch;
const name = cross ? platformPackage(os, cpu, 'gnu') : platformPackage();
if (!PLATFORM_PACKAGES.includes(name)) throw new Error(`npm-manifests: ${name} is not in PLATFORM_PACKAGES`);
const libc = name.endsWith('-musl') ? 'musl' : 'glibc';
const library = os === 'win32' ? 'omnirtc.dll' : 'libomnirtc.so.0';
const platform = {
  name,
  version: source.version,
  description: `omnirtc's native addon and ${library} for ${os} ${cpu}${os === 'linux' ? ` (${libc})` : ''}`,
  license: source.license,
  main: 'omnirtc.node',
  files: ['omnirtc.node', library, 'THIRD_PARTY_NOTICES'],
  os: [os],
  cpu: [cpu],
  ...(os === 'linux' ? { libc: [libc] } : {}),
  engines: source.engines,
};

const write = (dir, manifest) => fs.writeFileSync(path.join(stage, dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
if (!cross) write('main', main);
write('platform', platform);
