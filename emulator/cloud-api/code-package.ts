// Unpacks a function's zip with yauzl into a fresh folder under the emulator's data folder, or
// refuses it with SCF's error codes: corrupt, over 50 MB, entries escaping the folder (`..`,
// absolute paths), too large unpacked, or no file for the handler. Nothing is written outside
// `dest`, and a refused package leaves nothing behind.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { CloudApiError } from '../lib/api3-action';

/** SCF's limit on an uploaded code package. */
export const CODE_ZIP_LIMIT = 50 * 1024 * 1024;
/** SCF's limit on the unpacked code. */
export const CODE_UNPACKED_LIMIT = 500 * 1024 * 1024;
const MAX_ENTRIES = 50_000;

const openZip = (zip: Buffer) =>
  new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (err, file) => (err || !file ? reject(err) : resolve(file))),
  );

const invalidZip = (why: string) => new CloudApiError('InvalidParameterValue.ZipFile', `The code package is not a valid zip file: ${why}`);

export interface UnpackedCode {
  files: number;
  unpackedBytes: number;
}

/** Unpacks into `dest` (which must not exist yet) and checks `handler` (`<file>.<export>`) has its file. */
export async function unpackCode(zip: Buffer, dest: string, handler: string): Promise<UnpackedCode> {
  if (zip.length > CODE_ZIP_LIMIT) throw new CloudApiError('InvalidParameterValue.Code', `The code package is ${zip.length} bytes; SCF accepts at most ${CODE_ZIP_LIMIT} bytes (50 MB).`);
  const handlerFile = handlerFileOf(handler);
  const root = path.resolve(dest);
  fs.mkdirSync(root, { recursive: false });
  try {
    const result = await extract(zip, root);
    if (!fs.existsSync(path.join(root, handlerFile))) {
      throw new CloudApiError('InvalidParameterValue.Handler', `The code package has no ${handlerFile} for the handler ${handler}.`);
    }
    return result;
  } catch (err) {
    fs.rmSync(root, { recursive: true, force: true });
    throw err;
  }
}

/** `index.main` → `index.js`; SCF: file and export names of letters, digits, `_` and `-` (and `/` in the file part). */
export function handlerFileOf(handler: string): string {
  const match = /^([A-Za-z0-9_/-]+)\.([A-Za-z_$][A-Za-z0-9_$]*)$/.exec(handler);
  if (!match || match[1]!.split('/').some((s) => s === '' || s === '..')) throw new CloudApiError('InvalidParameterValue.Handler', `Handler "${handler}" must be <file>.<function>, e.g. index.main.`);
  return `${match[1]}.js`;
}

async function extract(zip: Buffer, root: string): Promise<UnpackedCode> {
  let file: yauzl.ZipFile;
  try {
    file = await openZip(zip);
  } catch (err) {
    throw invalidZip((err as Error).message);
  }
  let files = 0;
  let unpackedBytes = 0;
  let entries = 0;
  return new Promise<UnpackedCode>((resolve, reject) => {
    const fail = (err: unknown) => {
      file.close();
      reject(err instanceof CloudApiError ? err : invalidZip((err as Error).message));
    };
    file.on('error', fail);
    file.on('end', () => resolve({ files, unpackedBytes }));
    file.on('entry', (entry: yauzl.Entry) => {
      void (async () => {
        if (++entries > MAX_ENTRIES) throw invalidZip(`more than ${MAX_ENTRIES} entries`);
        // yauzl already refuses absolute paths and `..` (strictFileNames also backslashes); this
        // second check keeps every write under root whatever the library decides.
        const target = path.resolve(root, entry.fileName);
        if (target !== root && !target.startsWith(root + path.sep)) throw invalidZip(`entry "${entry.fileName}" points outside the package`);
        if (entry.fileName.endsWith('/')) {
          fs.mkdirSync(target, { recursive: true });
          return;
        }
        unpackedBytes += entry.uncompressedSize;
        if (unpackedBytes > CODE_UNPACKED_LIMIT) throw new CloudApiError('InvalidParameterValue.Code', `The unpacked code exceeds ${CODE_UNPACKED_LIMIT} bytes.`);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const stream = await new Promise<NodeJS.ReadableStream>((res, rej) => file.openReadStream(entry, (err, s) => (err || !s ? rej(err) : res(s))));
        // 'wx': never follow or overwrite something already there. Symlink entries become plain files.
        await pipeline(stream, fs.createWriteStream(target, { flags: 'wx', mode: 0o644 }));
        files++;
      })().then(() => file.readEntry(), fail);
    });
    file.readEntry();
  });
}
