// Property runs that replay. Every run uses one seed: fixed unless FUZZ_SEED says otherwise.
// Shrinking stays on (no endOnFailure), an interrupted run fails, and each property must check
// exactly the number of cases it asks for. A failure says the seed, the path of the shrunk
// counterexample and the command that replays that one case alone; a pass says nothing.
//   npm run test:fuzz                         a fresh random seed (FUZZ_SEED=random)
//   FUZZ_SEED=<n> npx jest <file>             the run CI would make with seed n
//   FUZZ_SEED=<n> FUZZ_PATH=<path> npx jest <file> -t '<name>'   one counterexample alone
import path from 'node:path';
import fc from 'fast-check';

/** The seed CI runs with, so a landing cannot fail at random. */
export const CI_SEED = 20261201;

export const FUZZ_SEED = seedOf(process.env.FUZZ_SEED);
const FUZZ_PATH = process.env.FUZZ_PATH || undefined;

function seedOf(value: string | undefined): number {
  if (value === undefined || value === '') return CI_SEED;
  if (value === 'random') return (Math.random() * 2 ** 32) | 0;
  if (!/^-?\d+$/.test(value)) throw new Error(`FUZZ_SEED must be an integer or "random", got "${value}"`);
  return Number(value) | 0;
}

/** Checks `property` on `numRuns` cases from FUZZ_SEED; throws fast-check's report on a failure. */
export async function fuzz<Ts>(property: fc.IRawProperty<Ts>, numRuns: number): Promise<void> {
  const details = await fc.check(property, { seed: FUZZ_SEED, numRuns, markInterruptAsFailure: true, ...(FUZZ_PATH ? { path: FUZZ_PATH } : {}) });
  const { testPath, currentTestName } = expect.getState();
  const command = `npx jest ${testPath ? path.relative(process.cwd(), testPath) : '<test file>'} -t ${JSON.stringify(currentTestName ?? '')}`;
  const seed = `FUZZ_SEED=${details.seed}${details.seed === CI_SEED ? ' (the CI seed)' : ''}`;
  if (details.failed) {
    const replay = `FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath ?? ''} ${command}`;
    throw new Error(`${fc.defaultReportMessage(details) ?? 'property failed'}\n\nReplay this counterexample alone: ${replay}`);
  }
  // A replay of one path runs only that case.
  if (!FUZZ_PATH && (details.interrupted || details.numRuns !== numRuns)) {
    throw new Error(`checked ${details.numRuns} of ${numRuns} cases${details.interrupted ? ' (interrupted)' : ''} with ${seed}; replay: FUZZ_SEED=${details.seed} ${command}`);
  }
}
