// Calling a cloud function from the mini-program, and ONE error type for every way a call fails:
//   common, backdb  reject the call; errMsg holds "CODE: message" (the router's rejectingRenderer)
//   user            answers { code < 0, msg, data }
//   wechat          answers { code >= 400, msg, data }
//   any function    the platform rejects (timeout, network, function missing) with { errCode, errMsg }
// Pages show CloudFunctionError.message: the function's own message, never a stack.

export type FunctionName = 'common' | 'user' | 'wechat' | 'backdb';

/** The shape of a router contract (shared/router/define-handler.ts RouterContract). */
export type Contract = { [name: string]: { input: unknown; result: unknown } };

/** A method taking the handler's input (optional when every field is optional). */
export type Method<I, R> = {} extends I ? (input?: I) => Promise<R> : (input: I) => Promise<R>;

export class CloudFunctionError extends Error {
  readonly fn: FunctionName;
  /** 'INVALID_PARAMS'… for common/backdb, the negative code for user, the HTTP-style code for wechat, errCode for platform failures. */
  readonly code: string | number;

  constructor(fn: FunctionName, code: string | number, message: string) {
    super(message);
    // Kept working when the TypeScript plugin compiles classes down to ES5.
    Object.setPrototypeOf(this, CloudFunctionError.prototype);
    this.name = 'CloudFunctionError';
    this.fn = fn;
    this.code = code;
  }
}

const CODE_AND_MESSAGE = /\b([A-Z][A-Z0-9_]{2,}): ([^\n]*)/;
const STACK_FRAME = /\s+at\s+\S.*$/;

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** A rejected wx.cloud.callFunction → CloudFunctionError ("CODE: message" when the function threw one). */
export function fromRejection(fn: FunctionName, err: unknown): CloudFunctionError {
  if (err instanceof CloudFunctionError) return err;
  const errMsg = String(field(err, 'errMsg') ?? field(err, 'message') ?? err ?? '');
  const match = CODE_AND_MESSAGE.exec(errMsg);
  if (match) return new CloudFunctionError(fn, match[1] as string, (match[2] as string).replace(STACK_FRAME, '').trim());
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

/** wx.cloud.callFunction with seed 000's event shape { name, data } (every function accepts it). */
export async function callCloudFunction(fn: FunctionName, name: string, data: unknown): Promise<unknown> {
  let result: unknown;
  try {
    ({ result } = await wx.cloud.callFunction({ name: fn, data: { name, data } }));
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
  return typeof errMsg === 'string' && errMsg !== '' ? errMsg : 'Something went wrong, please try again';
}
