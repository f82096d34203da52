// The two take-overs of issue 26, in Debian's chromium (playwright-core):
// 1. A mini-program user stores an HTML or SVG file whose script reads /_emulator/cloud-credentials.
//    Opened from its public download link, it must not run as the emulator's own site: the browser
//    saves it (Content-Disposition: attachment, RFC 6266) and no request for the credentials is made.
// 2. DNS rebinding: a name the attacker controls resolves to 127.0.0.1 (chromium's
//    --host-resolver-rules stands in for the attacker's DNS). Every console and control page the
//    browser then loads from that name is refused with 421 Misdirected Request (RFC 9110 §15.5.20).
import type { Browser, Page } from 'playwright-core';
import { openConsoleBrowser } from '../support/console-browser';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { CONSOLE_AND_CONTROL_ROUTES } from '../emulator/security/routes';
import { formUpload, publicUrl } from '../emulator/security/storage-uploads';

jest.setTimeout(90_000);

const REBOUND = ['evil.example', 'localhost.evil.example', '127.0.0.1.nip.io'];

let emulator: TestEmulator;
let browser: Browser;
let page: Page;
let pageErrors: string[] = [];
const credentialRequests: string[] = [];

beforeAll(async () => {
  emulator = await startTestEmulator();
  ({ browser, page, pageErrors } = await openConsoleBrowser([`--host-resolver-rules=${REBOUND.map((h) => `MAP ${h} 127.0.0.1`).join(',')}`]));
  page.context().on('request', (r) => {
    if (r.url().includes('/_emulator/cloud-credentials')) credentialRequests.push(r.url());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

afterEach(() => expect(pageErrors).toEqual([]));

const STEAL = "fetch('/_emulator/cloud-credentials').then((r) => r.text()).then((t) => { document.title = 'stolen ' + t; })";

it.each([
  ['avatars/o_mallory/page.html', 'text/html', `<!doctype html><html><body><script>${STEAL}</script></body></html>`],
  ['avatars/o_mallory/badge.svg', 'image/svg+xml', `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>${STEAL}</script></svg>`],
])('saves an uploaded %s instead of running its script as the emulator', async (cloudPath, type, body) => {
  expect((await formUpload(emulator, 'o_mallory', cloudPath, body, type, { 'Content-Type': type })).status).toBe(204);
  const url = publicUrl(emulator, cloudPath);
  const [download] = await Promise.all([page.waitForEvent('download'), page.goto(url).catch(() => undefined)]);
  expect(download.suggestedFilename()).toBe(cloudPath.split('/').pop());
  expect(await page.title()).not.toMatch(/stolen/);
  expect(credentialRequests).toEqual([]);
});

it.each(REBOUND)('refuses every console and control page the browser loads as %s', async (name) => {
  for (const [method, route] of CONSOLE_AND_CONTROL_ROUTES) {
    if (method !== 'GET') continue;
    const res = await page.goto(`http://${name}:${emulator.port}${route}`, { waitUntil: 'commit' });
    expect([route, res?.status()]).toEqual([route, 421]);
  }
  expect(await page.content()).not.toContain(emulator.secrets.cloudSecretKey);
});

it('still serves the console to the browser at 127.0.0.1', async () => {
  const res = await page.goto(`${emulator.url}/_/`);
  expect(res?.status()).toBe(200);
});
