// One error type for every function: a stable code plus a message safe to show the caller.
// Each function renders it in its own seed's shape (see the router's renderers).
export const ERROR_CODES = [
  'INVALID_PARAMS',
  'UNKNOWN_ACTION',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'MULTIPLE_USERS',
  'CONFLICT',
  /** User text that WeChat content security rated risky: not saved. */
  'CONTENT_RISKY',
  'INVALID_JSON',
  'JSON_PROCESSING',
  'UNSUPPORTED_MEDIA_TYPE',
  'TOO_MANY_REQUESTS',
  'UPSTREAM',
  'JOB_NOT_READY',
  /** A configuration variable is missing or invalid: the message names it (never its value). */
  'CONFIGURATION',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly details?: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.details = options.details;
  }
}

/** Anything that is not an AppError becomes INTERNAL with a generic message; the cause is kept for the log. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('INTERNAL', 'internal error', { cause: err });
}
