// The wechat API's envelope: { code, msg, data } (+ token), where code is also the HTTP status.
import type { AppError, ErrorCode } from '../../shared/errors/app-error';
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
  INTERNAL: 500,
};

export function statusOf(error: AppError): number {
  // WeChat refused what the client sent (a bad or used code): the client's mistake, 400.
  if (error.code === 'UPSTREAM' && typeof error.details?.errcode === 'number') return 400;
  return STATUS[error.code];
}

export const wechatEnvelope: Renderer = {
  success(result): WechatBody {
    const r = result as WechatResult;
    return { code: 200, msg: r.msg, data: r.data, ...(r.token ? { token: r.token } : {}) };
  },
  failure(error: AppError): WechatBody {
    const code = statusOf(error);
    const msg = code === 500 ? (error.code === 'UPSTREAM' ? 'WeChat service unavailable, try again later' : 'internal error') : error.message;
    return { code, msg, data: {} };
  },
};
