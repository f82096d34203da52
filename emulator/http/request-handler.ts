// The node:http request listener around the emulator's routes: a request target that is not a
// path gets a 400, and every failure a route lets escape is answered, or at least logged when the
// client is gone (never a silently dropped connection).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { trackAnswerStatus } from './answer-status';
import { HttpError, sendJson } from './http-utils';
import { RequestRefused } from './json-request';
import { requestUrl } from './request-url';

export type Answer = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export function createRequestHandler(route: Answer): RequestListener {
  return (req, res) => {
    const url = requestUrl(req);
    if (!url) return sendJson(res, 400, { code: 'INVALID_REQUEST_TARGET', message: 'the request target must be a path (/...)' });
    trackAnswerStatus(res, () => void route(req, res, url).catch((err: unknown) => answerFailure(req, res, url, err)));
  };
}

/** Answers (or logs) a failure that escaped a route. */
export function answerFailure(req: IncomingMessage, res: ServerResponse, url: URL, err: unknown): void {
  const where = `${req.method} ${url.pathname}`;
  // req.destroyed is set on every request whose body has been read, so it says nothing about the
  // client; the socket does.
  const clientGone = res.destroyed || !res.socket || res.socket.destroyed || (err as { code?: string }).code === 'ECONNRESET';
  if (clientGone) {
    console.error(`[emulator] ${where}: the client went away before the answer (${(err as Error).message ?? String(err)})`);
    return void res.destroy();
  }
  if (res.headersSent) {
    console.error(`[emulator] ${where} failed after its answer began`, err);
    return void res.destroy();
  }
  if (err instanceof RequestRefused) return sendJson(res, err.status, { code: 'REQUEST_REFUSED', message: err.message });
  if (err instanceof HttpError) return sendJson(res, err.status, err.body);
  console.error(`[emulator] ${where} failed`, err);
  sendJson(res, 500, { code: 'SYS_ERR', message: 'internal emulator error' });
}
