// The door every mutating emulator route reads its JSON body through (callFunction, the CloudBase
// API, the control and console APIs; new services too). It refuses, before anything acts:
// - an Origin other than the emulator's own: a web page the developer opens could otherwise post
//   to it as a trusted server-side caller (browsers send Origin on every cross-origin POST);
// - a body whose Content-Type is not JSON: a cross-site form or `fetch(..., {mode: 'no-cors'})`
//   can only send text/plain, form and multipart bodies without a CORS preflight, which the
//   emulator never grants;
// - bytes that are not UTF-8 (RFC 8259 §8.1: JSON exchanged between systems is UTF-8);
// - nesting deeper than MAX_JSON_DEPTH, counted on the raw text before parsing: a deeply nested
//   value overflows the stack of whatever walks it next (structured clone to a function's worker,
//   the EJSON codec, the store).
// Routes on CloudBase's and WeChat's own public paths (HTTP access, the WeChat stand-in) accept
// what production accepts and do not use this.
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import { HttpError, readBody } from './http-utils';

/**
 * Deeper than any document MongoDB stores (100 levels, "Nested Depth for BSON Documents" in the
 * MongoDB manual's limits) with room for the operators around it, far below what overflows a stack.
 */
export const MAX_JSON_DEPTH = 256;

export type RefusalStatus = 400 | 403 | 413 | 415;

/** Why the door refused a request; each route answers it in its own error shape. */
export class RequestRefused extends Error {
  constructor(
    readonly status: RefusalStatus,
    message: string,
    /** `syntax` is a body that is not JSON at all; routes whose service answers that in-band can. */
    readonly reason: 'refused' | 'syntax' = 'refused',
  ) {
    super(message);
  }
}

export interface JsonRequestOptions {
  limitBytes: number;
  maxDepth?: number;
  /** Origins allowed besides the emulator's own: the mini-program's local-mode routes (http/cors.ts). */
  allowOrigin?: (origin: string) => boolean;
}

/**
 * Reads and parses the JSON body of a mutating request. An empty body is `undefined` (and may come
 * without a Content-Type, as `npm run fire` sends it). Throws RequestRefused.
 */
export async function readJsonRequest(req: IncomingMessage, options: JsonRequestOptions): Promise<unknown> {
  let raw: Buffer;
  try {
    raw = await readBody(req, options.limitBytes);
  } catch (err) {
    if (err instanceof HttpError) throw new RequestRefused(413, `request body exceeds ${options.limitBytes} bytes`);
    throw err;
  }
  assertSameOrigin(req, options.allowOrigin);
  const type = req.headers['content-type'];
  if (type !== undefined || raw.length > 0) assertJsonContentType(type);
  if (raw.length === 0) return undefined;
  return parseJsonText(decodeUtf8(raw), options.maxDepth ?? MAX_JSON_DEPTH);
}

/** For a mutating request that takes no body: only the Origin matters. */
export function assertSameOrigin(req: IncomingMessage, allowOrigin?: (origin: string) => boolean): void {
  const origin = req.headers.origin;
  // The SDK, the tcb CLI, curl and the project's scripts send no Origin; browsers always do on a POST.
  if (origin === undefined) return;
  if (!isOwnOrigin(origin, req.headers.host) && !allowOrigin?.(origin)) throw new RequestRefused(403, `cross-origin request refused (Origin ${JSON.stringify(origin.slice(0, 100))}): only the emulator's own console may call this`);
}

/**
 * The console's own origin is the address the browser used to reach the emulator. Only a numeric
 * address or localhost counts: with a DNS name, a rebinding attacker's page would have a matching
 * Host header too.
 */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (!host || origin !== `http://${host}`) return false;
  let hostname: string;
  try {
    hostname = new URL(origin).hostname;
  } catch {
    return false;
  }
  return hostname === 'localhost' || net.isIP(hostname.replace(/^\[(.*)\]$/, '$1')) !== 0;
}

function assertJsonContentType(type: string | undefined): void {
  const [mediaType = '', ...params] = (type ?? '').split(';').map((p) => p.trim().toLowerCase());
  if (mediaType !== 'application/json') throw new RequestRefused(415, `Content-Type must be application/json (got ${JSON.stringify((type ?? '(none)').slice(0, 100))})`);
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new RequestRefused(415, `JSON must be sent as UTF-8 (got charset ${JSON.stringify(charset.slice(0, 40))})`);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function decodeUtf8(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw new RequestRefused(400, 'request body is not valid UTF-8');
  }
}

/** Parses JSON text after checking its depth; throws RequestRefused(400). */
export function parseJsonText(text: string, maxDepth: number = MAX_JSON_DEPTH): unknown {
  if (jsonDepthExceeds(text, maxDepth)) throw new RequestRefused(400, `JSON nested deeper than ${maxDepth} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestRefused(400, 'request body is not valid JSON', 'syntax');
  }
}

/** Whether objects and arrays in the JSON text nest deeper than `max` (strings skipped; no recursion). */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * Whether any string inside an already-parsed body holds JSON nested deeper than `max` (the
 * CloudBase API carries queries, documents and events as JSON strings inside its JSON body).
 */
export function embeddedJsonTooDeep(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  if (typeof value === 'string') return /^\s*[[{]/.test(value) && jsonDepthExceeds(value, max);
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some((v) => embeddedJsonTooDeep(v, max));
}
