// Starts the long test files first. Jest's own order puts the files that took longest last time
// first, but a fresh clone (CI) has no timings yet and jest falls back to file size, which can
// leave a 60–100 s file (the tcb CLI's) to start last and end the run on one worker. Files with
// a stored timing keep jest's order; the listed ones go first on a run without timings.
const Sequencer = require('@jest/test-sequencer').default;

/** The slowest files of a full run (tests/support/slowest-files-reporter.js prints them), longest first. */
const LONG_FILES = [
  'tests/cli/tcb-cli.test.ts',
  'tests/reliability/bad-input.test.ts',
  'tests/cli/new-function.test.ts',
  'tests/cli/deploy-runtime.test.ts',
  'tests/console/console.test.ts',
  'tests/reliability/load.test.ts',
  'tests/cli/tcb-code-cache.test.ts',
  'tests/reliability/scale-correctness.test.ts',
  'tests/reliability/faults.test.ts',
  'tests/emulator/cli-startup.test.ts',
];

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const timed = sorted.some((t) => this.time(t) > 0);
    if (timed) return sorted;
    const rank = (t) => {
      const i = LONG_FILES.findIndex((f) => t.path.endsWith(f));
      return i < 0 ? LONG_FILES.length : i;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowFirstSequencer;
