// CORS for the mini-program's local mode: WeChat DevTools' simulator calls /functions/<name> and
// /storage/* from a web view, so the preflight (Fetch standard: OPTIONS with
// Access-Control-Request-Method/-Headers) must be answered for its origin, and the custom
// X-WX-OPENID header allowed. Another site's page gets nothing (the browser then refuses the call).
import { startTestEmulator, type TestEmulator } from '../support/emulator';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ corsOrigins: ['http://devtools.example:3000'] });
});
afterAll(() => emulator.close());

const preflight = (path: string, origin: string) =>
  fetch(`${emulator.url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-wx-openid' } });

it.each(['http://127.0.0.1:29513', 'http://localhost:5173', 'https://servicewechat.com', 'http://devtools.example:3000'])('answers the preflight of %s for callFunction and storage', async (origin) => {
  for (const path of ['/functions/common', '/storage/client', '/storage/cos/bucket/avatars/a.png']) {
    const res = await preflight(path, origin);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/x-wx-openid/);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
  }
});

it('lets the allowed origin read the answer of the actual call', async () => {
  const res = await fetch(`${emulator.url}/storage/client`, { method: 'POST', headers: { origin: 'http://127.0.0.1:29513', 'content-type': 'application/json', 'x-wx-openid': 'o_cors' }, body: JSON.stringify({ action: 'storage.batchGetDownloadUrl', file_list: ['cloud://x.y/z'] }) });
  expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:29513');
  expect(res.headers.get('vary')).toBe('Origin');
});

it("refuses another site's preflight and gives its calls no CORS headers", async () => {
  const res = await preflight('/functions/common', 'https://evil.example');
  expect(res.status).toBe(403);
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  const call = await fetch(`${emulator.url}/functions/common`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{"name":"auth"}' });
  expect(call.headers.get('access-control-allow-origin')).toBeNull();
});

it('adds no CORS to the server API or the control API', async () => {
  const res = await fetch(`${emulator.url}/admin`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:1' } });
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
});

it('lets a local-mode page call a function as a mini-program user, never as the trusted server side', async () => {
  const call = (headers: Record<string, string>) =>
    fetch(`${emulator.url}/functions/common`, { method: 'POST', headers: { origin: 'http://127.0.0.1:29513', 'content-type': 'application/json', ...headers }, body: '{"name":"auth"}' });
  const asUser = await call({ 'x-wx-openid': 'o_local_mode' });
  expect(asUser.status).toBe(200);
  expect(asUser.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:29513');
  // Without X-WX-OPENID the call would run as the server side (issue 11 item 4): refused.
  expect((await call({})).status).toBe(403);
});
