// The emulator's terminal log prints names and errors that callers choose. Their control
// characters must print as escapes (CWE-117, Improper Output Neutralization for Logs): an ESC
// starts an ANSI sequence that recolours or rewrites the terminal, CR/LF starts a forged line
// ("[fn] user.login caller=server ok 200"), C1's CSI (U+009B) is an escape for many terminals, and
// bidirectional controls reorder what a line shows (CVE-2021-42574, "Trojan Source").
import { startTestEmulator, type TestEmulator, useEmulatorSources } from '../../support/emulator';

// From the sources: a spy on console.log reads the invocation lines (tests/support/emulator.ts).
useEmulatorSources();

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const FORGED = 'x\u001b[2K\r\n[fn] user.login caller=server ok 200 1.0ms db=0\u009b31m\u202etxt.exe\u2028';

let emulator: TestEmulator;
let printed: string[] = [];
let spy: jest.SpyInstance;

beforeAll(async () => {
  emulator = await startTestEmulator({ printLogs: true });
  spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
});
afterAll(async () => {
  spy.mockRestore();
  await emulator.close();
});
beforeEach(() => {
  printed = [];
});

const lines = () => printed.filter((l) => /^\[(fn|api)\] /.test(l) || l.includes('forged'));

it('prints an event name full of control characters as one line of escapes', async () => {
  await emulator.callFunction('probe', { name: FORGED });
  const fnLines = printed.filter((l) => l.startsWith('[fn] probe.'));
  expect(fnLines).toHaveLength(1);
  const line = fnLines[0] as string;
  expect(line).not.toMatch(CONTROL);
  expect(line).toContain('x\\x1b[2K\\x0d\\x0a[fn] user.login');
  expect(line).toContain('\\x9b31m\\u202etxt.exe\\u2028');
  expect(lines()).toHaveLength(1);
});

it("escapes a caller's openid (the console invokes as any openid it is given)", async () => {
  await emulator.post('/_emulator/console/functions/probe/invoke', { event: { name: 'throw' }, openid: 'o_\u001b]0;pwned\u0007' });
  const line = printed.find((l) => l.startsWith('[fn] probe.throw')) as string;
  expect(line).toBeDefined();
  expect(line).not.toMatch(CONTROL);
  expect(line).toContain('caller=user:o_\\x1b]0;pwned\\x07');
});
