// `npm start` on a data folder with a bad line, one of the bad inputs of tests/reliability/bad-input/
// (it needs no emulator of its own: it starts the emulator's CLI on the folder).
import { emulatorCliArgs } from '../../support/emulator-cli';

// The emulator does not start on a corrupt or truncated line (never with part of a collection),
// exits non-zero, and says which file and line, without a stack trace.
describe('the emulator CLI on a data folder with a bad line', () => {
  const cases: Array<[string, string, number]> = [
    ['a corrupt line', '{"_id":"u1","openid":"o1","id":1}\n{"_id":"u2","openid":"o2","id":2,"n":tru}\n{"_id":"u3","openid":"o3","id":3}\n', 2],
    ['a truncated last line (a write cut by a crash)', '{"_id":"u1","openid":"o1","id":1}\n{"_id":"u2","openid":"o2","id":2}\n{"_id":"u3","open', 3],
    ['a line that is not an object', '{"_id":"u1","openid":"o1","id":1}\n["u2"]\n', 2],
  ];
  it.each(cases)('%s: exit 1, message naming the file and line, nothing served', async (_name, content, line) => {
    const { spawn } = await import('node:child_process');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudbase-bad-data-'));
    try {
      fs.mkdirSync(path.join(dataDir, 'db'));
      const file = path.join(dataDir, 'db', 'users.db');
      fs.writeFileSync(file, content);
      const root = path.resolve(__dirname, '../../..');
      const child = spawn(process.execPath, [...emulatorCliArgs(), '--data', dataDir, '--port', '0', '--host', '127.0.0.1', '--quiet', '--functions', dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(stdout).not.toMatch(/listening on/);
      expect(stderr).toContain(`${file}:${line}:`);
      expect(stderr).toContain('nothing was loaded from this collection');
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(fs.readFileSync(file, 'utf8')).toBe(content); // left as it was, for the user to repair
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
