// HMAC signatures for upload grants and temporary download URLs, with a key kept in the storage
// folder so URLs handed out stay valid across emulator restarts (as signed COS URLs do).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export class UrlSigner {
  // A true private field: never enumerated, so no answer that serialises an object holding the signer can carry the key.
  readonly #key: string;

  constructor(storageRoot: string) {
    const keyFile = path.join(storageRoot, '.url-key');
    if (!fs.existsSync(keyFile)) fs.writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
    this.#key = fs.readFileSync(keyFile, 'utf8');
  }

  sign(...parts: string[]): string {
    return createHmac('sha256', this.#key).update(parts.join('\n')).digest('hex');
  }

  verify(signature: string, ...parts: string[]): boolean {
    const expected = Buffer.from(this.sign(...parts));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
