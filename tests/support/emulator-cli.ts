// How a test starts the emulator's CLI as `npm start` does: `node --enable-source-maps <bundle>`,
// with the bundle of emulator/cli.ts that jest's global setup built for this run (no TypeScript
// compile at each start). Outside jest's global setup, the source through tsx.
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** The Node.js arguments before the CLI's own, with ROOT as the working directory. */
export function emulatorCliArgs(): string[] {
  const bundle = process.env.TEST_EMULATOR_BUNDLE;
  return bundle ? ['--enable-source-maps', bundle] : ['--import', 'tsx', 'emulator/cli.ts'];
}
