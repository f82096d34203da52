// One owner per data folder (issue 24): `npm start`'s emulator (emulator/cli.ts) locks its data
// folder. A second one on the same folder refuses to start with one line naming the owner's PID and
// port and a non-zero exit, and the first one's data stays whole; the lock of an owner killed with
// SIGKILL is stale and taken over with a note; --in-memory takes no lock. Every wait is on a
// condition (a printed line, an exit), never a sleep.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataFolderInUse } from '../../emulator/data-folder-lock';
import { startTestEmulator, useEmulatorSources } from '../support/emulator';
import { emulatorCliArgs } from '../support/emulator-cli';

// From the sources: the lock's DataFolderInUse is checked with toThrow(class) (tests/support/emulator.ts).
useEmulatorSources();

const ROOT = path.resolve(__dirname, '../..');
const FUNCTIONS = path.join(process.env.TEST_BUILD_DIR as string, 'functions');

jest.setTimeout(120_000);

interface Cli {
  child: ChildProcess;
  /** The URL once it listens; rejects with its output if it exits first. */
  listening: Promise<string>;
  exited: Promise<number | null>;
  stderr: () => string;
}

function cli(dataDir: string): Cli {
  const child = spawn(process.execPath, [...emulatorCliArgs(), '--data', dataDir, '--port', '0', '--host', '127.0.0.1', '--quiet', '--functions', FUNCTIONS], { cwd: ROOT, env: { ...process.env, EMULATOR_ADDRESS_FILE: path.join(dataDir, 'test-address.json') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) resolve(match[1] as string);
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  listening.catch(() => undefined);
  children.push(child);
  return { child, listening, exited, stderr: () => stderr };
}

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-folder-lock-'));
  dirs.push(dir);
  return dir;
};

async function login(url: string, openid: string): Promise<number> {
  const res = await fetch(`${url}/functions/common`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-wx-openid': openid }, body: JSON.stringify({ name: 'login' }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { id: number } }).result.id;
}

const users = async (url: string) => {
  const res = await fetch(`${url}/_emulator/collections`);
  return ((await res.json()) as Array<{ name: string; count: number }>).find((c) => c.name === 'users')?.count;
};

test('a second emulator on the same folder refuses in one line naming the owner, and the first keeps its data', async () => {
  const dataDir = tempDir();
  const first = cli(dataDir);
  const url = await first.listening;
  const port = new URL(url).port;
  expect(await login(url, 'o_lock_first')).toBe(1);

  const second = cli(dataDir);
  expect(await second.exited).not.toBe(0);
  const lines = second.stderr().trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toBe(`emulator: data folder ${fs.realpathSync(dataDir)} is in use by the emulator with PID ${first.child.pid} on port ${port}; stop it first, or start this one with --data <another folder> or --in-memory`);

  // The same in one process: startEmulator rejects before reading anything.
  await expect(startTestEmulator({ inMemory: false, dataDir })).rejects.toThrow(DataFolderInUse);
  // --in-memory takes no lock, whatever --data says.
  const inMemory = await startTestEmulator({ inMemory: true, dataDir });
  await inMemory.close();

  expect(await login(url, 'o_lock_first_again')).toBe(2);
  expect(await users(url)).toBe(2);
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);

  // Stopped cleanly: the lock is released, and the next owner sees both users.
  const next = await startTestEmulator({ inMemory: false, dataDir });
  try {
    expect((await next.context.store.find('users', {})).map((u) => u.openid).sort()).toEqual(['o_lock_first', 'o_lock_first_again']);
  } finally {
    await next.close();
  }
  expect(fs.readdirSync(dataDir)).not.toContain('emulator.lock');
});

test("a SIGKILLed owner's stale lock is taken over with a note, and its acknowledged writes are there", async () => {
  const dataDir = tempDir();
  const first = cli(dataDir);
  const firstUrl = await first.listening;
  await login(firstUrl, 'o_lock_killed');
  first.child.kill('SIGKILL');
  await first.exited;
  expect(fs.readdirSync(dataDir)).toContain('emulator.lock'); // nothing ran to remove it

  const second = cli(dataDir);
  const url = await second.listening;
  // Taken over at once when the dead owner's lock is checked, or silently as stale when this start
  // came more than 10 s after the kill (a loaded machine): either way one note names the owner.
  expect(second.stderr().match(/emulator: note:/g)).toHaveLength(1);
  expect(second.stderr()).toMatch(new RegExp(`emulator: note: data folder ${escape(fs.realpathSync(dataDir))} was locked by PID ${first.child.pid} \\(port ${new URL(firstUrl).port}\\), which (is no longer running: taking the stale lock over|stopped without releasing it: took the stale lock over)`));
  expect(await users(url)).toBe(1);
  expect(await login(url, 'o_lock_after')).toBe(2);

  // A lock not refreshed for over 10 s (its owner died long ago) is stale on the first look.
  second.child.kill('SIGKILL');
  await second.exited;
  const longAgo = new Date(Date.now() - 60_000);
  fs.utimesSync(path.join(dataDir, 'emulator.lock'), longAgo, longAgo);
  const third = cli(dataDir);
  const thirdUrl = await third.listening;
  expect(third.stderr()).toContain(`emulator: note: data folder ${fs.realpathSync(dataDir)} was locked by PID ${second.child.pid} (port ${new URL(url).port}), which stopped without releasing it: took the stale lock over`);
  expect(await users(thirdUrl)).toBe(2);
  third.child.kill('SIGTERM');
  expect(await third.exited).toBe(0);
});
