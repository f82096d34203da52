// Calling a cloud function from the mini-program, and ONE error type for every way a call fails:
//   common, backdb  reject the call; errMsg holds "CODE: message" (the router's rejectingRenderer)
//   user            answers { code < 0, msg, data }
//   wechat          answers { code >= 400, msg, data }
//   any function    the platform rejects (timeout, network, function missing) with { errCode, errMsg }
// Pages show CloudFunctionError.message: the function's own message, never a stack.
import type { ErrorCode } from '../../shared/errors/app-error';
import { callFunction } from './backend';

export type FunctionName = 'common' | 'user' | 'wechat' | 'backdb';

/** A client method for a contract entry { input, result } (RouterContract, shared/router/define-handler.ts); the input is optional when all its fields are. */
export type Method<I, R> = {} extends I ? (input?: I) => Promise<R> : (input: I) => Promise<R>;

/**
 * common/backdb: the function's ErrorCode ('INVALID_PARAMS', 'FORBIDDEN'…); user: its negative code;
 * wechat: its HTTP-style code (400, 401…); a platform failure: the SDK's errCode, else 'CALL_FAILED';
 * an answer of the wrong shape: 'BAD_RESPONSE'.
 */
export type FailureCode = ErrorCode | number | 'CALL_FAILED' | 'BAD_RESPONSE';

export class CloudFunctionError extends Error {
  readonly fn: FunctionName;
  readonly code: FailureCode;

  constructor(fn: FunctionName, code: FailureCode, message: string) {
    super(message);
    // Kept working when the TypeScript plugin compiles classes down to ES5.
    Object.setPrototypeOf(this, CloudFunctionError.prototype);
    this.name = 'CloudFunctionError';
    this.fn = fn;
    this.code = code;
  }
}

// The codes the rejecting functions put before their message (shared/errors/app-error.ts).
const ERROR_CODES = ['INVALID_PARAMS', 'UNKNOWN_ACTION', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'MULTIPLE_USERS', 'CONFLICT', 'CONTENT_RISKY', 'INVALID_JSON', 'JSON_PROCESSING', 'UNSUPPORTED_MEDIA_TYPE', 'TOO_MANY_REQUESTS', 'UPSTREAM', 'JOB_NOT_READY', 'CONFIGURATION', 'INTERNAL'] as const;
// Does not compile when this list and the server's codes differ (plain types: no `satisfies`, which
// an older DevTools TypeScript plugin may not parse).
type NoneOf<Missing extends never> = Missing;
export type ErrorCodesChecked = [NoneOf<Exclude<ErrorCode, (typeof ERROR_CODES)[number]>>, NoneOf<Exclude<(typeof ERROR_CODES)[number], ErrorCode>>];
const CODE_AND_MESSAGE = new RegExp(`\\b(${ERROR_CODES.join('|')}): ([^\\n]*)`);
/** A stack trace glued to the message on the same line (" at fn (/var/user/index.js:1:2) ..."). */
const STACK_FRAME = /\s+at\s+(?:async\s+)?[^\s()]+(?:\s+\([^)]*:\d+:\d+\)|:\d+:\d+)[\s\S]*$/;

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** A rejected wx.cloud.callFunction → CloudFunctionError ("CODE: message" when the function threw one). */
export function fromRejection(fn: FunctionName, err: unknown): CloudFunctionError {
  if (err instanceof CloudFunctionError) return err;
  const raw = field(err, 'errMsg') ?? field(err, 'message') ?? err;
  const errMsg = typeof raw === 'string' ? raw : '';
  const match = CODE_AND_MESSAGE.exec(errMsg);
  if (match) return new CloudFunctionError(fn, match[1] as ErrorCode, (match[2] as string).replace(STACK_FRAME, '').trim());
  const errCode = field(err, 'errCode');
  const firstLine = (errMsg.split('\n')[0] ?? '').replace(/^cloud\.callFunction:fail\s*/, '').trim();
  return new CloudFunctionError(fn, typeof errCode === 'number' ? errCode : 'CALL_FAILED', firstLine || `the ${fn} function could not be called`);
}

interface Envelope {
  code: number;
  msg: string;
  data: unknown;
  token?: string;
}

function envelope(fn: FunctionName, result: unknown): Envelope {
  if (typeof field(result, 'code') !== 'number') throw new CloudFunctionError(fn, 'BAD_RESPONSE', `unexpected answer from the ${fn} function`);
  return result as Envelope;
}

/** The function's answer on success; throws CloudFunctionError on any failure shape. */
export function unwrap(fn: FunctionName, result: unknown): unknown {
  if (fn === 'user') {
    const body = envelope(fn, result);
    if (body.code < 0) throw new CloudFunctionError(fn, body.code, body.msg);
    return body.data;
  }
  if (fn === 'wechat') {
    const body = envelope(fn, result);
    if (body.code >= 400) throw new CloudFunctionError(fn, body.code, body.msg);
    return body;
  }
  return result;
}

/** callFunction (./backend.ts: wx.cloud, or the emulator in local mode) with seed 000's event shape { name, data } (every function accepts it). */
export async function callCloudFunction(fn: FunctionName, name: string, data: unknown): Promise<unknown> {
  let result: unknown;
  try {
    ({ result } = await callFunction(fn, { name, data }));
  } catch (err) {
    throw fromRejection(fn, err);
  }
  return unwrap(fn, result);
}

export function method<I, R>(fn: FunctionName, name: string): Method<I, R> {
  return ((input?: I) => callCloudFunction(fn, name, input ?? {})) as Method<I, R>;
}

/** What a page shows for a failure: the function's message, or a wx API's errMsg. */
export function messageOf(err: unknown): string {
  if (err instanceof CloudFunctionError) return err.message;
  const errMsg = field(err, 'errMsg');
  return typeof errMsg === 'string' && errMsg !== '' ? errMsg : '出错了，请稍后重试';
}
