// Preloaded (NODE_OPTIONS --require, which does not allow --cpu-prof itself) into the emulator and
// every function instance by `npm run profile`. The first SIGUSR2 starts V8's CPU profiler (and
// says so with CPU.<pid>.started next to this file's copy); the second writes CPU.<pid>.cpuprofile
// and exits. Signals, because the emulator stops its instances with SIGKILL, which writes nothing.
const fs = require('node:fs');
const path = require('node:path');
const inspector = require('node:inspector');

const session = new inspector.Session();
session.connect();
let started = false;
process.on('SIGUSR2', () => {
  const file = path.join(__dirname, `CPU.${process.pid}`);
  if (!started) {
    started = true;
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: 200 });
    session.post('Profiler.start', () => fs.writeFileSync(`${file}.started`, ''));
    return;
  }
  session.post('Profiler.stop', (err, result) => {
    if (!err) {
      fs.writeFileSync(`${file}.part`, JSON.stringify(result.profile));
      fs.renameSync(`${file}.part`, `${file}.cpuprofile`); // whole, or not there: the script waits for it
    }
    process.exit(0);
  });
});
