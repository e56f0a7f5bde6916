// The library-side agent in Node: agent.js over the omnirtc binding's W3C
// API, speaking the interop protocol as JSON lines on stdin and stdout.
'use strict';
const readline = require('node:readline');
const { RTCPeerConnection } = require('../../bindings/node');
const { createAgent } = require('./agent');

const emit = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const handle = createAgent({ RTCPeerConnection, emit });
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => handle(JSON.parse(line)));
lines.on('close', () => process.exit(0));
emit({ ev: 'hello', userAgent: `omnirtc-node/${require('../../bindings/node').libraryVersion()}` });
