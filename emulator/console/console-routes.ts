// The web console: GET /_/ (the page), /_/app.js and /_/app.css (the bundled UI) and its JSON API
// under /_emulator/console/. Mounted by the emulator as an extra route; local use only.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { EmulatorContext } from '../emulator-context';
import { sendJson } from '../http/http-utils';
import { dispatch, type ApiRoute } from './api/api-router';
import { backupRoutes } from './api/backups-api';
import { dataRoutes } from './api/data-api';
import { functionRoutes } from './api/functions-api';
import { infoRoutes } from './api/info-api';
import { streamLogs } from './api/log-stream';
import { storageRoutes } from './api/storage-api';
import { consoleAssets } from './console-bundle';

const API_ROUTES: readonly ApiRoute[] = [...infoRoutes, ...dataRoutes, ...functionRoutes, ...backupRoutes, ...storageRoutes];
const INDEX_HTML = path.join(__dirname, 'index.html');

export async function handleConsole(req: IncomingMessage, res: ServerResponse, url: URL, ctx: EmulatorContext): Promise<boolean> {
  const p = url.pathname;
  if (p === '/_' || p.startsWith('/_/')) return serveUi(req, res, p);
  if (!p.startsWith('/_emulator/console/')) return false;
  if (p === '/_emulator/console/logs/stream' && req.method === 'GET') {
    streamLogs(req, res, ctx);
    return true;
  }
  if (await dispatch(API_ROUTES, req, res, url, ctx)) return true;
  sendJson(res, 404, { error: `no console route ${req.method} ${p}` });
  return true;
}

async function serveUi(req: IncomingMessage, res: ServerResponse, p: string): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (p === '/_') {
    res.writeHead(302, { location: '/_/' }).end();
    return true;
  }
  if (p === '/_/' || p === '/_/index.html') {
    consoleAssets().catch(() => undefined); // start bundling while the browser parses the page
    return send(res, 200, 'text/html; charset=utf-8', fs.readFileSync(INDEX_HTML, 'utf8'));
  }
  if (p === '/_/app.js' || p === '/_/app.css') {
    try {
      const assets = await consoleAssets();
      return p.endsWith('.js') ? send(res, 200, 'text/javascript; charset=utf-8', assets.js) : send(res, 200, 'text/css; charset=utf-8', assets.css);
    } catch (err) {
      console.error('[console] UI bundle failed to build', err);
      return send(res, 500, 'text/plain; charset=utf-8', `console bundle failed to build: ${(err as Error).message}`);
    }
  }
  return false;
}

/** No other origin may frame the console (clickjacking): X-Frame-Options for older browsers, CSP frame-ancestors (CSP Level 2) for current ones. */
const NO_FRAMING = { 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'" };

function send(res: ServerResponse, status: number, type: string, body: string): true {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...NO_FRAMING });
  res.end(body);
  return true;
}
