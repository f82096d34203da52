// The tcb CLI runs with V8's compiled code of its bundle kept between runs (scripts/lib/tcb-code-cache.cjs):
// the first run leaves a cache entry, a later run uses it as it is (V8 accepted it, so nothing is
// written again), and an entry V8 rejects (here, garbage) costs only a compile: the CLI still works
// and the entry is written afresh.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTcb } from '../../scripts/lib/tcb-cli';

jest.setTimeout(60_000);

// The pinned CLI prints its version (package.json of @cloudbase/cli).
const VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../node_modules/@cloudbase/cli/package.json'), 'utf8')) as { version: string }).version;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcb-code-cache-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const version = () => runTcb(['--version'], { ...process.env, HOME: dir, TCB_CODE_CACHE_DIR: path.join(dir, 'cache') });
const entries = () => (fs.existsSync(path.join(dir, 'cache')) ? fs.readdirSync(path.join(dir, 'cache')) : []);

test('a first run leaves one entry for the CLI bundle; the next run uses it unchanged; a rejected entry is replaced', async () => {
  const first = await version();
  expect(first.status).toBe(0);
  expect(first.output).toContain(VERSION);
  expect(entries()).toEqual([expect.stringMatching(/^cli\.js-.*\.v8$/)]);
  const entry = path.join(dir, 'cache', entries()[0]!);
  const written = fs.statSync(entry);
  expect(written.size).toBeGreaterThan(1_000_000);

  const second = await version();
  expect(second.status).toBe(0);
  expect(second.output).toContain(VERSION);
  expect(fs.statSync(entry).mtimeMs).toBe(written.mtimeMs);

  fs.writeFileSync(entry, 'not V8 code cache');
  const third = await version();
  expect(third.status).toBe(0);
  expect(third.output).toContain(VERSION);
  expect(fs.statSync(entry).size).toBeGreaterThan(1_000_000);
  expect(entries()).toHaveLength(1);
});
