// Storage security rules, as CloudBase documents them (微信云开发 · 存储安全规则,
// developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/storage/security-rules):
// "云后台和服务端始终有所有文件读写权限，安全规则的配置仅对客户端发起的请求有效"; the basic
// permission "所有用户可读，仅创建者可读写" is { read: true, write: "resource.openid == auth.openid" };
// "仅创建者及管理员可读写" is { read: "resource.openid == auth.openid", write: the same }.
// A mini-program user here is a caller of /storage/client with X-WX-OPENID (the local mode's
// stand-in for wx.cloud's signed-in user); uploads go by POST Object, as wx.uploadFile sends them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator } from '../../emulator/server';
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

let emulator: TestEmulator;
let rulesDir: string;
beforeAll(async () => {
  rulesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-rules-'));
  const project = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../storage.rules.json'), 'utf8')) as { folders: Record<string, unknown> };
  // The project's rules plus one private folder, to test the creator-only template too.
  project.folders['private/'] = { read: 'resource.openid == auth.openid', write: 'resource.openid == auth.openid' };
  fs.writeFileSync(path.join(rulesDir, 'rules.json'), JSON.stringify(project));
  emulator = await startTestEmulator({ storageRulesFile: path.join(rulesDir, 'rules.json') });
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(rulesDir, { recursive: true, force: true });
});

type Answer = { code?: string; message?: string; data?: Record<string, unknown> };
const client = async (openid: string | undefined, body: Record<string, unknown>) => (await emulator.post<Answer>('/storage/client', body, openid ? { 'x-wx-openid': openid } : {})).body;

/** What wx.cloud.uploadFile does for a user: upload metadata, then a form POST of the file. */
async function userUpload(openid: string | undefined, cloudPath: string, content: string): Promise<{ fileID?: string; code?: string; status?: number }> {
  const meta = await client(openid, { action: 'storage.getUploadMetadata', path: cloudPath });
  if (meta.code) return { code: meta.code };
  const data = meta.data as { url: string; authorization: string; token: string; cosFileId: string; fileId: string };
  const form = new FormData();
  form.append('key', cloudPath);
  form.append('signature', data.authorization);
  form.append('x-cos-security-token', data.token);
  form.append('x-cos-meta-fileid', data.cosFileId);
  form.append('success_action_status', '201');
  form.append('file', new Blob([content], { type: 'image/png' }), 'avatar.png');
  const res = await fetch(data.url, { method: 'POST', body: form });
  await res.text();
  return res.status === 201 ? { fileID: data.fileId, status: res.status } : { status: res.status };
}

const tempUrl = (openid: string | undefined, fileID: string) => client(openid, { action: 'storage.batchGetDownloadUrl', file_list: [{ fileid: fileID, max_age: 600 }] });
const del = (openid: string | undefined, fileID: string) => client(openid, { action: 'storage.batchDeleteFile', fileid_list: [fileID] });
const first = (answer: Answer, list: string) => ((answer.data?.[list] as Array<Record<string, unknown>>) ?? [])[0];

describe('avatars/: everyone reads, only the creator writes (storage.rules.json)', () => {
  let fileID: string;
  beforeAll(async () => {
    fileID = (await userUpload('o_alice', 'avatars/alice.png', 'alice-bytes')).fileID as string;
  });

  it("records the uploader's openid, size and content type", () => {
    expect(emulator.context.storage.list().find((f) => f.path === 'avatars/alice.png')).toMatchObject({ openid: 'o_alice', size: 11, contentType: 'image/png' });
  });

  it('lets another user read it through a temporary URL', async () => {
    const entry = first(await tempUrl('o_bob', fileID), 'download_list');
    expect(entry).toMatchObject({ code: 'SUCCESS' });
    expect(await (await fetch(entry?.tempFileURL as string)).text()).toBe('alice-bytes');
  });

  it('refuses another user deleting it, and keeps the file', async () => {
    expect(first(await del('o_bob', fileID), 'delete_list')).toMatchObject({ code: 'STORAGE_EXCEED_AUTHORITY' });
    expect(emulator.context.storage.list().some((f) => f.path === 'avatars/alice.png')).toBe(true);
  });

  it('refuses another user overwriting it', async () => {
    expect(await userUpload('o_bob', 'avatars/alice.png', 'bob-bytes')).toEqual({ code: 'STORAGE_EXCEED_AUTHORITY' });
    const entry = first(await tempUrl('o_bob', fileID), 'download_list');
    expect(await (await fetch(entry?.tempFileURL as string)).text()).toBe('alice-bytes');
  });

  it('refuses a caller who is not signed in from writing', async () => {
    expect(await userUpload(undefined, 'avatars/anon.png', 'x')).toEqual({ code: 'STORAGE_EXCEED_AUTHORITY' });
  });

  it('lets the creator overwrite and delete it', async () => {
    expect(await userUpload('o_alice', 'avatars/alice.png', 'alice-v2')).toMatchObject({ status: 201 });
    expect(first(await del('o_alice', fileID), 'delete_list')).toMatchObject({ code: 'SUCCESS', fileID });
  });
});

describe('a creator-only folder', () => {
  it("lets the creator read their file and refuses another user's read", async () => {
    const { fileID } = await userUpload('o_carol', 'private/carol.txt', 'secret');
    expect(first(await tempUrl('o_carol', fileID as string), 'download_list')).toMatchObject({ code: 'SUCCESS' });
    expect(first(await tempUrl('o_dave', fileID as string), 'download_list')).toMatchObject({ code: 'STORAGE_EXCEED_AUTHORITY', tempFileURL: '' });
  });
});

describe('backup/: server side only (read false, write false)', () => {
  it('refuses users, while the server SDK reads and writes (rules do not bind it)', async () => {
    const up = await sdkFor(emulator).uploadFile({ cloudPath: 'backup/x.json', fileContent: Buffer.from('{}') });
    expect(first(await tempUrl('o_alice', up.fileID), 'download_list')).toMatchObject({ code: 'STORAGE_EXCEED_AUTHORITY' });
    expect(await userUpload('o_alice', 'backup/y.json', '{}')).toEqual({ code: 'STORAGE_EXCEED_AUTHORITY' });
    const { fileList } = (await sdkFor(emulator).getTempFileURL({ fileList: [up.fileID] })) as unknown as { fileList: Array<{ status: number }> };
    expect(fileList[0]?.status).toBe(0);
  });

  it('does not offer copyFile to users (a server SDK call)', async () => {
    expect(await client('o_alice', { action: 'storage.batchCopyFile', file_list: [] })).toMatchObject({ code: 'INVALID_ACTION' });
  });
});

it('refuses to start with a rule expression it cannot evaluate, naming it', async () => {
  fs.writeFileSync(path.join(rulesDir, 'bad.json'), JSON.stringify({ default: { read: true, write: 'resource.size < 1024' } }));
  await expect(startEmulator({ port: 0, inMemory: true, scheduleTimers: false, functionsDirs: [], storageRulesFile: path.join(rulesDir, 'bad.json') })).rejects.toThrow(/resource\.size < 1024/);
});
