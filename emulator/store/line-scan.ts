// Loading a collection without JSON.parse: a stored line is checked to be one well-formed JSON
// object by walking its bytes, and only the top-level values the indexes need (`_id`, the unique
// fields, the deletion and nedb index markers) are decoded. Parsing every document at start cost
// 11.6 s of CPU for 1M users (JSON.parse and the garbage collection of the objects it builds);
// documents are kept as bytes anyway and parsed when a query reads them.
// Structure, strings, numbers and literals are checked byte by byte in plain loops (cheaper than
// native Buffer calls for such short spans), so a truncated, cut or garbled line is refused as before.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const LITERALS = [Buffer.from('true'), Buffer.from('false'), Buffer.from('null')];

/** Raw byte ranges of the wanted top-level keys' values, in the order the keys were asked for. */
export class LineScanner {
  private readonly keys: Buffer[];
  readonly starts: number[];
  readonly ends: number[];
  private readonly escaped: boolean[];

  constructor(readonly wanted: readonly string[]) {
    this.keys = wanted.map((k) => Buffer.from(JSON.stringify(k), 'utf8'));
    this.starts = wanted.map(() => -1);
    this.ends = wanted.map(() => -1);
    this.escaped = wanted.map(() => false);
  }

  /** Checks that `line` is one JSON object and records where the wanted keys' values are; throws a plain Error saying what is wrong. */
  scan(line: Buffer): void {
    this.starts.fill(-1);
    let i = skipSpace(line, 0);
    if (line[i] !== LBRACE) throw new Error('a line must hold a JSON object');
    i = skipSpace(line, i + 1);
    if (line[i] === RBRACE) return this.end(line, i + 1);
    for (;;) {
      if (line[i] !== QUOTE) throw syntax(i);
      const keyEnd = stringEnd(line, i);
      const which = this.which(line, i, keyEnd);
      i = skipSpace(line, keyEnd);
      if (line[i] !== COLON) throw syntax(i);
      const valueStart = skipSpace(line, i + 1);
      const valueEnd = skipValue(line, valueStart, 1);
      if (which >= 0) {
        this.starts[which] = valueStart;
        this.ends[which] = valueEnd;
        this.escaped[which] = lastStringEscaped;
      }
      i = skipSpace(line, valueEnd);
      if (line[i] === RBRACE) return this.end(line, i + 1);
      if (line[i] !== COMMA) throw syntax(i);
      i = skipSpace(line, i + 1);
    }
  }

  /** The decoded value of wanted key `index` (undefined when the line does not have it). */
  value(line: Buffer, index: number): unknown {
    const start = this.starts[index]!;
    if (start < 0) return undefined;
    const end = this.ends[index]!;
    if (line[start] === QUOTE && !this.escaped[index]) return line.toString('utf8', start + 1, end - 1);
    try {
      return JSON.parse(line.toString('utf8', start, end));
    } catch (err) {
      throw new Error(`the value of ${this.wanted[index]} is not JSON (${(err as Error).message})`);
    }
  }

  has(index: number): boolean {
    return this.starts[index]! >= 0;
  }

  private which(line: Buffer, start: number, end: number): number {
    const length = end - start;
    for (let k = 0; k < this.keys.length; k++) {
      const key = this.keys[k]!;
      if (key.length === length && sameBytes(line, start, key)) return k;
    }
    return -1;
  }

  private end(line: Buffer, i: number): void {
    if (skipSpace(line, i) !== line.length) throw new Error(`unexpected text after the object at byte ${i}`);
  }
}

function syntax(i: number): Error {
  return new Error(`not valid JSON at byte ${i}`);
}

function skipSpace(line: Buffer, i: number): number {
  for (let c = line[i]; c === 0x20 || c === 0x09 || c === 0x0d; c = line[++i]);
  return i;
}

function sameBytes(line: Buffer, at: number, key: Buffer): boolean {
  for (let k = 0; k < key.length; k++) if (line[at + k] !== key[k]) return false;
  return true;
}

/** The characters JSON allows after a backslash, besides u: " \\ / b f n r t. */
const ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= ZERO && c <= NINE) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46));
}

/** Whether the last string stringEnd walked held an escape (so its bytes are not its value). */
let lastStringEscaped = false;

/** The index after the string whose opening quote is at `start`. */
function stringEnd(line: Buffer, start: number): number {
  lastStringEscaped = false;
  const length = line.length;
  for (let i = start + 1; i < length; i++) {
    const c = line[i];
    if (c === QUOTE) return i + 1;
    if (c! < 0x20) throw new Error(`control character in a string at byte ${i}`);
    if (c === BACKSLASH) {
      lastStringEscaped = true;
      const e = line[++i];
      if (e === 0x75) {
        for (let h = 1; h <= 4; h++) if (!isHex(line[i + h])) throw new Error(`invalid \\u escape at byte ${i - 1}`);
        i += 4;
      } else if (e === undefined || !ESCAPES.has(e)) throw new Error(`invalid escape at byte ${i - 1}`);
    }
  }
  throw new Error(`unterminated string from byte ${start}`);
}

const MAX_DEPTH = 1000;

/** The index after the JSON value starting at `i`. */
function skipValue(line: Buffer, i: number, depth: number): number {
  const c = line[i];
  if (c === QUOTE) return stringEnd(line, i);
  if (c === LBRACE || c === LBRACKET) {
    if (depth > MAX_DEPTH) throw new Error('nested too deeply');
    const object = c === LBRACE;
    const close = object ? RBRACE : RBRACKET;
    i = skipSpace(line, i + 1);
    if (line[i] === close) return i + 1;
    for (;;) {
      if (object) {
        if (line[i] !== QUOTE) throw syntax(i);
        i = skipSpace(line, stringEnd(line, i));
        if (line[i] !== COLON) throw syntax(i);
        i = skipSpace(line, i + 1);
      }
      i = skipSpace(line, skipValue(line, i, depth + 1));
      if (line[i] === close) return i + 1;
      if (line[i] !== COMMA) throw syntax(i);
      i = skipSpace(line, i + 1);
    }
  }
  if (c === MINUS || (c !== undefined && c >= ZERO && c <= NINE)) return skipNumber(line, i);
  for (const literal of LITERALS) if (c === literal[0] && sameBytes(line, i, literal)) return i + literal.length;
  throw syntax(i);
}

/** JSON's number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
function skipNumber(line: Buffer, i: number): number {
  const start = i;
  if (line[i] === MINUS) i++;
  if (line[i] === ZERO) i++;
  else i = digits(line, i, start);
  if (line[i] === DOT) i = digits(line, i + 1, start);
  if (line[i] === LOWER_E || line[i] === UPPER_E) {
    i++;
    if (line[i] === PLUS || line[i] === MINUS) i++;
    i = digits(line, i, start);
  }
  return i;
}

function digits(line: Buffer, i: number, start: number): number {
  const first = i;
  for (let c = line[i]; c !== undefined && c >= ZERO && c <= NINE; c = line[++i]);
  if (i === first) throw new Error(`invalid number at byte ${start}`);
  return i;
}
