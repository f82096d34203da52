// Fetch Metadata (W3C "Fetch Metadata Request Headers", §5 "Deployment Considerations": a resource
// isolation policy): every current browser says in Sec-Fetch-Site whether a request comes from the
// emulator's own origin. The console, its API, the /_emulator control API and the server API
// (/admin) are local tools the emulator's own page, curl, the SDK and scripts call; none of those
// sends `cross-site` or `same-site`, so such a request is another site's page (an <img>, a form, a
// script) and is refused before it runs. The mini-program's local-mode routes (/functions,
// /storage, wx.login's code) are called from DevTools' web view on another origin and stay open
// (http/cors.ts decides who reads their answers).
import type { IncomingMessage } from 'node:http';

const LOCAL_TOOL_PATHS = /^\/(?:_(?:\/|$)|_emulator\/|admin(?:\/|$))/;
const LOCAL_MODE_PATHS = new Set(['/_emulator/wechat/login-code']);
const CONSOLE_PAGE = new Set(['/_', '/_/', '/_/index.html']);

/** Why the request is refused, or undefined when it may go on. */
export function crossSiteRefusal(req: IncomingMessage, url: URL): string | undefined {
  const site = req.headers['sec-fetch-site'];
  if (site !== 'cross-site' && site !== 'same-site') return undefined;
  if (!LOCAL_TOOL_PATHS.test(url.pathname) || LOCAL_MODE_PATHS.has(url.pathname)) return undefined;
  // Following a link to the console page is fine: the page reads nothing by itself, its API calls
  // are same-origin, and it refuses to be framed (X-Frame-Options, frame-ancestors).
  if (CONSOLE_PAGE.has(url.pathname) && req.headers['sec-fetch-mode'] === 'navigate' && req.headers['sec-fetch-dest'] === 'document') return undefined;
  return `a ${site} request to ${url.pathname} refused: the console and the control API answer the emulator's own pages and local tools only`;
}
