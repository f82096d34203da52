// The append-only file of one collection: every acknowledged write is one line appended with a
// synchronous write() before the caller is answered, so a killed process loses nothing it
// acknowledged (the page cache outlives the process). Loading streams the file in chunks and never
// rewrites it; compaction writes the live documents to `<name>.db~` and renames it over the file.
import fs from 'node:fs';

const CHUNK_BYTES = 16 * 1024 * 1024;
const NEWLINE = 0x0a;

export class CorruptDataError extends Error {}

export class CollectionFile {
  private fd: number;

  private constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'a');
  }

  /**
   * Opens (creating if missing) and replays the file: `onLine` gets each non-empty line's bytes
   * and throws when it cannot use one; that, or a truncated last line, stops the load with an error
   * naming the file and line: nothing is silently dropped.
   */
  static open(file: string, onLine: (bytes: Buffer) => void): CollectionFile {
    recoverInterruptedCompaction(file);
    if (fs.existsSync(file)) replay(file, onLine);
    return new CollectionFile(file);
  }

  /** Appends whole lines in one write; returns once the kernel has them. */
  append(lines: readonly string[]): void {
    writeFully(this.fd, Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
  }

  /** Rewrites the file as exactly these document lines (in this order), atomically. */
  compact(lines: Iterable<Buffer>): void {
    const temp = `${this.file}~`;
    const fd = fs.openSync(temp, 'w');
    try {
      let batch: Buffer[] = [];
      let size = 0;
      const flush = () => {
        if (batch.length > 0) writeFully(fd, Buffer.concat(batch, size));
        batch = [];
        size = 0;
      };
      for (const line of lines) {
        batch.push(line, NEWLINE_BYTES);
        size += line.length + 1;
        if (size >= CHUNK_BYTES) flush();
      }
      flush();
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.closeSync(this.fd);
    fs.renameSync(temp, this.file);
    this.fd = fs.openSync(this.file, 'a');
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  /** Closes and deletes the file (dropCollection). */
  destroy(): void {
    this.close();
    fs.rmSync(this.file, { force: true });
  }
}

const NEWLINE_BYTES = Buffer.from('\n');

function writeFully(fd: number, bytes: Buffer): void {
  for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
}

/** A compaction killed before its rename leaves `<file>~`: the original is still whole, unless the rename's own crash left only the temp. */
function recoverInterruptedCompaction(file: string): void {
  const temp = `${file}~`;
  if (!fs.existsSync(temp)) return;
  if (fs.existsSync(file)) fs.rmSync(temp);
  else fs.renameSync(temp, file);
}

function replay(file: string, onLine: (bytes: Buffer) => void): void {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    let carry = Buffer.alloc(0);
    let position = 0;
    let lineNumber = 0;
    for (;;) {
      // Each chunk is its own buffer (sized to what is left): the store keeps slices of it as the documents' bytes.
      const want = Math.min(CHUNK_BYTES, size - position);
      const chunk = Buffer.allocUnsafeSlow(carry.length + want);
      carry.copy(chunk, 0);
      const read = want > 0 ? fs.readSync(fd, chunk, carry.length, want, position) : 0;
      position += read;
      const data = chunk.subarray(0, carry.length + read);
      let start = 0;
      for (let nl = data.indexOf(NEWLINE, start); nl >= 0; nl = data.indexOf(NEWLINE, start)) {
        lineNumber++;
        if (nl > start) {
          const bytes = data.subarray(start, nl);
          try {
            onLine(bytes);
          } catch (err) {
            throw new CorruptDataError(`${file}:${lineNumber}: ${(err as Error).message}: ${preview(bytes)}. Move the file aside or repair the line; nothing was loaded from this collection.`);
          }
        }
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
      if (read === 0) break;
    }
    if (carry.length > 0) {
      throw new CorruptDataError(`${file}:${lineNumber + 1}: the last line is truncated (no newline at its end): ${preview(carry)}. Move the file aside or repair the line; nothing was loaded from this collection.`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function preview(bytes: Buffer): string {
  const text = bytes.subarray(0, 80).toString('utf8');
  return JSON.stringify(bytes.length > 80 ? `${text}…` : text);
}
