// A stored file must never run as the emulator's own site: production serves storage from its own
// domain, the emulator from the port that also serves the console and the cloud credentials. Every
// download carries X-Content-Type-Options: nosniff (Fetch standard: the browser keeps the stored
// type) and Content-Security-Policy: sandbox (CSP Level 2: a rendered document gets an opaque
// origin, no scripts); a type a browser could run (HTML, SVG, XML, scripts) is also sent with
// Content-Disposition: attachment (RFC 6266), so the browser saves it. An upload grant hands out a
// signed read link only to a caller the folder's read rule lets read (storage rules bind the
// signed URL as they bind getTempFileURL).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { formUpload, publicUrl, uploadGrant } from './storage-uploads';

let emulator: TestEmulator;
const rulesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'security-rules-'));
const rulesFile = path.join(rulesDir, 'storage.rules.json');

beforeAll(async () => {
  fs.writeFileSync(rulesFile, JSON.stringify({
    default: { read: true, write: 'resource.openid == auth.openid' },
    folders: { 'avatars/': { read: true, write: 'resource.openid == auth.openid' }, 'inbox/': { read: false, write: true } },
  }));
  emulator = await startTestEmulator({ storageRulesFile: rulesFile });
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(rulesDir, { recursive: true, force: true });
});

const SCRIPT = "<script>fetch('/_emulator/cloud-credentials').then(r => r.text()).then(t => document.title = t)</script>";

it.each([
  ['page.html', 'text/html', `<html><body>${SCRIPT}</body></html>`],
  ['page.htm', 'text/html; charset=utf-8', `<html>${SCRIPT}</html>`],
  ['icon.svg', 'image/svg+xml', `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`],
  ['doc.xml', 'application/xml', '<?xml version="1.0"?><x/>'],
  ['doc.xhtml', 'application/xhtml+xml', `<html xmlns="http://www.w3.org/1999/xhtml">${SCRIPT}</html>`],
  ['app.js', 'text/javascript', 'alert(1)'],
  ['app.mjs', 'application/javascript', 'alert(1)'],
  ['odd.bin', 'application/x-made-up', '<script>alert(1)</script>'],
])('serves %s (%s) to be saved, sandboxed and never sniffed', async (name, type, body) => {
  const cloudPath = `avatars/o_mallory/${name}`;
  expect((await formUpload(emulator, 'o_mallory', cloudPath, body, type, { 'Content-Type': type })).status).toBe(204);
  const res = await fetch(publicUrl(emulator, cloudPath));
  expect(res.status).toBe(200);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toBe('sandbox');
  expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
  expect(await res.text()).toBe(body);
});

it('still shows an image inline (an <image> in the mini-program), without sniffing', async () => {
  const cloudPath = 'avatars/o_alice/me.png';
  expect((await formUpload(emulator, 'o_alice', cloudPath, Buffer.from([137, 80, 78, 71]), 'image/png')).status).toBe(204);
  const res = await fetch(publicUrl(emulator, cloudPath));
  expect(res.headers.get('content-type')).toBe('image/png');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-disposition')).toBeNull();
});

it("gives a user's upload grant no read link for a folder its read rule closes to them", async () => {
  const grant = await uploadGrant(emulator, 'o_writer', 'inbox/report.txt');
  expect(grant.download_url).toBeUndefined();
  const readable = await uploadGrant(emulator, 'o_writer', 'avatars/o_writer/a.png');
  expect(typeof readable.download_url).toBe('string');
});

it('keeps the read link for the server side, which storage rules do not bind', async () => {
  const res = await emulator.post<{ data: { download_url?: string } }>('/admin', { action: 'storage.getUploadMetadata', path: 'inbox/from-server.txt' });
  expect(typeof res.body.data.download_url).toBe('string');
});
