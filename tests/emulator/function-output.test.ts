// A test's emulator keeps what its functions print (tests/support/emulator-output.ts) for the test
// to assert, whether instances are processes or worker threads: none of it reaches this process's
// stdout or stderr (a green run prints jest's lines alone), and all of it is saved to
// test-artifacts/output/<test file>.log when the emulator closes.
import fs from 'node:fs';
import { artifactPath } from '../support/artifacts';
import { startTestEmulator } from '../support/emulator';
import { captureOutput } from '../support/output-capture';
import { waitFor } from '../support/wait-for';

it.each(['declared', 'host'] as const)('with runtime %s: keeps a function\'s stdout and stderr lines, prints none of them, and saves them on close', async (runtime) => {
  const [out, err] = [`kept from stdout (${runtime})`, `kept from stderr (${runtime})`];
  const terminal = captureOutput();
  const emulator = await startTestEmulator({ runtime });
  try {
    const res = await emulator.callFunction('probe', { name: 'print', data: { out, err } });
    expect(res.status).toBe(200);
    await waitFor('both lines', () => emulator.output.functionLines().includes(out) && emulator.output.functionLines().includes(err));
    expect(emulator.output.all()).toEqual(expect.arrayContaining([out, err]));
  } finally {
    await emulator.close();
    terminal.restore();
  }
  expect(terminal.lines.filter((l) => l.includes(`(${runtime})`))).toEqual([]);
  const saved = fs.readFileSync(artifactPath('output', 'log'), 'utf8').split('\n');
  expect(saved).toEqual(expect.arrayContaining([out, err]));
});
