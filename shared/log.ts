// Log lines for unexpected failures. Only the error's class, code and message are printed: never
// request payloads, tokens or upstream URLs (which can carry the app secret).
const SECRET_PATTERN = /(secret|access_token|session_key|token)=([^&\s]+)/gi;

export function logError(message: string, err: unknown): void {
  const e = err as { name?: string; code?: unknown; errCode?: unknown; message?: string; cause?: unknown } | undefined;
  const cause = e?.cause as { message?: string } | undefined;
  const detail = [e?.name, e?.code ?? e?.errCode, e?.message, cause?.message].filter((x) => x !== undefined && x !== '').join(' | ');
  console.error(`[error] ${message}: ${detail.replace(SECRET_PATTERN, '$1=***')}`);
}

/** A failure that is not an exception, said in one line a person would notice (e.g. a backup that exported nothing). */
export function logFailure(message: string): void {
  console.error(`[error] ${message.replace(SECRET_PATTERN, '$1=***')}`);
}

/** A notable event that is not a failure (e.g. a phone number moving to its verified owner). */
export function logEvent(message: string): void {
  console.info(`[event] ${message.replace(SECRET_PATTERN, '$1=***')}`);
}
