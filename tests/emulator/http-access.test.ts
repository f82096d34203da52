// CloudBase HTTP access: a request on a function's path arrives as the integrated-request event and
// the function's integrated response becomes the HTTP response.
import { startTestEmulator, type TestEmulator } from '../support/emulator';

interface HttpEvent {
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  queryStringParameters: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
  requestContext: { requestId: string; envId: string };
}
interface ProbeReply {
  event: HttpEvent;
  ctx: { OPENID?: string; SOURCE?: string };
}

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

it('delivers a POST on a sub-path as the integrated-request event with a text body', async () => {
  const res = await fetch(`${emulator.url}/probe-http/orders/42?status=paid&page=2`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Signature': 'sig-123' },
    body: JSON.stringify({ amount: 5 }),
  });
  const { event } = (await res.json()) as ProbeReply;
  expect(event.path).toBe('/probe-http/orders/42');
  expect(event.httpMethod).toBe('POST');
  expect(event.headers['x-signature']).toBe('sig-123');
  expect(event.headers['content-type']).toBe('application/json');
  expect(event.queryStringParameters).toEqual({ status: 'paid', page: '2' });
  expect(event.isBase64Encoded).toBe(false);
  expect(typeof event.body).toBe('string');
  expect(JSON.parse(event.body)).toEqual({ amount: 5 });
  expect(event.requestContext.envId).toBe(emulator.context.envId);
  expect(event.requestContext.requestId).toEqual(expect.any(String));
});

it('delivers a GET on the exact path with an empty query and an empty string body', async () => {
  const res = await fetch(`${emulator.url}/probe-http`);
  const { event } = (await res.json()) as ProbeReply;
  expect(event).toMatchObject({ path: '/probe-http', httpMethod: 'GET', queryStringParameters: {}, body: '', isBase64Encoded: false });
});

it('delivers a binary body Base64-encoded with isBase64Encoded true', async () => {
  const bytes = Buffer.from([0, 1, 2, 250, 251, 255]);
  const res = await fetch(`${emulator.url}/probe-http/upload`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
  const { event } = (await res.json()) as ProbeReply;
  expect(event.httpMethod).toBe('PUT');
  expect(event.isBase64Encoded).toBe(true);
  expect(Buffer.from(event.body, 'base64').equals(bytes)).toBe(true);
});

it("returns the function's statusCode, headers and body as the HTTP response", async () => {
  const res = await fetch(`${emulator.url}/probe-http/anything`);
  expect(res.status).toBe(201);
  expect(res.headers.get('x-probe')).toBe('yes');
  expect(res.headers.get('content-type')).toBe('application/json');
  const body = (await res.json()) as ProbeReply;
  expect(body.event.path).toBe('/probe-http/anything');
});

it('runs the function without a WeChat user identity even when the request carries X-WX-OPENID', async () => {
  const res = await fetch(`${emulator.url}/probe-http/me`, { headers: { 'x-wx-openid': 'o_spoofed' } });
  const { ctx } = (await res.json()) as ProbeReply;
  expect(ctx.OPENID).toBeUndefined();
  expect(ctx.SOURCE).not.toBe('wx_client');
});

it('does not route a path that only shares the prefix text', async () => {
  const res = await fetch(`${emulator.url}/probe-httpx`);
  expect(res.status).toBe(404);
});

it('decodes a Base64 integrated-response body to the raw bytes', async () => {
  const res = await fetch(`${emulator.url}/probe-http/image?reply=binary`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/png');
  expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([137, 80, 78, 71]);
});

it('answers a plain object return as 200 JSON and a string return as 200 text/plain', async () => {
  const json = await fetch(`${emulator.url}/probe-http/x?reply=object`);
  expect(json.status).toBe(200);
  expect(json.headers.get('content-type')).toContain('application/json');
  expect(await json.json()).toEqual({ plain: true });
  const text = await fetch(`${emulator.url}/probe-http/x?reply=text`);
  expect(text.status).toBe(200);
  expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(await text.text()).toBe('plain text');
});

it('answers a failing function with a 5xx', async () => {
  const res = await fetch(`${emulator.url}/probe-http/x?reply=throw`);
  expect(res.status).toBeGreaterThanOrEqual(500);
});
