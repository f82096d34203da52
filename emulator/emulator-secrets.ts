// Secrets the emulator invents for its WeChat stand-in and the functions' token signing:
// generated once per data folder (kept in secrets.json), or per run when in memory.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface EmulatorSecrets {
  appid: string;
  appSecret: string;
  tokenSecret: string;
}

export function loadSecrets(dataDir: string | undefined): EmulatorSecrets {
  const fresh = (): EmulatorSecrets => ({ appid: 'wx0000emulator0000', appSecret: randomBytes(16).toString('hex'), tokenSecret: randomBytes(32).toString('base64url') });
  if (!dataDir) return fresh();
  const file = path.join(dataDir, 'secrets.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as EmulatorSecrets;
  const secrets = fresh();
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
