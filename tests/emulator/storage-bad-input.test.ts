// Bad input to the emulated storage: each gets CloudBase's error (through the real SDK) or COS's
// <Error> XML (on the upload URL), a partial upload never becomes a visible file, and nothing
// outside the storage folder is written. Sources: @cloudbase/node-sdk src/storage/index.ts (the
// PUT it sends, and how it reads COS's <Error>: Code, Message, RequestId, TraceId); COS API docs
// (PUT Object errors: SignatureDoesNotMatch 403, AccessDenied 403, EntityTooLarge 400,
// RequestTimeout 400, KeyTooLong 400; a simple upload takes at most 5 GB).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';
import { waitFor } from '../support/wait-for';

let emulator: TestEmulator;
let dataDir: string;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-bad-input-'));
  emulator = await startTestEmulator({ inMemory: false, dataDir: path.join(dataDir, 'data'), uploadIdleTimeoutMs: 400 });
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const cloud = () => sdkFor(emulator);
type Metadata = { url: string; authorization: string; cosFileId: string; token: string };

async function uploadMetadata(cloudPath: string): Promise<Metadata> {
  const res = await emulator.post<{ data: Metadata; code?: string }>('/admin', { action: 'storage.getUploadMetadata', path: cloudPath, method: 'put' });
  if (!res.body.data) throw new Error(JSON.stringify(res.body));
  return res.body.data;
}

/** Sends a PUT by hand: headers, then some bytes, then either ends, waits, or drops the connection. */
function rawPut(meta: Metadata, declaredLength: number, send: Buffer, then: 'wait' | 'drop'): Promise<string> {
  const url = new URL(meta.url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname, () => {
      socket.write(`PUT ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${meta.authorization}\r\nx-cos-meta-fileid: ${meta.cosFileId}\r\nContent-Length: ${declaredLength}\r\n\r\n`);
      // A drop comes once the server is writing the partial body to its temporary file.
      socket.write(send, () => {
        if (then === 'drop') void waitFor('the upload to reach a temporary file', () => fs.readdirSync(tmp()).length > 0).finally(() => socket.destroy());
      });
    });
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => undefined);
  });
}

const tmp = () => path.join(dataDir, 'data/storage/tmp');
const visible = (cloudPath: string) => emulator.context.storage.list().some((f) => f.path === cloudPath);

describe('names the SDK cannot upload (CloudBase INVALID_PARAM from getUploadMetadata)', () => {
  it.each([
    ['a .. segment', 'avatars/../../etc/passwd'],
    ['an absolute path', '/etc/passwd'],
    ['an empty name', ''],
    ['a folder name (trailing /)', 'avatars/'],
    ['a NUL byte', 'avatars/a\u0000b.png'],
    ['a path over 1024 bytes', `long/${'字'.repeat(400)}.txt`],
  ])('%s', async (_what, cloudPath) => {
    await expect(cloud().uploadFile({ cloudPath, fileContent: Buffer.from('x') })).rejects.toMatchObject({ code: 'INVALID_PARAM' });
  });
});

describe('the upload URL (COS PUT Object)', () => {
  it('refuses a forged signature with SignatureDoesNotMatch, and a missing one with AccessDenied', async () => {
    const meta = await uploadMetadata('cos/forged.txt');
    const forged = await fetch(meta.url, { method: 'PUT', headers: { authorization: meta.authorization.replace(/q-signature=(\w)/, (_m, c: string) => `q-signature=${c === '0' ? '1' : '0'}`), 'x-cos-meta-fileid': meta.cosFileId }, body: 'x' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toMatch(/<Code>SignatureDoesNotMatch<\/Code>[\s\S]*<RequestId>[^<]+<\/RequestId>[\s\S]*<TraceId>/);
    const missing = await fetch(meta.url, { method: 'PUT', body: 'x' });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('<Code>AccessDenied</Code>');
    // A grant is for its own path only.
    const elsewhere = await fetch(meta.url.replace('forged.txt', 'elsewhere.txt'), { method: 'PUT', headers: { authorization: meta.authorization, 'x-cos-meta-fileid': meta.cosFileId }, body: 'x' });
    expect(elsewhere.status).toBe(403);
    expect(visible('cos/forged.txt') || visible('cos/elsewhere.txt')).toBe(false);
  });

  it('refuses a declared length over the 5 GB simple-upload limit with EntityTooLarge', async () => {
    const meta = await uploadMetadata('cos/huge.bin');
    const answer = await rawPut(meta, 6 * 1024 ** 3, Buffer.from('abc'), 'wait');
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('<Code>EntityTooLarge</Code>');
    expect(visible('cos/huge.bin')).toBe(false);
  });

  it('answers RequestTimeout when fewer bytes than Content-Length arrive and the client goes quiet; no file appears', async () => {
    const meta = await uploadMetadata('cos/short.bin');
    const answer = await rawPut(meta, 1000, Buffer.alloc(500, 1), 'wait');
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('<Code>RequestTimeout</Code>');
    expect(visible('cos/short.bin')).toBe(false);
  });

  it('keeps the previous version when an overwrite drops its connection halfway', async () => {
    const first = await cloud().uploadFile({ cloudPath: 'cos/kept.bin', fileContent: Buffer.from('version one') });
    const meta = await uploadMetadata('cos/kept.bin');
    await rawPut(meta, 100_000, Buffer.alloc(40_000, 2), 'drop');
    await waitFor('the dropped upload to be cleaned up', () => fs.readdirSync(tmp()).length === 0);
    expect((await cloud().downloadFile({ fileID: first.fileID })).fileContent?.toString()).toBe('version one');
    // A new file whose upload drops halfway never appears.
    await rawPut(await uploadMetadata('cos/dropped.bin'), 100_000, Buffer.alloc(40_000, 3), 'drop');
    await waitFor('the dropped upload to be cleaned up', () => fs.readdirSync(tmp()).length === 0);
    expect(visible('cos/dropped.bin')).toBe(false);
  });

  it('answers an unknown bucket with NoSuchBucket', async () => {
    const res = await fetch(`${emulator.url}/storage/download/some-other-bucket/a.txt?sign=x&t=1`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('<Code>NoSuchBucket</Code>');
  });
});

it('wrote nothing outside the storage folder, and no partial upload is left anywhere', () => {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const files = walk(dataDir).map((f) => path.relative(dataDir, f));
  expect(files.filter((f) => !f.startsWith(`data${path.sep}`))).toEqual([]);
  expect(files.filter((f) => f.startsWith(path.join('data', 'storage', 'tmp')))).toEqual([]);
  expect(files.filter((f) => f.startsWith(path.join('data', 'storage')) && !/storage[\\/](blobs|meta)[\\/]|\.url-key$/.test(f))).toEqual([]);
  expect(emulator.context.storage.list().map((f) => f.path)).toEqual(['cos/kept.bin']);
});
