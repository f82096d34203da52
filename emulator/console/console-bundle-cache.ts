// The console UI's bundle kept on disk between emulator starts. An entry records the build's key
// (its options and esbuild's version) and the sha256 of every file the build read (esbuild's
// metafile inputs and the tsconfig); it is used only while all of them are unchanged. It is written
// to a file of its own and renamed into place, so concurrent emulators never read half an entry;
// any entry that cannot be read or written is ignored and the UI is bundled again.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface ConsoleAssets {
  js: string;
  css: string;
}

interface CacheEntry {
  key: string;
  /** File (relative to the root) → sha256 of its content. */
  inputs: Record<string, string>;
  assets: ConsoleAssets;
}

const sha256 = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const keyOf = (key: unknown) => sha256(JSON.stringify(key));

function fileHash(root: string, file: string): string | undefined {
  try {
    return sha256(fs.readFileSync(path.resolve(root, file)));
  } catch {
    return undefined;
  }
}

export function readBundleCache(cacheFile: string, key: unknown, root: string, alsoRead: readonly string[]): ConsoleAssets | undefined {
  let entry: CacheEntry;
  try {
    entry = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as CacheEntry;
  } catch {
    return undefined;
  }
  if (entry?.key !== keyOf(key) || typeof entry.inputs !== 'object' || entry.inputs === null || typeof entry.assets?.js !== 'string' || typeof entry.assets.css !== 'string') return undefined;
  const files = Object.keys(entry.inputs);
  const wanted = alsoRead.map((f) => path.relative(root, path.resolve(root, f)));
  if (!wanted.every((f) => files.includes(f))) return undefined;
  return files.every((f) => fileHash(root, f) === entry.inputs[f]) ? entry.assets : undefined;
}

/**
 * `builtSince`: when the build started (ms since the epoch). An input changed since then may have
 * been read before the change, so the hash taken now would not be what was built: not kept.
 */
export function writeBundleCache(cacheFile: string, key: unknown, root: string, inputs: readonly string[], assets: ConsoleAssets, builtSince: number): void {
  const hashes: Record<string, string> = {};
  for (const input of inputs) {
    const relative = path.relative(root, path.resolve(root, input));
    let changedSince: boolean;
    try {
      changedSince = fs.statSync(path.resolve(root, relative)).mtimeMs >= builtSince;
    } catch {
      return; // a virtual or vanished input: such a build is not kept
    }
    const hash = fileHash(root, relative);
    if (hash === undefined || changedSince) return;
    hashes[relative] = hash;
  }
  const temp = `${cacheFile}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    fs.writeFileSync(temp, JSON.stringify({ key: keyOf(key), inputs: hashes, assets } satisfies CacheEntry));
    fs.renameSync(temp, cacheFile);
  } catch {
    fs.rmSync(temp, { force: true }); // a read-only or full disk: the next start bundles again
  }
}
