// The emulator's door for its own mutating routes (POST /functions/<name>, POST /admin, the
// /_emulator control POSTs, the console API): what a web page in the developer's browser can send
// is refused (a non-JSON Content-Type, a foreign Origin), nesting is bounded, malformed request
// targets and percent-encodings get a 4xx, and every failure gets an answer or a log line.
//
// Why these rules: browsers send a cross-origin POST without a CORS preflight only with a
// text/plain, form or multipart body (Fetch standard, "CORS-safelisted request-header"), and with
// an Origin header on every request whose method is not GET or HEAD (Fetch standard, "Origin header");
// wx-server-sdk sends `content-type: application/json` and no Origin
// (@cloudbase/node-sdk src/utils/tcbdbapirequester.ts, request with `json: true`).
import http from 'node:http';
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';
import { rawRequest, type RawAnswer } from '../support/raw-http';
import { waitFor } from '../support/wait-for';

let emulator: TestEmulator;
let failOnPurpose: (() => void) | undefined;
let bodyRead: (() => void) | undefined;
let seen = 0;
/** What the emulator reported (its diagnostics, tests/support/emulator-output.ts) since this test began. */
const errors = () => emulator.output.diagnostics().slice(seen);

beforeAll(async () => {
  emulator = await startTestEmulator({
    extraServices: [() => ({
      name: 'fail-on-purpose',
      routes: [{ path: '/test-only/fail-after-read', handle: async (req, _res, { url }) => {
        for await (const chunk of req) void chunk; // Node marks the request destroyed once its body is read
        bodyRead?.();
        // ?until=client-gone: fail only once the client has closed its connection.
        if (url.searchParams.get('until') === 'client-gone') await new Promise((resolve) => (req.socket.destroyed ? resolve(undefined) : req.socket.once('close', resolve)));
        failOnPurpose?.();
        throw new Error('route failed on purpose');
      } }],
      close: () => undefined,
    })],
  });
  await emulator.post('/admin', { action: 'database.addCollection', collectionName: 'door_probe' });
});
afterAll(() => emulator.close());
beforeEach(() => (seen = emulator.output.diagnostics().length));

const STACK_FRAME = /\n\s+at /;

/** One HTTP/1.1 request written byte for byte (any target, any headers), answered or not. */
const raw = (method: string, target: string, headers: Record<string, string>, body = '') => rawRequest(emulator.port, { method, target, headers: Object.entries(headers), body, timeoutMs: 10_000 });

const ownOrigin = () => `http://127.0.0.1:${emulator.port}`;
const invocations = () => emulator.context.log.list().length;
const permissions = () => emulator.context.store.find('permissions', {});
const insertPermission = JSON.stringify({ action: 'database.insertDocument', collectionName: 'permissions', data: [JSON.stringify({ _id: 'backdb', public: true })] });

describe('cross-site requests (issue 11 item 4)', () => {
  it.each([
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['JSON in another charset', 'application/json; charset=utf-16'],
  ])('POST /admin with %s is refused with 415 and inserts nothing into permissions', async (_label, type) => {
    const before = await permissions();
    const res = await raw('POST', '/admin', { 'Content-Type': type }, insertPermission);
    expect(res).toMatchObject({ status: 415 });
    expect(await permissions()).toEqual(before);
  });

  // multipart/form-data on /admin is the cloud-call channel (wx.openApi, docs/cloud-calls.md): a
  // database action sent so is not one, and a page's form (with its Origin) is refused with 403.
  it('POST /admin with multipart is read as a cloud call: refused in CloudBase\'s shape, inserting nothing', async () => {
    const before = await permissions();
    const res = await raw('POST', '/admin', { 'Content-Type': 'multipart/form-data; boundary=x' }, insertPermission);
    expect(res).toMatchObject({ status: 200, json: { code: 'INVALID_PARAM' } });
    const fromPage = await raw('POST', '/admin', { 'Content-Type': 'multipart/form-data; boundary=x', Origin: 'http://evil.example' }, insertPermission);
    expect(fromPage).toMatchObject({ status: 403 });
    expect(await permissions()).toEqual(before);
  });

  it('POST /functions/<name> with text/plain is refused with 415 before the function runs', async () => {
    const before = invocations();
    const res = await raw('POST', '/functions/probe', { 'Content-Type': 'text/plain;charset=UTF-8' }, '{"name":"context"}');
    expect(res).toMatchObject({ status: 415, json: { errCode: expect.any(Number), errMsg: expect.stringContaining('application/json') } });
    expect(invocations()).toBe(before);
  });

  it('a JSON body without any Content-Type (a no-cors fetch of a Blob) is refused too', async () => {
    const res = await raw('POST', '/functions/probe', {}, '{"name":"context"}');
    expect(res).toMatchObject({ status: 415 });
  });

  it.each([
    ['POST /functions/<name>', '/functions/probe', '{"name":"context"}'],
    ['POST /admin', '/admin', insertPermission],
    ['a control POST (mint a login code)', '/_emulator/wechat/login-code', '{"openid":"o_csrf"}'],
    ['a bodiless control POST (fire a timer)', '/_emulator/functions/probe/triggers/everyMinute/fire', ''],
    ['a console API POST', '/_emulator/console/collections/door_probe/documents', '{"document":{"a":1}}'],
  ])('%s from a foreign Origin is refused with 403 and does nothing', async (_label, target, body) => {
    const [before, perms, docs] = [invocations(), await permissions(), await emulator.context.store.find('door_probe', {})];
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${emulator.port + 1}`, `https://127.0.0.1:${emulator.port}`]) {
      const res = await raw('POST', target, { 'Content-Type': 'application/json', Origin: origin }, body);
      expect([origin, res]).toEqual([origin, expect.objectContaining({ status: 403 })]);
    }
    expect([invocations(), await permissions(), await emulator.context.store.find('door_probe', {})]).toEqual([before, perms, docs]);
  });

  it('a DNS-rebound page (its own name for 127.0.0.1, so Origin and Host agree) is refused too', async () => {
    const host = `attacker.example:${emulator.port}`;
    const res = await raw('POST', '/functions/probe', { Host: host, Origin: `http://${host}`, 'Content-Type': 'application/json' }, '{"name":"context"}');
    // Refused before the door by the Host allow-list (http/host-check.ts): 421 Misdirected Request, RFC 9110 §15.5.20.
    expect(res).toMatchObject({ status: 421 });
  });

  it("the console's own page (same origin, JSON) still works, by 127.0.0.1 and by localhost", async () => {
    const byIp = await raw('POST', '/_emulator/console/collections/door_probe/documents', { 'Content-Type': 'application/json', Origin: ownOrigin() }, '{"document":{"via":"ip"}}');
    expect(byIp).toMatchObject({ status: 200 });
    const host = `localhost:${emulator.port}`;
    const byName = await raw('POST', '/functions/probe', { Host: host, Origin: `http://${host}`, 'Content-Type': 'application/json' }, '{"name":"context"}');
    expect(byName).toMatchObject({ status: 200 });
  });

  it('the real wx-server-sdk (application/json, no Origin) still reads and writes through /admin', async () => {
    const db = sdkFor(emulator).database();
    await db.collection('door_probe').add({ data: { sdk: true } });
    const { data } = (await db.collection('door_probe').where({ sdk: true }).get()) as { data: unknown[] };
    expect(data).toHaveLength(1);
  });

  it('a bodiless control POST without Content-Type (what `npm run fire` sends) still works', async () => {
    const res = await raw('POST', '/_emulator/wechat/reset-stats', {});
    expect(res).toMatchObject({ status: 200 });
  });
});

describe('nesting depth (issue 11 item 5)', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('a callFunction event nested 10,000 deep gets a 400 naming the limit, not an empty reply', async () => {
    const before = invocations();
    const res = await raw('POST', '/functions/probe', { 'Content-Type': 'application/json' }, `{"name":"context","x":${nested(10_000)}}`);
    expect(res).toMatchObject({ status: 400, json: { errCode: expect.any(Number), errMsg: expect.stringContaining('nested deeper than 256') } });
    expect(invocations()).toBe(before);
    expect(errors().filter((e) => STACK_FRAME.test(e))).toEqual([]);
  });

  it('an event nested within the limit still reaches the function', async () => {
    const res = await emulator.callFunction('probe', { name: 'context', x: JSON.parse(nested(200)) });
    expect(res.status).toBe(200);
  });

  it('an /admin body nested 10,000 deep gets a 400', async () => {
    const res = await raw('POST', '/admin', { 'Content-Type': 'application/json' }, `{"action":"database.getDocument","x":${nested(10_000)}}`);
    expect(res).toMatchObject({ status: 400, json: { code: 'INVALID_PARAM', message: expect.stringContaining('nested deeper than 256') } });
  });

  it('a document nested deeper than the limit, sent by the real SDK as an EJSON string, is refused with a message the SDK shows', async () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 300; i++) deep = { d: deep };
    const db = sdkFor(emulator).database();
    await expect(db.collection('door_probe').add({ data: deep })).rejects.toThrow(/deeper than 256/);
    expect(await emulator.context.store.count('door_probe', { d: { $exists: true } })).toBe(0);
  });
});

describe('failures after the body was read (issue 11 item 5)', () => {
  it('are answered with 500 and logged, not dropped', async () => {
    const res = await raw('POST', '/test-only/fail-after-read', { 'Content-Type': 'application/json' }, '{}');
    expect(res).toMatchObject({ status: 500, json: { code: 'SYS_ERR' } });
    expect(errors().join('\n')).toContain('route failed on purpose');
  });

  it('are logged in one line when the client has gone', async () => {
    const read = new Promise<void>((resolve) => (bodyRead = resolve));
    const gone = new Promise<void>((resolve) => (failOnPurpose = resolve));
    const req = http.request({ host: '127.0.0.1', port: emulator.port, method: 'POST', path: '/test-only/fail-after-read?until=client-gone' });
    req.on('error', () => undefined);
    req.end('{}');
    await read; // the route has the body and waits for the client to leave
    req.destroy();
    await gone;
    const logged = () => errors().filter((e) => e.includes('/test-only/fail-after-read'));
    await waitFor('the failure to be logged', () => logged().length > 0);
    [bodyRead, failOnPurpose] = [undefined, undefined];
    const lines = logged();
    expect(lines).toEqual([expect.stringContaining('the client went away before the answer (route failed on purpose)')]);
    expect(lines.filter((e) => STACK_FRAME.test(e))).toEqual([]);
  });
});

describe('malformed request targets and percent-encodings (issue 11 item 7)', () => {
  it.each([
    ['POST', '/functions/%E0%A4%A', [400, 404]],
    ['POST', '/functions/%', [400, 404]],
    ['POST', '/_emulator/functions/%/triggers/everyMinute/fire', [400, 404]],
    ['GET', '/_emulator/storage/%E0%A4%A', [400, 403, 404]],
    ['GET', '/_emulator/console/collections/%/documents', [400, 404]],
    ['POST', '//[', [400, 404]],
    ['POST', '*', [400]],
  ])('%s %s answers a 4xx and logs no stack trace', async (method, target, statuses) => {
    const res = await raw(method, target, { 'Content-Type': 'application/json' }, method === 'POST' ? '{}' : '');
    expect(res).not.toBe('no answer');
    expect(statuses).toContain((res as RawAnswer).status);
    expect(errors().filter((e) => STACK_FRAME.test(e))).toEqual([]);
    // and the emulator is still serving
    expect((await emulator.callFunction('probe', { name: 'context' })).status).toBe(200);
  });
});
