#!/usr/bin/env node
'use strict';
// Writes the C include behind the Node addon's `constants` export: a
// CONSTANT(NAME) line for each numeric constant of the header (an enum value
// or a #define of a number), in the header's order. It copies names only: the
// compiler gives each its value from the header itself.
// Usage: node scripts/gen-node-constants.js include/omnirtc.h > OUT
const fs = require('node:fs');

const header = fs.readFileSync(process.argv[2], 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
const names = [...header.matchAll(/\b(OMNIRTC_\w+)\s*=\s*-?\d|^#define\s+(OMNIRTC_\w+)\s+-?\d+\s*$/gm)]
  .map((m) => m[1] ?? m[2]);
if (names.length === 0) throw new Error(`gen-node-constants: no constant in ${process.argv[2]}`);
process.stdout.write(names.map((name) => `CONSTANT(${name})\n`).join(''));
