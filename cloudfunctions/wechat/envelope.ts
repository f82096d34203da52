// The wechat API's envelope: { code, msg, data } (+ token), where code is also the HTTP status.
import type { AppError, ErrorCode } from '../../shared/errors/app-error';
import { logError } from '../../shared/log';
import type { Renderer } from '../../shared/router/create-router';

export interface WechatBody {
  code: number;
  msg: string;
  data: Record<string, unknown>;
  token?: string;
}

/** What a wechat handler returns: the envelope minus the code. */
export interface WechatResult {
  msg: string;
  data: Record<string, unknown>;
  token?: string;
}

const STATUS: Record<ErrorCode, number> = {
  INVALID_PARAMS: 400,
  CONFLICT: 400,
  CONTENT_RISKY: 400,
  UNKNOWN_ACTION: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 401,
  NOT_FOUND: 404,
  MULTIPLE_USERS: 500,
  INVALID_JSON: 400,
  JSON_PROCESSING: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  UPSTREAM: 500,
  JOB_NOT_READY: 400,
  CONFIGURATION: 500,
  INTERNAL: 500,
};

/** WeChat errcodes that blame what the client sent: an invalid, used or missing code, or a user WeChat blocks. */
const CLIENT_ERRCODES = new Set([40029, 40163, 40226, 41008]);
/** WeChat's per-user frequency limit (jscode2session: 100 calls per user per minute). */
const FREQUENCY_ERRCODE = 45011;

export function statusOf(error: AppError): number {
  const errcode = error.details?.errcode;
  if (error.code === 'UPSTREAM' && typeof errcode === 'number') {
    // WeChat refused the client's code: the client's mistake, 400. Any other errcode (-1 system
    // busy, 40013/40125 our appid or secret wrong, ...) is not the client's doing: 500.
    if (CLIENT_ERRCODES.has(errcode)) return 400;
    if (errcode === FREQUENCY_ERRCODE) return 429;
  }
  return STATUS[error.code];
}

export const wechatEnvelope: Renderer = {
  success(result): WechatBody {
    const r = result as WechatResult;
    return { code: 200, msg: r.msg, data: r.data, ...(r.token ? { token: r.token } : {}) };
  },
  failure(error: AppError): WechatBody {
    const code = statusOf(error);
    let msg = error.message;
    if (code === 500 && error.code === 'UPSTREAM') {
      // The caller learns nothing of WeChat's answer (it may name our appid or secret); the log does.
      logError('WeChat call failed', error);
      msg = 'WeChat service unavailable, try again later';
    } else if (code === 500 && error.code !== 'CONFIGURATION') msg = 'internal error';
    else if (code === 429) msg = 'too many requests, try again later';
    return { code, msg, data: {} };
  },
};
