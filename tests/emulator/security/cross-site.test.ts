// Another site's page can still send requests to 127.0.0.1 (an <img>, a form, a no-cors fetch)
// even when it cannot read the answers. Browsers label each request with Sec-Fetch-Site (W3C Fetch
// Metadata Request Headers); the console and control routes refuse `cross-site` and `same-site`
// (a resource isolation policy, Fetch Metadata §5) so such a request never runs. A console query
// cannot stall the emulator: a `$regex` that can take exponential time (OWASP, "Regular expression
// Denial of Service - ReDoS") is refused before it runs. The console refuses to be framed
// (X-Frame-Options: DENY, RFC 7034; CSP Level 2 frame-ancestors 'none').
import { rawRequest } from '../../support/raw-http';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { CONSOLE_AND_CONTROL_ROUTES } from './routes';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
  await emulator.context.store.createCollection('people');
  await emulator.context.store.insert('people', [{ _id: 'p1', name: 'alice' }, { _id: 'p2', name: `${'a'.repeat(22)}!` }]);
});
afterAll(() => emulator.close());

const send = (method: string, target: string, headers: Array<[string, string]>) =>
  rawRequest(emulator.port, { method, target, headers: [['Content-Type', 'application/json'], ...headers], body: method === 'GET' ? undefined : '{}', timeoutMs: 5_000 });
const status = (a: Awaited<ReturnType<typeof send>>) => (a === 'no answer' ? a : a.status);

it.each(['cross-site', 'same-site'])('refuses a %s request to every console and control route, and to /admin, before it runs', async (site) => {
  const writes = emulator.context.store.writeCount;
  for (const [method, target] of [...CONSOLE_AND_CONTROL_ROUTES, ['POST', '/admin'] as const]) {
    expect([method, target, status(await send(method, target, [['Sec-Fetch-Site', site], ['Sec-Fetch-Mode', 'no-cors'], ['Sec-Fetch-Dest', 'image']])) ]).toEqual([method, target, 403]);
  }
  expect(emulator.context.store.writeCount).toBe(writes);
});

it('serves the same requests from the emulator\'s own page and from tools (same-origin, none, no header)', async () => {
  for (const headers of [[['Sec-Fetch-Site', 'same-origin']], [['Sec-Fetch-Site', 'none']], []] as Array<Array<[string, string]>>) {
    expect(status(await send('GET', '/_emulator/cloud-credentials', headers))).toBe(200);
  }
});

it('keeps the local-mode login code open to DevTools\' simulator on another loopback port (same-site)', async () => {
  const answer = await rawRequest(emulator.port, { method: 'POST', target: '/_emulator/wechat/login-code', headers: [['Content-Type', 'application/json'], ['Sec-Fetch-Site', 'same-site']], body: '{"openid":"o_local_mode"}' });
  expect(answer !== 'no answer' && answer.status).toBe(200);
});

it('lets a link from another site open the console page, which then refuses to be framed', async () => {
  // Raw requests: fetch() sets Sec-Fetch-Mode itself.
  const navigate = (dest: string) => rawRequest(emulator.port, { method: 'GET', target: '/_/', headers: [['Sec-Fetch-Site', 'cross-site'], ['Sec-Fetch-Mode', 'navigate'], ['Sec-Fetch-Dest', dest]] });
  expect(status(await navigate('document'))).toBe(200);
  expect(status(await navigate('iframe'))).toBe(403);
  const res = await fetch(`${emulator.url}/_/`);
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
});

const documents = (filter: unknown) => fetch(`${emulator.url}/_emulator/console/collections/people/documents?filter=${encodeURIComponent(JSON.stringify(filter))}`);

it.each([{ $regex: '^(a+)+$' }, { $regex: '^(\\w|\\w)*!$' }, { $regex: '(x+x+)+y', $options: 'i' }, { $not: { $regex: '^(a|aa)+$' } }])('refuses a console query whose $regex %j can take exponential time', async (condition) => {
  const res = await documents({ name: condition });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: string }).error).toMatch(/exponential/);
});

it('refuses an EJSON regular expression of the same kind', async () => {
  const res = await documents({ name: { $regularExpression: { pattern: '^(a+)+$', options: '' } } });
  expect(res.status).toBe(400);
});

it.each([[{ $regex: 'ali' }, 1], [{ $regex: '^a.*!$' }, 1], [{ $regex: '^A', $options: 'i' }, 2]])('runs an ordinary $regex %j', async (condition, total) => {
  const res = await documents({ name: condition });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { total: number }).total).toBe(total);
});
