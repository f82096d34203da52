// The node:http request listener around the emulator's routes: a request whose Host is not the
// emulator's own gets a 421 (./host-check.ts), another site's request to a local tool a 403
// (./fetch-site.ts), a request target that is not a path a 400, and
// every failure a route lets escape is answered, or at least logged when the client is gone
// (never a silently dropped connection).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { trackAnswerStatus } from './answer-status';
import { crossSiteRefusal } from './fetch-site';
import type { Diagnostics } from '../lib/output-sinks';
import { terminalSafe } from '../lib/terminal-text';
import type { HostCheck } from './host-check';
import { HttpError, sendJson } from './http-utils';
import { RequestRefused } from './json-request';
import { requestUrl } from './request-url';

export type Answer = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export function createRequestHandler(route: Answer, admission: { hosts: HostCheck; diagnostics: Diagnostics }): RequestListener {
  return (req, res) => {
    // RFC 9110 §15.5.20: 421 Misdirected Request, for a request not meant for this server.
    const misdirected = admission.hosts.refusal(req);
    if (misdirected) return sendJson(res, 421, { code: 'MISDIRECTED_REQUEST', message: misdirected }, { connection: 'close' });
    const url = requestUrl(req);
    if (!url) return sendJson(res, 400, { code: 'INVALID_REQUEST_TARGET', message: 'the request target must be a path (/...)' });
    const crossSite = crossSiteRefusal(req, url);
    if (crossSite) return sendJson(res, 403, { code: 'CROSS_SITE_REQUEST_REFUSED', message: crossSite });
    trackAnswerStatus(res, () => void route(req, res, url).catch((err: unknown) => answerFailure(req, res, url, err, admission.diagnostics)));
  };
}

/** Answers (or reports) a failure that escaped a route. */
function answerFailure(req: IncomingMessage, res: ServerResponse, url: URL, err: unknown, diagnostics: Diagnostics): void {
  const where = terminalSafe(`${req.method} ${url.pathname}`);
  // req.destroyed is set on every request whose body has been read, so it says nothing about the
  // client; the socket does.
  const clientGone = res.destroyed || !res.socket || res.socket.destroyed || (err as { code?: string }).code === 'ECONNRESET';
  if (clientGone) {
    diagnostics.error(`[emulator] ${where}: the client went away before the answer (${(err as Error).message ?? String(err)})`);
    return void res.destroy();
  }
  if (res.headersSent) {
    diagnostics.error(`[emulator] ${where} failed after its answer began`, err);
    return void res.destroy();
  }
  if (err instanceof RequestRefused) return sendJson(res, err.status, { code: 'REQUEST_REFUSED', message: err.message });
  if (err instanceof HttpError) return sendJson(res, err.status, err.body);
  diagnostics.error(`[emulator] ${where} failed`, err);
  sendJson(res, 500, { code: 'SYS_ERR', message: 'internal emulator error' });
}
