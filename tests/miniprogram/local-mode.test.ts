// Local mode (miniprogram/config.ts EMULATOR_URL set): the same pages talk to the emulator over
// wx.request / wx.uploadFile as DEV_OPENID, and never touch wx.cloud. The compiled copy of the
// mini-program gets EMULATOR_URL pointed at this test's emulator, as a developer edits config.ts.
import fs from 'node:fs';
import path from 'node:path';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { compileMiniprogram, fire, installWx, renderPage, seedDatabase, tap, text, until } from './harness';
import { addTempFile } from './wx-storage';

const DEV_OPENID = 'o_dev_local_user'; // miniprogram/config.ts
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let emulator: TestEmulator;
let root: string;
beforeAll(async () => {
  emulator = await startTestEmulator();
  root = compileMiniprogram();
  const config = path.join(root, 'config.js');
  const compiled = fs.readFileSync(config, 'utf8');
  expect(compiled).toMatch(/EMULATOR_URL = ""/);
  fs.writeFileSync(config, compiled.replace(/EMULATOR_URL = ""/, `EMULATOR_URL = ${JSON.stringify(emulator.url)}`));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(root, { recursive: true, force: true });
});

it('is off by default: config.ts ships with EMULATOR_URL empty', () => {
  expect(fs.readFileSync(path.resolve(__dirname, '../../miniprogram/config.ts'), 'utf8')).toMatch(/export const EMULATOR_URL = '';/);
});

it("signs in on the start page as DEV_OPENID, with a login code the emulator minted (it knows no real wx.login code)", async () => {
  // The stand-in's own wx.login is for another user: local mode must not use it.
  const wx = installWx(emulator, 'o_not_the_dev_user');
  const page = renderPage(root, 'start');
  await until(page, (d) => d.loading === false);
  expect(text(page, '#error')).toBeUndefined();
  expect(text(page, '#openid')).toBe(DEV_OPENID);
  expect(wx.calls).toEqual([]);
});

it('runs the profile page against the emulator as DEV_OPENID without wx.cloud: login, avatar upload, save', async () => {
  const wx = installWx(emulator, DEV_OPENID);
  const page = renderPage(root, 'profile');
  await until(page, (d) => d.loading === false);
  expect(text(page, '#error')).toBeUndefined();
  const picked = addTempFile(wx, PNG, '.png');
  await fire(page, '#avatar', 'chooseavatar', { avatarUrl: picked });
  await until(page, (d) => d.avatarUrl !== '' || d.error !== '', 'the upload');
  expect(page.data.error).toBe('');
  const url = page.data.avatarUrl as string;
  expect(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(PNG)).toBe(true);
  expect(emulator.context.storage.list().filter((f) => f.path.startsWith('avatars/') && f.openid === DEV_OPENID)).toHaveLength(1);

  await fire(page, '#nickname', 'input', { value: 'dev' });
  await fire(page, '#phone-button', 'getphonenumber', { code: await emulator.phoneCode('13500000000'), errMsg: 'getPhoneNumber:ok' });
  await until(page, (d) => d.infoComplete === true, 'the save');
  const users = (await seedDatabase(emulator).collection('users').where({ openid: DEV_OPENID }).get()) as { data: Array<Record<string, unknown>> };
  expect(users.data[0]).toMatchObject({ nickname: 'dev', avatar: url });
  // Nothing went through wx.cloud.
  expect(wx.calls).toEqual([]);
  expect(wx.uploads).toEqual([]);
});

it("adds and clears search history through the emulator, and shows a function's refusal the same way", async () => {
  const wx = installWx(emulator, DEV_OPENID);
  const page = renderPage(root, 'search');
  await until(page, (d) => d.loading === false);
  await fire(page, '#query', 'input', { value: 'local coffee' });
  await tap(page, '#search');
  await until(page, (d) => Array.isArray(d.history) && (d.history as string[]).includes('local coffee'), 'the history');
  await tap(page, '#clear');
  await until(page, (d) => Array.isArray(d.history) && (d.history as string[]).length === 0, 'the clear');
  // user.addHistory refuses over 100 characters with { code: -1, msg } (README, user API).
  await fire(page, '#query', 'input', { value: 'x'.repeat(101) });
  await tap(page, '#search');
  await until(page, (d) => d.error !== '', 'the refusal');
  expect(text(page, '#error')).toBe('hist must be at most 100 characters');
  expect(wx.calls).toEqual([]);
});
