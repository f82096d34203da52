// Where a running `npm start` serves, so the project's scripts (invoke, fire, wechat-code,
// deploy --local) find it without being told: .emulator-address.json at the project root, written
// when the emulator listens and removed when it stops.
import fs from 'node:fs';
import path from 'node:path';

/** EMULATOR_ADDRESS_FILE moves it (tests use their own). */
export const ADDRESS_FILE = process.env.EMULATOR_ADDRESS_FILE ?? path.resolve(__dirname, '../.emulator-address.json');
export const DEFAULT_EMULATOR_URL = 'http://127.0.0.1:8090';

interface AddressRecord {
  url: string;
  pid: number;
}

/** Whether a process with this pid exists (EPERM: it does, owned by another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function recordAddress(url: string, file = ADDRESS_FILE): () => void {
  const record: AddressRecord = { url, pid: process.pid };
  fs.writeFileSync(file, JSON.stringify(record) + '\n');
  return () => {
    try {
      const current = JSON.parse(fs.readFileSync(file, 'utf8')) as AddressRecord;
      if (current.pid === process.pid) fs.rmSync(file, { force: true });
    } catch {
      /* already gone or rewritten by another emulator */
    }
  };
}

/** The recorded address of a live emulator, if any. */
export function recordedAddress(file = ADDRESS_FILE): string | undefined {
  try {
    const record = JSON.parse(fs.readFileSync(file, 'utf8')) as AddressRecord;
    return typeof record.url === 'string' && Number.isInteger(record.pid) && alive(record.pid) ? record.url : undefined;
  } catch {
    return undefined;
  }
}

/** --url, else EMULATOR_URL, else the running emulator's recorded address, else the default port. */
export function emulatorUrl(flag?: string): string {
  return (flag ?? process.env.EMULATOR_URL ?? recordedAddress() ?? DEFAULT_EMULATOR_URL).replace(/\/+$/, '');
}
