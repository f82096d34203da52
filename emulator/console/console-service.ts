// The web console as an emulated service: GET /_/ (the page), /_/app.js and /_/app.css (the
// bundled UI), and its JSON API under /_emulator/console/: the banner, the log stream and the
// console facet of every service in the table. Local use only.
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { serveApi, type ApiRoute } from '../http/api-table';
import { sendJson } from '../http/http-utils';
import type { Route } from '../http/routes';
import { FUNCTIONS, INVOCATION_LOG } from '../runner/ports';
import type { ServiceFactory } from '../service';
import { DatabaseError } from '../store/database-error';
import { infoRoutes } from './api/info-api';
import { streamLogs } from './api/log-stream';
import { consoleAssets } from './console-bundle';

const INDEX_HTML = path.join(__dirname, 'index.html');
const BODY_LIMIT = 4 * 1024 * 1024;
const NO_STORE = { 'cache-control': 'no-store' };

export const consoleService: ServiceFactory = ({ envId, ports, consoleFacets, diagnostics }) => {
  // Gathered at the first request, when every service of the table has been built.
  let gathered: ApiRoute[] | undefined;
  const api = () => (gathered ??= [...Object.values(infoRoutes(envId, () => ports.need(FUNCTIONS).definitions().length)), ...consoleFacets()]);
  const ui: Route[] = [
    { methods: ['GET', 'HEAD'], path: '/_', handle: (_req, res) => void res.writeHead(302, { location: '/_/' }).end() },
    { methods: ['GET', 'HEAD'], path: /^\/_\/(index\.html)?$/, handle: (_req, res) => {
      consoleAssets().catch(() => undefined); // start bundling while the browser parses the page
      send(res, 200, 'text/html; charset=utf-8', fs.readFileSync(INDEX_HTML, 'utf8'));
    } },
    { methods: ['GET', 'HEAD'], path: /^\/_\/app\.(js|css)$/, handle: async (_req, res, { url }) => {
      try {
        const assets = await consoleAssets();
        url.pathname.endsWith('.js') ? send(res, 200, 'text/javascript; charset=utf-8', assets.js) : send(res, 200, 'text/css; charset=utf-8', assets.css);
      } catch (err) {
        diagnostics.error('[console] UI bundle failed to build', err);
        send(res, 500, 'text/plain; charset=utf-8', `console bundle failed to build: ${(err as Error).message}`);
      }
    } },
  ];
  return {
    name: 'console',
    routes: [
      ...ui,
      { methods: ['GET'], path: '/_emulator/console/logs/stream', handle: (req, res) => streamLogs(req, res, ports.need(INVOCATION_LOG)) },
      { path: /^\/_emulator\/console\//, handle: async (req, res, { url }) => {
        if (await serveApi(api(), req, res, url, { limitBytes: BODY_LIMIT, headers: NO_STORE, bodyMethods: ['POST', 'PUT'], describe, diagnostics })) return;
        sendJson(res, 404, { error: `no console route ${req.method} ${url.pathname}` });
      } },
    ],
    close: () => undefined,
  };
};

/** Every error of a console route is answered: a database error as the client's, anything else a 500. */
function describe(err: unknown): [number, string] {
  if (err instanceof DatabaseError) return [err.code === 'DATABASE_COLLECTION_NOT_EXIST' ? 404 : 400, `${err.code}: ${err.message}`];
  return [500, (err as Error).message ?? String(err)];
}

/** No other origin may frame the console (clickjacking): X-Frame-Options for older browsers, CSP frame-ancestors (CSP Level 2) for current ones. */
const NO_FRAMING = { 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'" };

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...NO_FRAMING });
  res.end(body);
}
