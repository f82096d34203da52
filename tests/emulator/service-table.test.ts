// "A new service is one folder plus one line": a tiny service mounted through the table
// (startEmulator's extraServices, the same path as SERVICES) gets its routes with their path
// groups decoded, CORS on the paths it opens to browsers, its /_emulator control route, its part
// of the console API, start once the server listens, and close, in reverse order of the table.
// CORS expectations follow the Fetch standard (a preflight is an OPTIONS request with an Origin;
// an allowed origin is echoed in Access-Control-Allow-Origin) and http/cors.ts's documented
// origins (loopback pages are allowed, other sites are not).
import type { ServiceFactory } from '../../emulator/service';
import { startTestEmulator, type TestEmulator } from '../support/emulator';

const events: string[] = [];
let startedAt = '';

const fixture: ServiceFactory = ({ baseUrl }) => ({
  name: 'fixture',
  routes: [{ methods: ['GET'], path: /^\/fixture\/([^/]+)$/, handle: (_req, res, { params }) => void res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello ${params[0] ?? '(malformed)'}`) }],
  browser: { paths: /^\/fixture\// },
  control: { state: ['GET', '/_emulator/fixture/state', () => ({ events })] },
  console: { echo: ['POST', '/_emulator/console/fixture/echo', ({ body }) => ({ echoed: body })] },
  start: () => {
    startedAt = baseUrl();
  },
  close: () => void events.push('fixture closed'),
});
const last: ServiceFactory = () => ({ name: 'last', close: () => void events.push('last closed') });

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ extraServices: [fixture, last] });
});
afterAll(async () => {
  if (!events.length) await emulator.close();
});

it('answers its routes, with the path groups percent-decoded', async () => {
  const res = await fetch(`${emulator.url}/fixture/caf%C3%A9`);
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('hello café');
  expect(await (await fetch(`${emulator.url}/fixture/%E0%A4%A`)).text()).toBe('hello (malformed)');
  expect((await fetch(`${emulator.url}/fixture/x`, { method: 'POST' })).status).toBe(404);
});

it('answers a preflight from an allowed page on the paths it opens to browsers, and refuses another site', async () => {
  const preflight = (origin: string, target = '/fixture/x') => fetch(`${emulator.url}${target}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } });
  const allowed = await preflight('http://127.0.0.1:5173');
  expect(allowed.status).toBe(204);
  expect(allowed.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
  expect((await preflight('https://evil.example')).status).toBe(403);
  const get = await fetch(`${emulator.url}/fixture/x`, { headers: { origin: 'http://localhost:3000' } });
  expect(get.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  const notOpened = await fetch(`${emulator.url}/_emulator/fixture/state`, { headers: { origin: 'http://localhost:3000' } });
  expect(notOpened.headers.get('access-control-allow-origin')).toBeNull();
});

it('mounts its control route and its console facet, and started once the server listened', async () => {
  expect(startedAt).toBe(emulator.url);
  expect(await (await fetch(`${emulator.url}/_emulator/fixture/state`)).json()).toEqual({ events: [] });
  const echo = await emulator.post<{ echoed: unknown }>('/_emulator/console/fixture/echo', { a: 1 });
  expect(echo.status).toBe(200);
  expect(echo.body).toEqual({ echoed: { a: 1 } });
  expect(echo.headers.get('cache-control')).toBe('no-store');
});

it('closes with the emulator, in reverse order of the table', async () => {
  await emulator.close();
  expect(events).toEqual(['last closed', 'fixture closed']);
});
