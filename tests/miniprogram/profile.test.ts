// pages/profile rendered with miniprogram-simulate against the emulator (see ./harness.ts).
import fs from 'node:fs';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { compileMiniprogram, exists, fire, installWx, renderPage, seedDatabase, text, until, type Page } from './harness';
import { addTempFile } from './wx-storage';

let emulator: TestEmulator;
let root: string;
beforeAll(async () => {
  emulator = await startTestEmulator();
  root = compileMiniprogram();
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const AVATAR = 'https://img.example.com/avatar.png';
/** A 1×1 PNG (the bytes chooseAvatar's temporary file holds). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function openProfile(openid: string): Promise<Page> {
  installWx(emulator, openid);
  const page = renderPage(root, 'profile');
  await until(page, (d) => d.loading === false);
  return page;
}

/** What the user does: pick an avatar, type a nickname, share the phone number (→ save). */
async function fillAndSave(page: Page, nickname: string, phoneNumber: string): Promise<void> {
  await fire(page, '#avatar', 'chooseavatar', { avatarUrl: AVATAR });
  await fire(page, '#nickname', 'input', { value: nickname });
  await fire(page, '#phone-button', 'getphonenumber', { code: await emulator.phoneCode(phoneNumber), errMsg: 'getPhoneNumber:ok' });
  await until(page, (d) => d.saving === false && (d.notice !== '' || d.error !== ''), 'the save');
}

const userDoc = async (openid: string) => ((await seedDatabase(emulator).collection('users').where({ openid }).get()) as { data: Array<Record<string, unknown>> }).data[0];

describe('pages/profile', () => {
  it('shows a new user an incomplete profile without a phone', async () => {
    installWx(emulator, 'o_mp_profile_new');
    const page = renderPage(root, 'profile');
    expect(text(page, '#loading')).toBe('加载中…');
    await until(page, (d) => d.loading === false);
    expect(text(page, '#error')).toBeUndefined();
    expect(text(page, '#info-complete')).toBe('未完善');
    expect(text(page, '#phone')).toBe('未绑定');
  });

  it('saves avatar, nickname and phone, then shows the masked phone and a complete profile', async () => {
    const page = await openProfile('o_mp_profile_a');
    await fillAndSave(page, ' 小明 ', '13812345678');
    await until(page, (d) => d.infoComplete === true, 'is_info_complete');
    expect(text(page, '#error')).toBeUndefined();
    expect(text(page, '#notice')).toBe('资料已保存');
    expect(text(page, '#phone')).toBe('138****5678');
    expect(text(page, '#info-complete')).toBe('已完善');
    expect(await userDoc('o_mp_profile_a')).toMatchObject({ nickname: '小明', avatar: AVATAR, phone: '13812345678' });

    // Opened again, the page shows what was saved.
    const again = await openProfile('o_mp_profile_a');
    expect(again.data).toMatchObject({ nickname: '小明', avatarUrl: AVATAR });
    expect(text(again, '#phone')).toBe('138****5678');
    expect(text(again, '#info-complete')).toBe('已完善');
  });

  it("shows the function's message when the phone number is taken by another user, and changes nothing", async () => {
    const owner = await openProfile('o_mp_profile_owner');
    await fillAndSave(owner, 'owner', '13900001111');
    expect(text(owner, '#phone')).toBe('139****1111');

    const page = await openProfile('o_mp_profile_b');
    await fillAndSave(page, 'other', '13900001111');
    expect(text(page, '#error')).toBe('this phone number is already bound to another user');
    expect(text(page, '#notice')).toBeUndefined();
    expect(text(page, '#phone')).toBe('未绑定');
    expect(text(page, '#info-complete')).toBe('未完善');
    expect((await userDoc('o_mp_profile_b'))?.phone ?? '').toBe('');
  });

  it('asks for an avatar and a nickname before saving, and tells when the phone was not shared', async () => {
    const page = await openProfile('o_mp_profile_c');
    await fire(page, '#phone-button', 'getphonenumber', { errMsg: 'getPhoneNumber:fail user deny' });
    expect(text(page, '#error')).toBe('未获取到手机号授权');
    await fire(page, '#phone-button', 'getphonenumber', { code: await emulator.phoneCode('13700000000'), errMsg: 'getPhoneNumber:ok' });
    expect(text(page, '#error')).toBe('请先选择头像并填写昵称');
  });

  it("uploads an avatar chosen as a local file into cloud storage (avatars/, as the user), shows it and saves its URL", async () => {
    const wx = installWx(emulator, 'o_mp_profile_upload');
    const page = renderPage(root, 'profile');
    await until(page, (d) => d.loading === false);
    const picked = addTempFile(wx, PNG, '.jpeg');
    await fire(page, '#avatar', 'chooseavatar', { avatarUrl: picked });
    await until(page, (d) => d.avatarUrl !== '' || d.error !== '', 'the upload');
    expect(page.data.error).toBe('');
    expect(wx.uploads).toEqual([{ cloudPath: expect.stringMatching(/^avatars\/\d+-[a-z0-9]+\.jpeg$/), filePath: picked }]);
    const cloudPath = wx.uploads[0]?.cloudPath as string;
    // The file is in the emulator's storage, recorded as the user's (CloudBase: a client upload's
    // resource.openid is the uploader's), and the URL shown serves its bytes.
    expect(emulator.context.storage.list().find((f) => f.path === cloudPath)).toMatchObject({ openid: 'o_mp_profile_upload', size: PNG.length });
    const url = page.data.avatarUrl as string;
    expect(url.startsWith(`${emulator.url}/storage/download/`)).toBe(true);
    expect(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(PNG)).toBe(true);
    // The page shows it: the <image class="avatar"> renders (wx:if="{{avatarUrl}}") with that URL as its src.
    expect(exists(page, '.avatar')).toBe(true);

    await fire(page, '#nickname', 'input', { value: 'uploader' });
    await fire(page, '#phone-button', 'getphonenumber', { code: await emulator.phoneCode('13600000000'), errMsg: 'getPhoneNumber:ok' });
    await until(page, (d) => d.infoComplete === true, 'the save');
    expect((await userDoc('o_mp_profile_upload'))?.avatar).toBe(url);
  });

  it("shows the upload failure when the file cannot be stored, and keeps the avatar unchanged", async () => {
    const wx = installWx(emulator, 'o_mp_profile_upload_fail');
    const page = renderPage(root, 'profile');
    await until(page, (d) => d.loading === false);
    // A path the device does not hold: wx.cloud.uploadFile fails as on a device.
    await fire(page, '#avatar', 'chooseavatar', { avatarUrl: 'http://tmp/missing.png' });
    await until(page, (d) => d.error !== '', 'the failure');
    expect(page.data.avatarUrl).toBe('');
    expect(emulator.context.storage.list().some((f) => f.openid === wx.openid)).toBe(false);
  });

  it("shows the function's message for an invalid nickname", async () => {
    const page = await openProfile('o_mp_profile_d');
    await fillAndSave(page, 'x'.repeat(33), '13700000001');
    expect(text(page, '#error')).toBe('users_name must be 1-32 characters');
  });
});
