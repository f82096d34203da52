// One emulator per data folder. Two emulators on one folder each keep the collections in memory and
// rewrite the files from their own view, so each loses the other's acknowledged writes. The lock is
// proper-lockfile's (an atomic mkdir of <data>/emulator.lock whose mtime the owner refreshes), so a
// lock left by a process that was killed or lost power goes stale and is taken over. Who holds it
// (PID, host, port) is in <data>/emulator-owner.json, for the refusal message and to see at once
// that a SIGKILLed owner on this host is gone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/** Another emulator holds the folder: the message is the one line `npm start` prints. */
export class DataFolderInUse extends Error {}

export interface DataFolderLock {
  /** Records the port the owner listens on (shown to a second emulator that is refused). */
  setPort(port: number): void;
  release(): Promise<void>;
}

export interface LockOptions {
  /** A one-line note (a stale lock taken over). */
  note(line: string): void;
  /** Another process took the folder over (this one stalled past the stale time): stop writing at once. */
  onLost(message: string): void;
}

interface Owner {
  pid: number;
  host: string;
  port?: number;
  startedAt: string;
}

/** A lock not refreshed for this long belongs to a process that stopped without unlocking (power loss, a frozen host). */
const STALE_MS = 10_000;
const UPDATE_MS = 1_000;
/** When the recorded owner is a process of this host that no longer exists, its lock is stale this soon (proper-lockfile's minimum). */
const DEAD_OWNER_STALE_MS = 2_000;

const RETRY_MS = 250;
/** A live owner refreshes its lock within this; one that does not, although its PID exists, is a reused PID (or a zombie where /proc cannot tell). */
const WATCH_MS = 3 * UPDATE_MS;

const LOCK_DIR = 'emulator.lock';
const OWNER_FILE = 'emulator-owner.json';

export async function lockDataFolder(dir: string, options: LockOptions): Promise<DataFolderLock> {
  fs.mkdirSync(dir, { recursive: true });
  const folder = fs.realpathSync(dir);
  const ownerFile = path.join(folder, OWNER_FILE);
  const lockOptions = (stale: number) => ({
    realpath: false,
    lockfilePath: path.join(folder, LOCK_DIR),
    stale,
    update: UPDATE_MS,
    onCompromised: () => options.onLost(`emulator: lost the lock on data folder ${folder} (another process took it over while this one did not refresh it); stopping without writing anything more`),
  });

  let unlock: () => Promise<void>;
  let noted = false;
  try {
    unlock = await lockfile.lock(folder, lockOptions(STALE_MS));
  } catch (err) {
    if ((err as { code?: string }).code !== 'ELOCKED') throw err;
    const owner = readOwner(ownerFile);
    const verdict = await watchOwner(owner, path.join(folder, LOCK_DIR));
    if (verdict === 'alive') throw new DataFolderInUse(inUseMessage(folder, owner));
    const who = owner ? `PID ${owner.pid}${owner.port ? ` (port ${owner.port})` : ''}` : 'an emulator that recorded no PID';
    options.note(verdict === 'gone'
      ? `emulator: note: data folder ${folder} was locked by ${who}, which is no longer running: taking the stale lock over`
      : `emulator: note: data folder ${folder} is locked by ${who}, which no longer refreshes the lock: taking it over once it is ${STALE_MS / 1000} s old`);
    noted = true;
    const stale = verdict === 'gone' ? DEAD_OWNER_STALE_MS : STALE_MS;
    try {
      unlock = await lockfile.lock(folder, { ...lockOptions(stale), retries: { retries: Math.ceil((stale + 3 * UPDATE_MS) / RETRY_MS), factor: 1, minTimeout: RETRY_MS, maxTimeout: RETRY_MS } });
    } catch (again) {
      if ((again as { code?: string }).code !== 'ELOCKED') throw again;
      throw new DataFolderInUse(inUseMessage(folder, readOwner(ownerFile)));
    }
  }

  // A clean stop removes the owner file before it unlocks: one still there was left by an owner that
  // did not stop cleanly, whose lock proper-lockfile took over as stale without a word.
  const previous = readOwner(ownerFile);
  if (previous && !noted) options.note(`emulator: note: data folder ${folder} was locked by PID ${previous.pid}${previous.port ? ` (port ${previous.port})` : ''}, which stopped without releasing it: took the stale lock over`);
  const owner: Owner = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  writeOwner(ownerFile, owner);
  return {
    setPort(port) {
      writeOwner(ownerFile, { ...owner, port });
    },
    async release() {
      if (readOwner(ownerFile)?.pid === process.pid) fs.rmSync(ownerFile, { force: true });
      await unlock();
    },
  };
}

function inUseMessage(folder: string, owner: Owner | undefined): string {
  const who = owner ? `the emulator with PID ${owner.pid}${owner.port ? ` on port ${owner.port}` : ' (still starting, no port yet)'}${owner.host !== os.hostname() ? ` on host ${owner.host}` : ''}` : 'another emulator (still starting, PID not recorded yet)';
  return `data folder ${folder} is in use by ${who}; stop it first, or start this one with --data <another folder> or --in-memory`;
}

/**
 * Whether the lock's holder is alive: it refreshes the lock ('alive'), its process of this host is
 * gone or it released the lock ('gone'), or neither within WATCH_MS ('silent': a reused PID,
 * another host's process that stopped).
 */
async function watchOwner(owner: Owner | undefined, lockDir: string): Promise<'alive' | 'gone' | 'silent'> {
  const local = owner !== undefined && owner.host === os.hostname();
  const first = mtimeOf(lockDir);
  for (const deadline = Date.now() + WATCH_MS; ; await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (local && !isRunning(owner.pid)) return 'gone';
    const now = mtimeOf(lockDir);
    if (now === undefined) return 'gone';
    if (now !== first) return 'alive';
    if (Date.now() >= deadline) return 'silent';
  }
}

function mtimeOf(file: string): number | undefined {
  return fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
}

/** A killed process answers kill(pid, 0) until it is reaped (a zombie, /proc state Z on Linux): that one is not running. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()?.[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS, Windows): kill(pid, 0) is all there is
  }
}

function readOwner(file: string): Owner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? (owner as Owner) : undefined;
  } catch {
    return undefined;
  }
}

function writeOwner(file: string, owner: Owner): void {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(owner, null, 2) + '\n');
  fs.renameSync(`${file}.tmp`, file);
}
