// Cloud storage through the real wx-server-sdk (and the @cloudbase/node-sdk it wraps), unchanged,
// against the emulator. Expected shapes come from the SDKs' own code and CloudBase's docs:
// - wx-server-sdk 4.0.2 index.js (uploadFile → { fileID, statusCode }; getTempFileURL and deleteFile
//   → fileList entries { fileID, status: 0 | TCB_ERR_CODE, errMsg }; STORAGE_FILE_NONEXIST = -503003,
//   STORAGE_EXCEED_AUTHORITY = -503002, INVALID_PARAM = -501007);
// - @cloudbase/node-sdk src/storage/index.ts (downloadFile fails with "下载文件失败: Status:<code>"
//   when the temporary URL does not answer 200);
// - CloudBase docs, 云存储 getTempFileURL: "maxAge 有效期…默认一天且最大不超过一天"; fileIDs
//   `cloud://<env>.<bucket>/<path>` (wx.cloud.uploadFile: "fileID 文件 ID");
// - COS docs, GET Object errors: 403 AccessDenied for a bad or expired signature, 404 NoSuchKey.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sdkFor, startTestEmulator, type TestEmulator, useEmulatorSources } from '../support/emulator';

// From the sources: jest's fake Date ages a download URL (tests/support/emulator.ts).
useEmulatorSources();

let emulator: TestEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startTestEmulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-sdk-test-'));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => jest.useRealTimers());

type FileEntry = { fileID: string; status: number; errMsg: string; tempFileURL: string; maxAge?: number };
const cloud = () => sdkFor(emulator);

describe('uploadFile, getTempFileURL, downloadFile', () => {
  it('uploads a Buffer, hands out a cloud:// file ID and a temporary URL that serves the same bytes', async () => {
    const bytes = crypto.randomBytes(10_000);
    const up = await cloud().uploadFile({ cloudPath: 'docs/report.bin', fileContent: bytes });
    expect(up.fileID).toMatch(new RegExp(`^cloud://${emulator.context.envId}\\.[^/]+/docs/report\\.bin$`));

    const { fileList } = (await cloud().getTempFileURL({ fileList: [up.fileID] })) as unknown as { fileList: FileEntry[] };
    expect(fileList).toEqual([expect.objectContaining({ fileID: up.fileID, status: 0, errMsg: 'ok', tempFileURL: expect.stringMatching(/^http:\/\//) })]);
    const fetched = await fetch(fileList[0]!.tempFileURL);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(bytes)).toBe(true);

    const down = await cloud().downloadFile({ fileID: up.fileID });
    expect(Buffer.compare(down.fileContent as Buffer, bytes)).toBe(0);
  });

  it('uploads a 5 MB file stream and downloads it byte for byte', async () => {
    const file = path.join(dir, 'five.bin');
    const bytes = crypto.randomBytes(5 * 1024 * 1024);
    fs.writeFileSync(file, bytes);
    const up = await cloud().uploadFile({ cloudPath: 'big/five.bin', fileContent: fs.createReadStream(file) });
    const down = await cloud().downloadFile({ fileID: up.fileID });
    expect((down.fileContent as Buffer).length).toBe(bytes.length);
    expect(crypto.createHash('sha256').update(down.fileContent as Buffer).digest('hex')).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
  });

  it('keeps Chinese names readable in the file ID and serves them', async () => {
    const up = await cloud().uploadFile({ cloudPath: '头像/小明.png', fileContent: Buffer.from('png') });
    expect(up.fileID.endsWith('/头像/小明.png')).toBe(true);
    expect((await cloud().downloadFile({ fileID: up.fileID })).fileContent?.toString()).toBe('png');
  });

  it('overwrites a path with a new upload', async () => {
    await cloud().uploadFile({ cloudPath: 'docs/same.txt', fileContent: Buffer.from('first') });
    const up = await cloud().uploadFile({ cloudPath: 'docs/same.txt', fileContent: Buffer.from('second') });
    expect((await cloud().downloadFile({ fileID: up.fileID })).fileContent?.toString()).toBe('second');
  });

  it('honours maxAge: the URL works before, and answers 403 after it', async () => {
    const up = await cloud().uploadFile({ cloudPath: 'docs/short.txt', fileContent: Buffer.from('short') });
    const { fileList } = (await cloud().getTempFileURL({ fileList: [{ fileID: up.fileID, maxAge: 60 }] })) as unknown as { fileList: FileEntry[] };
    expect(fileList[0]?.maxAge).toBe(60);
    const url = fileList[0]!.tempFileURL;
    expect((await fetch(url)).status).toBe(200);
    jest.useFakeTimers({ now: Date.now() + 61_000, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask'] });
    const late = await fetch(url);
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('refuses a tampered URL with 403 (another path, or a later expiry)', async () => {
    const up = await cloud().uploadFile({ cloudPath: 'docs/signed.txt', fileContent: Buffer.from('x') });
    await cloud().uploadFile({ cloudPath: 'docs/other.txt', fileContent: Buffer.from('y') });
    const { fileList } = (await cloud().getTempFileURL({ fileList: [up.fileID] })) as unknown as { fileList: FileEntry[] };
    const url = new URL(fileList[0]!.tempFileURL);
    const later = new URL(url);
    later.searchParams.set('t', String(Number(url.searchParams.get('t')) + 3600));
    expect((await fetch(later)).status).toBe(403);
    const otherPath = new URL(url.href.replace('signed.txt', 'other.txt'));
    expect((await fetch(otherPath)).status).toBe(403);
    const noT = new URL(url);
    noT.searchParams.delete('t');
    expect((await fetch(noT)).status).toBe(403);
  });

  it('serves a file of a public-read folder without a signature, and refuses that for a server-only folder', async () => {
    // storage.rules.json: avatars/ read true ("所有用户可读"), backup/ read false ("仅管理员可读写").
    const avatar = await cloud().uploadFile({ cloudPath: 'avatars/plain.png', fileContent: Buffer.from('png') });
    const backup = await cloud().uploadFile({ cloudPath: 'backup/plain.json', fileContent: Buffer.from('{}') });
    const urls = (await cloud().getTempFileURL({ fileList: [avatar.fileID, backup.fileID] })) as unknown as { fileList: FileEntry[] };
    const plain = (u: string) => u.replace(/\?.*$/, '');
    expect((await fetch(plain(urls.fileList[0]!.tempFileURL))).status).toBe(200);
    expect((await fetch(plain(urls.fileList[1]!.tempFileURL))).status).toBe(403);
  });

  it('answers HEAD with the size and the content type a GET gives, without a body, and a Range with 206', async () => {
    const up = await cloud().uploadFile({ cloudPath: 'docs/range.txt', fileContent: Buffer.from('0123456789') });
    const { fileList } = (await cloud().getTempFileURL({ fileList: [up.fileID] })) as unknown as { fileList: FileEntry[] };
    const head = await fetch(fileList[0]!.tempFileURL, { method: 'HEAD' });
    const get = await fetch(fileList[0]!.tempFileURL);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('10');
    // RFC 9110 §9.3.2: HEAD sends the header fields GET would, and no content.
    expect(get.headers.get('content-type')).toEqual(expect.any(String));
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(await head.text()).toBe('');
    const part = await fetch(fileList[0]!.tempFileURL, { headers: { range: 'bytes=2-4' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('234');
  });
});

describe('deleteFile', () => {
  it('deletes a file: it is gone, its URL answers 404 and downloadFile fails', async () => {
    const up = await cloud().uploadFile({ cloudPath: 'docs/gone.txt', fileContent: Buffer.from('bye') });
    const { fileList: urls } = (await cloud().getTempFileURL({ fileList: [up.fileID] })) as unknown as { fileList: FileEntry[] };
    const del = (await cloud().deleteFile({ fileList: [up.fileID] })) as unknown as { fileList: FileEntry[] };
    expect(del.fileList).toEqual([{ fileID: up.fileID, status: 0, errMsg: 'ok' }]);
    const after = await fetch(urls[0]!.tempFileURL);
    expect(after.status).toBe(404);
    expect(await after.text()).toContain('<Code>NoSuchKey</Code>');
    const again = (await cloud().getTempFileURL({ fileList: [up.fileID] })) as unknown as { fileList: FileEntry[] };
    expect(again.fileList[0]).toMatchObject({ status: -503003, tempFileURL: '' });
    // wx-server-sdk turns the Error node-sdk throws into errCode -1 and keeps node-sdk's code on it.
    await expect(cloud().downloadFile({ fileID: up.fileID })).rejects.toMatchObject({ errCode: -1, code: 'STORAGE_FILE_NONEXIST' });
    expect(emulator.context.storage.list().some((f) => f.path === 'docs/gone.txt')).toBe(false);
  });

  it('answers per file: unknown IDs STORAGE_FILE_NONEXIST, another environment STORAGE_EXCEED_AUTHORITY', async () => {
    const up = await cloud().uploadFile({ cloudPath: 'docs/kept.txt', fileContent: Buffer.from('k') });
    const unknown = up.fileID.replace('kept.txt', 'never-uploaded.txt');
    const foreign = up.fileID.replace(`cloud://${emulator.context.envId}.`, 'cloud://other-env-9z.');
    const res = (await cloud().deleteFile({ fileList: [unknown, foreign] })) as unknown as { fileList: FileEntry[] };
    expect(res.fileList.map((f) => f.status)).toEqual([-503003, -503002]);
    const urls = (await cloud().getTempFileURL({ fileList: [unknown, foreign, 'not-a-file-id'] })) as unknown as { fileList: FileEntry[] };
    expect(urls.fileList.map((f) => f.status)).toEqual([-503003, -503002, -501007]);
    expect(emulator.context.storage.list().some((f) => f.path === 'docs/kept.txt')).toBe(true);
  });

  it('refuses more than 50 files in one call (CloudBase: "一次最多 50 个")', async () => {
    const ids = Array.from({ length: 51 }, (_, i) => `cloud://${emulator.context.envId}.b/x${i}`);
    await expect(cloud().deleteFile({ fileList: ids })).rejects.toMatchObject({ code: 'INVALID_PARAM' });
  });
});

describe('copyFile (@cloudbase/node-sdk only; wx-server-sdk has none)', () => {
  it('copies a file to a new path with the same name, optionally removing the original', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tcb = require('@cloudbase/node-sdk') as { init(config: Record<string, unknown>): { copyFile(o: unknown): Promise<{ fileList: Array<{ fileId?: string; code?: string }> }>; downloadFile(o: unknown): Promise<{ fileContent: Buffer }> } };
    const app = tcb.init({ env: emulator.context.envId, serviceUrl: `${emulator.url}/admin`, secretId: 'test', secretKey: 'test' });
    const up = await cloud().uploadFile({ cloudPath: 'from/copy.txt', fileContent: Buffer.from('copied') });
    const res = await app.copyFile({ fileList: [{ srcPath: up.fileID, dstPath: up.fileID.replace('/from/', '/to/'), removeOriginal: true }] });
    expect(res.fileList[0]).toMatchObject({ code: 'SUCCESS', fileId: up.fileID.replace('/from/', '/to/') });
    expect((await app.downloadFile({ fileID: res.fileList[0]!.fileId })).fileContent.toString()).toBe('copied');
    expect(emulator.context.storage.list().some((f) => f.path === 'from/copy.txt')).toBe(false);
  });
});
