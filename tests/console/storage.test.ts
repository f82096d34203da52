// The console's Storage screen in Debian's chromium (playwright-core): folders with their storage
// rule (storage.rules.json: avatars/ everyone reads, the creator writes; backup/ server only), a
// file's metadata (the uploader's openid for a mini-program upload), upload, download and delete,
// each checked through the real wx-server-sdk.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CONSOLE_ARTIFACTS, openConsoleBrowser } from '../support/console-browser';
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

jest.setTimeout(90_000);

const ARTIFACTS = CONSOLE_ARTIFACTS;

let emulator: TestEmulator;
let browser: Browser;
let page: Page;
let pageErrors: string[] = [];

/** A mini-program user's upload (what wx.cloud.uploadFile does): metadata as the user, then COS's form POST. */
async function userUpload(openid: string, cloudPath: string, bytes: Buffer): Promise<void> {
  const meta = (await emulator.post<{ data: Record<string, string> }>('/storage/client', { action: 'storage.getUploadMetadata', path: cloudPath }, { 'x-wx-openid': openid })).body.data;
  const form = new FormData();
  for (const [k, v] of Object.entries({ key: cloudPath, signature: meta.authorization, 'x-cos-meta-fileid': meta.cosFileId, success_action_status: '201' })) form.append(k, v as string);
  form.append('file', new Blob([bytes], { type: 'image/png' }), 'a.png');
  expect((await fetch(meta.url as string, { method: 'POST', body: form })).status).toBe(201);
}

const fileStatus = async (cloudPath: string) =>
  ((await sdkFor(emulator).getTempFileURL({ fileList: [emulator.context.storage.fileId(cloudPath)] })) as unknown as { fileList: Array<{ status: number; tempFileURL: string }> }).fileList[0];

beforeAll(async () => {
  emulator = await startTestEmulator();
  await userUpload('o_console_alice', 'avatars/alice.png', Buffer.from('alice-png'));
  await sdkFor(emulator).uploadFile({ cloudPath: 'backup/2024-01-01/users.json', fileContent: Buffer.from('{}\n') });
  ({ browser, page, pageErrors } = await openConsoleBrowser());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

afterEach(() => expect(pageErrors).toEqual([]));

it("browses folders with their rules and shows a file's metadata", async () => {
  await page.goto(`${emulator.url}/_/#/storage`);
  const avatars = page.locator('tr[data-folder="avatars"]');
  await avatars.waitFor();
  expect(await avatars.innerText()).toMatch(/read: everyone · write: creator/);
  expect(await page.locator('tr[data-folder="backup"]').innerText()).toMatch(/read: server only · write: server only/);
  await avatars.getByRole('button', { name: 'avatars/' }).click();
  const alice = page.locator('tr[data-file="avatars/alice.png"]');
  await alice.waitFor();
  const text = await alice.innerText();
  expect(text).toMatch(/alice\.png/);
  expect(text).toMatch(/9 B/);
  expect(text).toMatch(/image\/png/);
  expect(text).toMatch(/o_console_alice/);
  expect(await page.getByLabel('Folder rule').innerText()).toMatch(/read: everyone/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'storage.png'), fullPage: true });
});

it('uploads a file into the open folder, lists it, and its download link serves the bytes the SDK reads', async () => {
  await page.goto('about:blank');
  await page.goto(`${emulator.url}/_/#/storage/avatars`);
  await page.locator('tr[data-file="avatars/alice.png"]').waitFor();
  const bytes = Buffer.from('notes from the console\n');
  await page.getByLabel('File to upload').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: bytes });
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  const row = page.locator('tr[data-file="avatars/notes.txt"]');
  await row.waitFor();
  expect(await row.innerText()).toMatch(/text\/plain/);
  expect(await row.innerText()).toMatch(/server/); // the console is the server side: no uploader openid
  const down = await sdkFor(emulator).downloadFile({ fileID: emulator.context.storage.fileId('avatars/notes.txt') });
  expect(down.fileContent?.equals(bytes)).toBe(true);
  const href = await row.getByRole('link', { name: 'download' }).getAttribute('href');
  expect(Buffer.from(await (await fetch(href as string)).arrayBuffer()).equals(bytes)).toBe(true);
});

it('deletes a file after a confirmation: gone from the list and for the SDK', async () => {
  await page.goto('about:blank');
  await page.goto(`${emulator.url}/_/#/storage/avatars`);
  const row = page.locator('tr[data-file="avatars/notes.txt"]');
  await row.waitFor();
  await row.getByRole('button', { name: 'Delete' }).click();
  await row.getByRole('button', { name: 'Confirm delete' }).click();
  await row.waitFor({ state: 'detached' });
  expect((await fileStatus('avatars/notes.txt'))?.status).toBe(-503003);
  expect((await fileStatus('avatars/alice.png'))?.status).toBe(0);
});

it('shows a refused upload inline (a name the bucket does not take) and stores nothing', async () => {
  await page.goto('about:blank');
  await page.goto(`${emulator.url}/_/#/storage`);
  await page.locator('tr[data-folder="avatars"]').waitFor();
  const before = emulator.context.storage.list().length;
  await page.getByLabel('File to upload').setInputFiles({ name: 'bad?name.txt', mimeType: 'text/plain', buffer: Buffer.from('x') });
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: /not allowed/ }).waitFor();
  expect(emulator.context.storage.list().length).toBe(before);
});
