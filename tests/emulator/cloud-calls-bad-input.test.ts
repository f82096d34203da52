// wx.openApi requests the SDK never sends: each gets CloudBase's JSON error {code, message} (HTTP
// 200, content-type exactly `application/json; charset=utf-8`, which @cloudbase/node-sdk's
// handleWxOpenApiData parses as an error: src/utils/tcbapirequester.ts) and the emulator keeps
// serving. The starting point is what the real SDK sends, captured from it by a stand-in server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

let emulator: TestEmulator;
let captured: { fields: Record<string, string>; requestData: Buffer };

/** The form cloud.openapi.security.msgSecCheck(...) sends, taken from the SDK itself. */
async function captureSdkForm(): Promise<typeof captured> {
  let resolveForm: (form: typeof captured) => void = () => undefined;
  const form = new Promise<typeof captured>((resolve) => (resolveForm = resolve));
  const server = http.createServer((req, res) => {
    const fields: Record<string, string> = {};
    const chunks: Buffer[] = [];
    const bb = busboy({ headers: req.headers });
    bb.on('field', (name, value) => (fields[name] = value));
    bb.on('file', (_name, stream) => stream.on('data', (c: Buffer) => chunks.push(c)));
    bb.on('close', () => {
      resolveForm({ fields, requestData: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ code: 'SYS_ERR', message: 'captured' }));
    });
    req.pipe(bb);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cloud = sdkFor({ url, context: { envId: 'capture-env' } } as never);
  const openapi = cloud.openapi as unknown as Record<string, Record<string, (d: unknown) => Promise<unknown>>>;
  await openapi.security!.msgSecCheck!({ openid: 'o_capture', scene: 1, version: 2, content: 'hello' }).catch(() => undefined);
  server.close();
  return form;
}

beforeAll(async () => {
  emulator = await startTestEmulator();
  captured = await captureSdkForm();
});
afterAll(() => emulator.close());

const postForm = async (fields: Record<string, string>, requestData?: Uint8Array, headers: Record<string, string> = {}) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (requestData) form.append('requestData', new Blob([requestData], { type: 'application/octet-stream' }));
  const res = await fetch(`${emulator.url}/admin`, { method: 'POST', body: form, headers });
  const type = res.headers.get('content-type');
  return { status: res.status, type, body: (type?.startsWith('application/json') ? await res.json() : await res.arrayBuffer()) as { code?: string; message?: string } };
};
const postRaw = async (contentType: string, body: string | Buffer) => {
  const res = await fetch(`${emulator.url}/admin`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as { code?: string; message?: string } };
};
/** A CloudBase error as the SDK reads it. */
const cloudbaseError = (code: string, message: RegExp) => ({ status: 200, type: 'application/json; charset=utf-8', body: expect.objectContaining({ code, message: expect.stringMatching(message) }) });

it('the captured form is what the platform facts describe', () => {
  expect(captured.fields).toMatchObject({ action: 'wx.openApi', apiName: 'security.msgSecCheck', envName: 'capture-env' });
  expect(captured.requestData.length).toBeGreaterThan(10);
});

it('replayed as captured, the call succeeds (a protobuf reply)', async () => {
  const form = new FormData();
  for (const [k, v] of Object.entries(captured.fields)) form.append(k, v);
  form.append('requestData', new Blob([captured.requestData], { type: 'application/octet-stream' }));
  const res = await fetch(`${emulator.url}/admin`, { method: 'POST', body: form });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/octet-stream');
});

it('a malformed multipart body is INVALID_PARAM', async () => {
  expect(await postRaw('multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="action"\r\n\r\nwx.openApi')).toMatchObject(cloudbaseError('INVALID_PARAM', /malformed multipart/));
  expect(await postRaw('multipart/form-data', 'no boundary at all')).toMatchObject(cloudbaseError('INVALID_PARAM', /multipart/));
});

it('a truncated protobuf is INVALID_PARAM', async () => {
  const truncated = captured.requestData.subarray(0, captured.requestData.length - 7);
  expect(await postForm(captured.fields, truncated)).toMatchObject(cloudbaseError('INVALID_PARAM', /not a valid CommApiData/));
  expect(await postForm(captured.fields, Buffer.from([0xff, 0xff, 0xff]))).toMatchObject(cloudbaseError('INVALID_PARAM', /not a valid CommApiData/));
});

it('an apiType outside the SDK enum is INVALID_PARAM; one the emulator does not serve is SYS_ERR', async () => {
  // Protobuf encoding: tag (1 << 3 | varint) = 0x08, then the value; the last occurrence of a
  // scalar field wins, and the SDK's static encoder writes apiType 0 explicitly.
  expect(await postForm(captured.fields, Buffer.concat([captured.requestData, Buffer.from([0x08, 0x07])]))).toMatchObject(cloudbaseError('INVALID_PARAM', /apiType 7/));
  expect(await postForm(captured.fields, Buffer.concat([captured.requestData, Buffer.from([0x08, 0x02])]))).toMatchObject(cloudbaseError('SYS_ERR', /SVRKIT_API/));
});

it('oversized data is INVALID_PARAM, and the emulator still answers', async () => {
  expect(await postForm(captured.fields, Buffer.alloc(11 * 1024 * 1024, 1))).toMatchObject(cloudbaseError('INVALID_PARAM', /exceeds/));
  expect((await postForm(captured.fields, captured.requestData)).status).toBe(200);
});

it('a value that is not JSON, a missing requestData, a bad apiName and another action are refused', async () => {
  // KeyValuePair {1: "content", 2: "{oops"} inside OpenApiData {1: pair} inside CommApiData {2: data}.
  const pair = Buffer.concat([Buffer.from([0x0a, 7]), Buffer.from('content'), Buffer.from([0x12, 5]), Buffer.from('{oops')]);
  const data = Buffer.concat([Buffer.from([0x0a, pair.length]), pair]);
  expect(await postForm(captured.fields, Buffer.concat([Buffer.from([0x12, data.length]), data]))).toMatchObject(cloudbaseError('INVALID_PARAM', /not JSON/));
  expect(await postForm(captured.fields)).toMatchObject(cloudbaseError('INVALID_PARAM', /requestData is missing/));
  expect(await postForm({ ...captured.fields, apiName: 'no dots' }, captured.requestData)).toMatchObject(cloudbaseError('INVALID_PARAM', /apiName/));
  expect(await postForm({ ...captured.fields, action: 'wx.wxPayApi' }, captured.requestData)).toMatchObject(cloudbaseError('INVALID_ACTION', /wx.wxPayApi/));
});

it('a form posted from a web page is refused', async () => {
  const res = await postForm(captured.fields, captured.requestData, { origin: 'https://evil.example' });
  expect(res.status).toBe(403);
});
