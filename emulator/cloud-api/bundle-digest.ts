// Which build a deletion hides: the sha256 of the file a function's handler names (its bundle).
// `npm start` rebuilds every function, byte for byte the same from unchanged source.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { HostedFunction } from '../runner/ports';

/** undefined when the bundle cannot be read. */
export function bundleDigest(fn: HostedFunction): string | undefined {
  const file = path.join(fn.codeDir, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.js`);
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}
