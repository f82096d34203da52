// Start-up mistakes `npm start` reports in one line naming the problem and the fix, checked before
// anything listens (or, for a busy port, when listening fails).
import fs from 'node:fs';
import path from 'node:path';
import { ADDRESS_FILE, alive } from './address-file';

/** A user mistake on the command line: reported by its message alone, with a non-zero exit. */
export class StartupError extends Error {}

/** `--port N`: 0 (any free port) to 65535. */
export function parsePort(raw: string): number {
  const value = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 0 && value <= 65535)) throw new StartupError(`--port expects a whole number from 0 to 65535 (0 picks a free port), got "${raw}"`);
  return value;
}

/** `--cors-origin ORIGIN`: a browser origin, scheme://host[:port] with nothing after it. */
export function parseCorsOrigin(raw: string): string {
  let origin: string | undefined;
  try {
    origin = new URL(raw).origin;
  } catch {
    origin = undefined;
  }
  if (!origin || origin === 'null' || origin !== raw) throw new StartupError(`--cors-origin expects an origin such as http://localhost:5173 (scheme, host and port, no path), got "${raw}"`);
  return origin;
}

/** The data folder must be a folder, or not exist yet under folders. */
export function checkDataDir(dir: string): void {
  let at = path.resolve(dir);
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(at);
    } catch {
      stat = undefined;
    }
    if (stat) {
      if (stat.isDirectory()) return;
      const what = at === path.resolve(dir) ? `the data folder ${at} is a file` : `${at} is a file, so the data folder ${path.resolve(dir)} cannot be made`;
      throw new StartupError(`${what}: pass --data with a folder path, or --in-memory`);
    }
    const parent = path.dirname(at);
    if (parent === at) return;
    at = parent;
  }
}

/** Which process listens on a TCP port, if cheaply known: the recorded emulator, else /proc (Linux). */
export function portHolder(port: number): string | undefined {
  try {
    const record = JSON.parse(fs.readFileSync(ADDRESS_FILE, 'utf8')) as { url: string; pid: number };
    if (new URL(record.url).port === String(port) && alive(record.pid)) return `an emulator (pid ${record.pid}, see ${path.basename(ADDRESS_FILE)})`;
  } catch {
    /* no record */
  }
  return procNetHolder(port);
}

function procNetHolder(port: number): string | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT; state 0A is LISTEN; column 9 is the socket's inode.
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A' && cols[9]) inodes.add(cols[9]);
    }
  }
  if (!inodes.size) return undefined;
  let pids: string[] = [];
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^[0-9]+$/.test(p));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target = '';
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').replace(/\s+/g, ' ');
        return `pid ${pid} (${cmd.length > 80 ? cmd.slice(0, 77) + '...' : cmd})`;
      }
    }
  }
  return undefined;
}

/** The one line for a listen or data-folder failure that is the user's to fix, else undefined. */
export function startupFailure(err: unknown, port: number, host: string, dataDir: string | undefined): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    const holder = portHolder(port);
    return `port ${port} on ${host} is already in use${holder ? ` by ${holder}` : ''}: stop that process, or pass --port with another port (--port 0 picks a free one)`;
  }
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${host}: it is not an address of this machine; pass --host 127.0.0.1`;
  if (code === 'EACCES' && (err as NodeJS.ErrnoException).syscall === 'listen') return `not allowed to listen on port ${port}: pass --port 1024 or higher`;
  if ((code === 'EEXIST' || code === 'ENOTDIR') && dataDir) return `the data folder ${dataDir} is not a folder (${(err as NodeJS.ErrnoException).path ?? dataDir} is a file): pass --data with a folder path, or --in-memory`;
  return undefined;
}
