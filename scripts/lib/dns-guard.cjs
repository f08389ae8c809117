// Preloaded (`node --require`) into code-server, and so into the extension host it forks with the same execArgv
// (NODE_OPTIONS would not do: the server strips it from the extension host's environment). Records every DNS
// lookup of a host other than the loopback one, so a run can prove it never tried to reach the outside (telemetry,
// extension gallery, schema downloads). It only observes: each lookup still goes ahead unchanged.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports */
const dns = require('node:dns');
const { appendFileSync } = require('node:fs');
const { isIP } = require('node:net');

const logFile = process.env.SA_TOKEN_DNS_LOG;
const LOOPBACK = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost']);

function record(hostname) {
  if (!logFile || typeof hostname !== 'string' || isIP(hostname) || LOOPBACK.has(hostname.toLowerCase())) return;
  try {
    appendFileSync(logFile, `${JSON.stringify({ pid: process.pid, host: hostname })}\n`);
  } catch {
    // A guard must never break the process it watches.
  }
}

const originalLookup = dns.lookup;
dns.lookup = function lookup(hostname, ...rest) {
  record(hostname);
  return originalLookup.call(this, hostname, ...rest);
};
const originalPromiseLookup = dns.promises.lookup;
dns.promises.lookup = function lookup(hostname, ...rest) {
  record(hostname);
  return originalPromiseLookup.call(this, hostname, ...rest);
};

// Lets the integration runner check that its extension host is watched too.
globalThis[Symbol.for('sa-token-inspector.dns-guard')] = true;
