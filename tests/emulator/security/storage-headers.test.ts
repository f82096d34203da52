// Storage's response headers carry keys percent-encoded, as COS's do (COS API, "POST Object":
// the Location response header is the object's URL, its key URL-encoded), so any key the path
// rules accept (a WeChat app's `头像.png`, `100%.png`) uploads, answers and downloads. An upload is
// always answered once the object is committed. A form's Content-Type field must be a media type
// (RFC 9110 §8.3.1), or the upload is refused with COS's InvalidArgument (400) before anything is
// stored. Temporary URLs percent-encode each path segment (RFC 3986 §3.3).
import { sdkFor, startTestEmulator, type TestEmulator } from '../../support/emulator';
import { formUpload, publicUrl } from './storage-uploads';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

const bucket = () => emulator.context.storage.fileId('x').split('/')[2]?.split('.').slice(1).join('.') as string;
const tempUrl = async (cloudPath: string) =>
  ((await sdkFor(emulator).getTempFileURL({ fileList: [emulator.context.storage.fileId(cloudPath)] })) as unknown as { fileList: Array<{ tempFileURL: string }> }).fileList[0]?.tempFileURL as string;

it('answers a form upload of 头像.png with 204 and the key percent-encoded in Location', async () => {
  const res = await formUpload(emulator, 'o_alice', 'avatars/o_alice/头像.png', Buffer.from('png'), 'image/png');
  expect(res.status).toBe(204);
  expect(res.headers.get('location')).toBe(`${emulator.url}/storage/cos/${bucket()}/avatars/o_alice/%E5%A4%B4%E5%83%8F.png`);
  expect(await (await fetch(publicUrl(emulator, 'avatars/o_alice/头像.png'))).text()).toBe('png');
});

it("answers success_action_status 201 with the PostResponse XML, its Location encoded", async () => {
  const res = await formUpload(emulator, 'o_alice', 'avatars/o_alice/照片 1.png', Buffer.from('png'), 'image/png', { success_action_status: '201' });
  expect(res.status).toBe(201);
  expect(await res.text()).toContain(`<Location>${emulator.url}/storage/cos/${bucket()}/avatars/o_alice/%E7%85%A7%E7%89%87%201.png</Location>`);
});

it.each([['CR/LF', 'text/plain\r\nX-Injected: 1'], ['non-Latin-1 text', '图片/png'], ['no subtype', 'text'], ['a space in the type', 'text /html']])('refuses a form whose content-type field holds %s with 400 InvalidArgument, storing nothing', async (_what, type) => {
  const cloudPath = `avatars/o_alice/bad-${Buffer.from(type).toString('hex').slice(0, 12)}.txt`;
  const res = await formUpload(emulator, 'o_alice', cloudPath, 'x', 'text/plain', { 'Content-Type': type });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain('<Code>InvalidArgument</Code>');
  expect((await fetch(publicUrl(emulator, cloudPath))).status).toBe(404);
});

it('keeps a valid content-type field with parameters', async () => {
  const res = await formUpload(emulator, 'o_alice', 'avatars/o_alice/note.txt', 'hi', 'text/plain', { 'Content-Type': 'text/plain; charset=utf-8' });
  expect(res.status).toBe(204);
  expect((await fetch(publicUrl(emulator, 'avatars/o_alice/note.txt'))).headers.get('content-type')).toBe('text/plain; charset=utf-8');
});

it('refuses a PUT Object whose Content-Type is not a media type', async () => {
  const grant = (await emulator.post<{ data: { url: string; authorization: string; cosFileId: string } }>('/admin', { action: 'storage.getUploadMetadata', path: 'avatars/put.txt' })).body.data;
  const res = await fetch(grant.url, { method: 'PUT', headers: { authorization: grant.authorization, 'x-cos-meta-fileid': grant.cosFileId, 'content-type': 'not a type' }, body: 'x' });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain('<Code>InvalidArgument</Code>');
});

it.each(['100%.png', 'a b+c&d.png', '头像.png', "it's (1).png"])('gives %s a temporary URL that downloads it', async (name) => {
  const cloudPath = `avatars/o_alice/${name}`;
  expect((await formUpload(emulator, 'o_alice', cloudPath, `bytes of ${name}`, 'image/png')).status).toBe(204);
  const url = await tempUrl(cloudPath);
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(await res.text()).toBe(`bytes of ${name}`);
});

it('names a non-ASCII file in its attachment header as RFC 8187 encodes it', async () => {
  const cloudPath = 'avatars/o_alice/简历.html';
  expect((await formUpload(emulator, 'o_alice', cloudPath, '<p>hi</p>', 'text/html', { 'Content-Type': 'text/html' })).status).toBe(204);
  const res = await fetch(publicUrl(emulator, cloudPath));
  expect(res.headers.get('content-disposition')).toBe(`attachment; filename="__.html"; filename*=UTF-8''%E7%AE%80%E5%8E%86.html`);
});

it.each(['100%.png', '头像 2.png'])("downloads %s through the server SDK's downloadFile, which encodes the URL once more (node-sdk: encodeURI(tempFileURL))", async (name) => {
  const cloudPath = `avatars/o_alice/sdk-${name}`;
  expect((await formUpload(emulator, 'o_alice', cloudPath, `sdk ${name}`, 'image/png')).status).toBe(204);
  const file = (await sdkFor(emulator).downloadFile({ fileID: emulator.context.storage.fileId(cloudPath) })) as { fileContent: Buffer };
  expect(file.fileContent.toString()).toBe(`sdk ${name}`);
});
