// Prints the ten slowest test files and the run's wall time as the very last lines of a jest run
// (after jest's summary and the global teardown), so a file that grows slower shows in every run.
// Wall time is the jest process's age when it exits: start-up and global setup included.
const path = require('node:path');

class SlowestFilesReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const files = results.testResults
      .map((r) => ({ file: path.relative(this.rootDir, r.testFilePath), seconds: (r.perfStats.end - r.perfStats.start) / 1000 }))
      .filter((f) => Number.isFinite(f.seconds) && f.seconds >= 0)
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, 10);
    const rows = files.map((f) => `${f.seconds.toFixed(1).padStart(7)} s  ${f.file}`);
    process.once('exit', () => {
      const head = `Slowest ${files.length} of ${results.numTotalTestSuites} test files; run wall time ${process.uptime().toFixed(1)} s:`;
      process.stderr.write(`\n${[head, ...rows].join('\n')}\n`);
    });
  }
}

module.exports = SlowestFilesReporter;
