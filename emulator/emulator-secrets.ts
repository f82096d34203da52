// Secrets the emulator invents for its WeChat stand-in, the functions' token signing and the
// Tencent Cloud API key pair the tcb CLI logs in with: generated once per data folder (kept in
// secrets.json), or per run when in memory.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface EmulatorSecrets {
  appid: string;
  appSecret: string;
  tokenSecret: string;
  /** The one API key pair the emulator's Tencent Cloud API accepts (`tcb login --apiKeyId --apiKey`). */
  cloudSecretId: string;
  cloudSecretKey: string;
}

const alnum = (bytes: number) => randomBytes(bytes).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(bytes, '0').slice(0, bytes);

/** Tencent Cloud key pairs look like AKID + 32 characters, and a 32-character key. */
const freshCloudKey = () => ({ cloudSecretId: `AKID${alnum(32)}`, cloudSecretKey: alnum(32) });

export function loadSecrets(dataDir: string | undefined): EmulatorSecrets {
  const fresh = (): EmulatorSecrets => ({ appid: 'wx0000emulator0000', appSecret: randomBytes(16).toString('hex'), tokenSecret: randomBytes(32).toString('base64url'), ...freshCloudKey() });
  if (!dataDir) return fresh();
  const file = path.join(dataDir, 'secrets.json');
  if (fs.existsSync(file)) {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<EmulatorSecrets>;
    if (stored.cloudSecretId && stored.cloudSecretKey) return stored as EmulatorSecrets;
    // A data folder from before the cloud API: add a key pair, keep the rest.
    const upgraded = { ...stored, ...freshCloudKey() } as EmulatorSecrets;
    fs.writeFileSync(file, JSON.stringify(upgraded, null, 2), { mode: 0o600 });
    return upgraded;
  }
  const secrets = fresh();
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
