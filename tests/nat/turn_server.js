'use strict';
// The NAT suite's TURN server started from Node (TurnServer): same arguments
// and output as turn_server.c.
//
//   node turn_server.js CONFIG_FILE STATS_FILE STOP_FILE
const fs = require('node:fs');
const path = require('node:path');
const { TurnServer } = require(path.join(__dirname, '..', '..', 'bindings', 'node'));

const [configFile, statsFile, stopFile] = process.argv.slice(2);
const server = new TurnServer(fs.readFileSync(configFile, 'utf8'));
for (const [type, label] of [['allocationcreated', 'allocation-created'], ['allocationdeleted', 'allocation-deleted']]) {
  server.addEventListener(type, (e) => {
    console.log(`turn: ${label} user=${e.username} client=${e.clientAddress} relay=${e.relayAddress} protocol=${e.protocol}`);
  });
}

function writeStats() {
  fs.writeFileSync(`${statsFile}.tmp`, JSON.stringify(server.stats()));
  fs.renameSync(`${statsFile}.tmp`, statsFile);
}

const timer = setInterval(() => {
  writeStats();
  if (fs.existsSync(stopFile)) {
    clearInterval(timer);
    server.close();
  }
}, 100);
writeStats();
