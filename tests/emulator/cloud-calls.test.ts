// Cloud calls (cloud.openapi) through the unchanged wx-server-sdk: in this process (no function
// around it, so no permission list applies) and from a deployed fixture function (permissions,
// callers). Expected shapes come from the SDK's own decoder (index.js generic.ts callWXOpenAPI:
// errCode 0 and errMsg "openapi.<api>:ok" on success, CloudSDKError(errcode, "openapi.<api>:fail
// <errmsg>") on a WeChat error, {contentType, buffer} for binary replies) and from WeChat's pages
// for each API (cited in emulator/cloud-calls/*.ts): msgSecCheck result {suggest, label}, label 100
// for a pass; subscribeMessage.send 40037 / 47003 / 43101; wxacode 40169.
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { FUNCTION_HOST } from '../../emulator/runner/ports';
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

type Cloud = ReturnType<typeof sdkFor>;
type OpenApi = Record<string, Record<string, (data: Record<string, unknown>) => Promise<Record<string, unknown>>>>;
type CallReply = { ok: boolean; result?: Record<string, unknown>; base64?: string; errCode?: number; errMsg?: string; name?: string };

let emulator: TestEmulator;
let cloud: Cloud;
let openapi: OpenApi;
beforeAll(async () => {
  emulator = await startTestEmulator();
  cloud = sdkFor(emulator);
  openapi = cloud.openapi as unknown as OpenApi;
});
afterAll(() => emulator.close());

const control = async <T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${emulator.url}/_emulator/openapi/${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
};
const thrown = async (promise: Promise<unknown>): Promise<{ errCode?: number; errMsg?: string; name?: string }> => {
  try {
    await promise;
  } catch (err) {
    return err as { errCode?: number; errMsg?: string };
  }
  throw new Error('the call resolved; it should have thrown');
};
const fromFunction = async (api: string, data: Record<string, unknown>, openid = 'o_fn_user', options?: Record<string, unknown>) =>
  (await emulator.callFunction<CallReply>('openapiCaller', { name: 'call', data: { api, data, options } }, openid)).body.result as CallReply;

describe('security.msgSecCheck (v2)', () => {
  it('passes ordinary text with label 100 and the SDK success envelope', async () => {
    const res = await openapi.security!.msgSecCheck!({ openid: 'o_user', scene: 1, version: 2, content: 'hello there' });
    expect(res).toMatchObject({ errCode: 0, errMsg: 'openapi.security.msgSecCheck:ok', result: { suggest: 'pass', label: 100 } });
    // snake_case trace_id comes back camelCased by the SDK.
    expect(typeof res.traceId).toBe('string');
    expect(res).not.toHaveProperty('errcode');
  });

  it('answers risky and review from the word list, with the rule label', async () => {
    const risky = await openapi.security!.msgSecCheck!({ openid: 'o_user', scene: 2, version: 2, content: 'say emulator-risky now' });
    expect(risky.result).toEqual({ suggest: 'risky', label: 20001 });
    expect(risky.detail).toEqual(expect.arrayContaining([expect.objectContaining({ strategy: 'keyword', keyword: 'emulator-risky' })]));
    const review = await openapi.security!.msgSecCheck!({ openid: 'o_user', scene: 1, version: 2, content: 'EMULATOR-REVIEW me' });
    expect(review.result).toEqual({ suggest: 'review', label: 21000 });
  });

  it('takes a word list from the control API', async () => {
    const put = await control('POST', 'content-security/words', { words: [{ word: 'pineapple', suggest: 'risky', label: 20002 }] });
    expect(put.status).toBe(200);
    const res = await openapi.security!.msgSecCheck!({ openid: 'o_user', scene: 1, version: 2, content: 'I like pineapple' });
    expect(res.result).toEqual({ suggest: 'risky', label: 20002 });
    expect((await openapi.security!.msgSecCheck!({ openid: 'o_user', scene: 1, version: 2, content: 'emulator-risky' })).result).toEqual({ suggest: 'pass', label: 100 });
    expect((await control('POST', 'content-security/words', { words: [{ word: 'x', suggest: 'risky', label: 12345 }] })).status).toBe(400);
    await control('POST', 'content-security/words/reset', {});
  });

  it('throws CloudSDKError with WeChat errcode 40129 for a bad scene and 40003 without an openid', async () => {
    const badScene = await thrown(openapi.security!.msgSecCheck!({ openid: 'o_user', scene: 9, version: 2, content: 'x' }));
    expect(badScene).toMatchObject({ errCode: 40129 });
    expect(badScene.errMsg).toMatch(/^openapi\.security\.msgSecCheck:fail invalid scene/);
    expect(await thrown(openapi.security!.msgSecCheck!({ scene: 1, version: 2, content: 'x' }))).toMatchObject({ errCode: 40003 });
  });

  it('v1 (no version) throws 87014 for risky content', async () => {
    expect(await thrown(openapi.security!.msgSecCheck!({ content: '特3456书yuuo莞6543李zxcz蒜7782法fgnv级' }))).toMatchObject({ errCode: 87014 });
  });
});

describe('case conversion', () => {
  it('sends camelCase keys as snake_case and returns snake_case keys camelCased', async () => {
    await control('POST', 'templates', { templateId: 'TPL_CASE', title: 'Case', keys: ['thing1'] });
    await control('POST', 'subscriptions', { openid: 'o_case', templateId: 'TPL_CASE' });
    // templateId → template_id, miniprogramState → miniprogram_state on the wire.
    const res = await openapi.subscribeMessage!.send!({ touser: 'o_case', templateId: 'TPL_CASE', miniprogramState: 'developer', data: { thing1: { value: 'hi' } } });
    expect(res).toMatchObject({ errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' });
    const [sent] = (await control<Array<Record<string, unknown>>>('GET', 'outbox')).body;
    expect(sent).toMatchObject({ touser: 'o_case', templateId: 'TPL_CASE', miniprogramState: 'developer' });
  });

  it('with convertCase:false sends keys as given and returns WeChat snake_case keys', async () => {
    const raw = (cloud.openapi as unknown as (o: unknown) => OpenApi)({ convertCase: false });
    const res = await raw.security!.msgSecCheck!({ openid: 'o_user', scene: 1, version: 2, content: 'plain' });
    expect(res).toHaveProperty('trace_id');
    expect(res).not.toHaveProperty('traceId');
    // camelCase sent as is: WeChat's template_id is missing, so 40037.
    expect(await thrown(raw.subscribeMessage!.send!({ touser: 'o_case', templateId: 'TPL_CASE', data: { thing1: { value: 'hi' } } }))).toMatchObject({ errCode: 40037 });
  });
});

describe('subscribeMessage.send', () => {
  beforeAll(async () => {
    expect((await control('POST', 'templates', { templateId: 'TPL_ORDER', title: 'Order shipped', keys: ['thing1', 'time2', 'number3'] })).status).toBe(200);
  });
  const send = (data: Record<string, unknown>, touser = 'o_buyer') => openapi.subscribeMessage!.send!({ touser, templateId: 'TPL_ORDER', page: 'pages/order/index?id=1', data });
  const good = { thing1: { value: 'Coffee beans' }, time2: { value: '2026-12-01 10:30' }, number3: { value: '2' } };

  it('answers 40037 for an unknown template', async () => {
    expect(await thrown(openapi.subscribeMessage!.send!({ touser: 'o_buyer', templateId: 'NOPE', data: good }))).toMatchObject({ errCode: 40037 });
  });

  it('answers 43101 when the user has not subscribed, and sends once per grant', async () => {
    expect(await thrown(send(good))).toMatchObject({ errCode: 43101 });
    await control('POST', 'subscriptions', { openid: 'o_buyer', templateId: 'TPL_ORDER', times: 1 });
    const res = await send(good);
    expect(res).toMatchObject({ errCode: 0 });
    expect(typeof res.msgid).toBe('string');
    expect(await thrown(send(good))).toMatchObject({ errCode: 43101 });
    const outbox = (await control<Array<Record<string, unknown>>>('GET', 'outbox')).body;
    expect(outbox[0]).toMatchObject({ touser: 'o_buyer', templateId: 'TPL_ORDER', title: 'Order shipped', page: 'pages/order/index?id=1', data: { thing1: 'Coffee beans', time2: '2026-12-01 10:30', number3: '2' } });
  });

  it('answers 47003 for data that breaks a keyword rule or names another keyword', async () => {
    await control('POST', 'subscriptions', { openid: 'o_buyer', templateId: 'TPL_ORDER', times: 5 });
    // thing: at most 20 characters.
    expect(await thrown(send({ ...good, thing1: { value: 'x'.repeat(21) } }))).toMatchObject({ errCode: 47003 });
    expect(await thrown(send({ ...good, number3: { value: 'two' } }))).toMatchObject({ errCode: 47003 });
    expect(await thrown(send({ ...good, phrase9: { value: '好' } }))).toMatchObject({ errCode: 47003 });
    expect(await thrown(send({ thing1: { value: 'only one' } }))).toMatchObject({ errCode: 47003 });
  });

  it('answers 41030 for a page with a leading slash', async () => {
    const res = await thrown(openapi.subscribeMessage!.send!({ touser: 'o_buyer', templateId: 'TPL_ORDER', page: '/pages/x', data: good }));
    expect(res).toMatchObject({ errCode: 41030 });
  });
});

describe('wxacode', () => {
  const decodeQr = (buffer: Buffer) => {
    const png = PNG.sync.read(buffer);
    return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
  };

  it('getUnlimited returns a PNG whose QR code carries the page and scene', async () => {
    const res = (await openapi.wxacode!.getUnlimited!({ scene: 'id=42&from=qr', page: 'pages/item/index', width: 300 })) as unknown as { contentType: string; buffer: Buffer; errCode: number };
    expect(res.errCode).toBe(0);
    expect(res.contentType).toBe('image/png');
    // PNG signature (RFC 2083 §3.1).
    expect([...res.buffer.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(PNG.sync.read(res.buffer).width).toBeGreaterThanOrEqual(280);
    expect(JSON.parse(decodeQr(res.buffer) as string)).toMatchObject({ api: 'wxacode.getUnlimited', page: 'pages/item/index', scene: 'id=42&from=qr' });
  });

  it('get returns a PNG for the path', async () => {
    const res = (await openapi.wxacode!.get!({ path: 'pages/index/index?a=1', width: 280 })) as unknown as { buffer: Buffer };
    expect(JSON.parse(decodeQr(res.buffer) as string)).toMatchObject({ api: 'wxacode.get', path: 'pages/index/index?a=1' });
  });

  it('createQRCode returns a PNG for the path, and 40159 past 128 bytes', async () => {
    const res = (await openapi.wxacode!.createQRCode!({ path: 'pages/index/index', width: 280 })) as unknown as { buffer: Buffer };
    expect(JSON.parse(decodeQr(res.buffer) as string)).toMatchObject({ api: 'wxacode.createQRCode', path: 'pages/index/index' });
    expect(await thrown(openapi.wxacode!.createQRCode!({ path: 'p'.repeat(129) }))).toMatchObject({ errCode: 40159 });
  });

  it('getUnlimited throws 40169 for a scene longer than 32 characters', async () => {
    expect(await thrown(openapi.wxacode!.getUnlimited!({ scene: 'x'.repeat(33) }))).toMatchObject({ errCode: 40169 });
  });
});

describe('POST /wxa/msg_sec_check (the HTTPS API, same word list)', () => {
  const check = async (query: string) =>
    (await (await fetch(`${emulator.url}/wxa/msg_sec_check${query}`, { method: 'POST', body: JSON.stringify({ openid: 'o_https', scene: 1, version: 2, content: 'an emulator-review text' }) })).json()) as Record<string, unknown>;

  it('needs an access token (41001) and then answers like the cloud call', async () => {
    expect(await check('')).toMatchObject({ errcode: 41001 });
    const token = (await emulator.post<{ access_token: string }>('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: emulator.secrets.appid, secret: emulator.secrets.appSecret })).body.access_token;
    expect(await check(`?access_token=${encodeURIComponent(token)}`)).toMatchObject({ errcode: 0, result: { suggest: 'review', label: 21000 } });
  });
});

describe('phonenumber.getPhoneNumber', () => {
  it('redeems a phone code from the WeChat stand-in once', async () => {
    const code = await emulator.phoneCode('13800138000');
    const res = await openapi.phonenumber!.getPhoneNumber!({ code });
    expect(res).toMatchObject({ errCode: 0, phoneInfo: { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86', watermark: { appid: emulator.secrets.appid } } });
    expect(await thrown(openapi.phonenumber!.getPhoneNumber!({ code }))).toMatchObject({ errCode: 40029 });
  });
});

describe('platform refusals', () => {
  it('an API the emulator does not know is -604100 (API not found)', async () => {
    const res = await thrown(openapi.nosuch!.api!({ a: 1 }));
    expect(res).toMatchObject({ errCode: -604100 });
    expect(res.errMsg).toMatch(/error code: -604100/);
  });

  it('an injected fault comes back as WeChat -1 or the platform timeout -604102', async () => {
    await control('POST', 'faults', { api: 'security.msgSecCheck', kind: 'errcode', errcode: -1 });
    expect(await thrown(openapi.security!.msgSecCheck!({ openid: 'o', scene: 1, version: 2, content: 'x' }))).toMatchObject({ errCode: -1 });
    await control('POST', 'faults', { api: 'security.msgSecCheck', kind: 'timeout' });
    expect(await thrown(openapi.security!.msgSecCheck!({ openid: 'o', scene: 1, version: 2, content: 'x' }))).toMatchObject({ errCode: -604102 });
    expect((await openapi.security!.msgSecCheck!({ openid: 'o', scene: 1, version: 2, content: 'x' })).errCode).toBe(0);
  });
});

describe('from a function', () => {
  it('calls a declared API with the function as the caller', async () => {
    const reply = await fromFunction('security.msgSecCheck', { openid: 'o_fn_user', scene: 1, version: 2, content: 'fine' });
    expect(reply).toMatchObject({ ok: true, result: { result: { suggest: 'pass', label: 100 } } });
  });

  it('gets a binary reply through the function', async () => {
    const reply = await fromFunction('wxacode.getUnlimited', { scene: 'a=1' });
    expect(reply.ok).toBe(true);
    expect([...Buffer.from(reply.base64 as string, 'base64').subarray(0, 4)]).toEqual([137, 80, 78, 71]);
  });

  it('refuses an API missing from config.json permissions.openapi with -604101', async () => {
    const reply = await fromFunction('wxacode.createQRCode', { path: 'pages/index/index' });
    expect(reply).toMatchObject({ ok: false, errCode: -604101 });
    expect(reply.errMsg).toMatch(/error code: -604101/);
  });

  it('declared but unknown to WeChat is -604100', async () => {
    expect(await fromFunction('customerServiceMessage.send', { touser: 'o' })).toMatchObject({ ok: false, errCode: -604100 });
  });

  it('works from a timer run', async () => {
    const fired = (await emulator.post<{ ok: boolean; result: CallReply }>('/_emulator/functions/openapiCaller/triggers/hourly/fire', {})).body;
    expect(fired.result).toMatchObject({ ok: true, result: { result: { suggest: 'pass' } } });
  });

  it('is refused in an HTTP-access run, which has no WeChat context (-604104)', async () => {
    const res = await fetch(`${emulator.url}/openapi-caller`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api: 'security.msgSecCheck', data: { openid: 'o', scene: 1, version: 2, content: 'x' } }) });
    expect(await res.json()).toMatchObject({ ok: false, errCode: -604104 });
  });

  it('keeps the permissions across a code deploy (the platform keeps the cloud-call config apart from the code)', async () => {
    const host = emulator.context.ports.need(FUNCTION_HOST);
    const current = host.get('openapiCaller');
    host.put({ ...current!, source: 'tcb deploy', updatedAt: new Date().toISOString() });
    expect(await fromFunction('security.msgSecCheck', { openid: 'o_fn_user', scene: 1, version: 2, content: 'still fine' })).toMatchObject({ ok: true });
    expect(await fromFunction('wxacode.createQRCode', { path: 'p' })).toMatchObject({ ok: false, errCode: -604101 });
  });

  it('shows each call in the request log with API, caller and outcome', async () => {
    await fromFunction('wxacode.createQRCode', { path: 'p' }, 'o_logged');
    const logs = (await (await fetch(`${emulator.url}/_emulator/logs`)).json()) as Array<Record<string, unknown>>;
    expect(logs).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'cloud-call', function: 'openapi', eventName: 'wxacode.createQRCode', caller: 'openapiCaller user:o_logged', outcome: 'error', error: 'errorCode -604101' })]));
    expect(logs).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'cloud-call', eventName: 'security.msgSecCheck', outcome: 'ok' })]));
  });
});
