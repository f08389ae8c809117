// Preloaded with `node --require` into a measured process: at exit, writes the process's whole CPU time (user +
// system, every thread, start-up included) and its wall time since start to fd 3, as "<cpu ms> <wall ms>".
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports */
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  require('node:fs').writeSync(3, `${(user + system) / 1000} ${performance.now()}\n`);
});
