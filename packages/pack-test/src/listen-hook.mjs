// Preloaded (node --import) into a README block's process and its children: every server
// the block starts listens on a free port instead of the one written in the README (which
// another program may hold), and says where it listens, one JSON line per server, in the
// file named by PROMKIT_DOCTEST_LISTEN_REPORT.
import { appendFileSync } from 'node:fs';
import net from 'node:net';

const report = process.env.PROMKIT_DOCTEST_LISTEN_REPORT;
const listen = net.Server.prototype.listen;
// A second listen on the port a block asked for (an exporter binding 127.0.0.1 and ::1)
// gets the port the first one got.
const assigned = new Map();

net.Server.prototype.listen = function promkitDoctestListen(...args) {
  let requested;
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    requested = Number(args[0]);
    if (requested !== 0) args[0] = assigned.get(requested) ?? 0;
  } else if (typeof args[0] === 'object' && args[0] !== null && 'port' in args[0]) {
    requested = Number(args[0].port);
    if (requested !== 0) args[0] = { ...args[0], port: assigned.get(requested) ?? 0 };
  }
  this.once('listening', () => {
    const address = this.address();
    if (address === null || typeof address !== 'object') return;
    if (requested !== undefined && requested !== 0) assigned.set(requested, address.port);
    if (report !== undefined) {
      const line = { pid: process.pid, address: address.address, port: address.port };
      appendFileSync(report, `${JSON.stringify(line)}\n`);
    }
  });
  return listen.apply(this, args);
};
