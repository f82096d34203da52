// The user API's envelope: { code: 0, msg: "success", data } or the seeds' negative codes,
// which differ per operation (each handler declares its own map; INVALID_PARAMS is -1 everywhere).
import type { AppError, ErrorCode } from '../../shared/errors/app-error';
import type { Renderer } from '../../shared/router/create-router';

const COMMON_CODES: Partial<Record<ErrorCode, number>> = {
  INVALID_PARAMS: -1,
  UNKNOWN_ACTION: -1,
  UNAUTHORIZED: -1,
  FORBIDDEN: -1,
  // Seeds 001/002's -1 "提交的参数非法": the submitted value is not acceptable.
  CONTENT_RISKY: -1,
};
const OTHER_ERROR = -2;

export const userEnvelope: Renderer = {
  success: (data) => ({ code: 0, msg: 'success', data: data ?? [] }),
  failure(error: AppError, _name, handler) {
    const code = COMMON_CODES[error.code] ?? handler?.errorCodes?.[error.code] ?? handler?.errorCodes?.INTERNAL ?? OTHER_ERROR;
    const msg = error.code === 'INTERNAL' ? 'internal error' : error.message;
    return { code, msg, data: [] };
  },
};
