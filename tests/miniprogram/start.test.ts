// pages/start rendered with miniprogram-simulate against the emulator (see ./harness.ts).
import fs from 'node:fs';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { compileMiniprogram, exists, grantBackdb, installWx, seedDatabase, renderPage, tap, text, texts, until } from './harness';

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

const settled = (d: Record<string, unknown>) => d.loading === false;

describe('pages/start', () => {
  it('signs a new user in: shows the openid, no nickname, no features, an incomplete profile', async () => {
    const wx = installWx(emulator, 'o_mp_start_new');
    const page = renderPage(root, 'start');
    expect(text(page, '#loading')).toBe('正在登录…');
    await until(page, settled);
    expect(text(page, '#error')).toBeUndefined();
    expect(text(page, '#openid')).toBe('o_mp_start_new');
    expect(text(page, '#nickname')).toBe('未设置');
    expect(text(page, '#info-complete')).toBe('未完善');
    expect(text(page, '#no-features')).toBe('暂无授权功能');
    expect(exists(page, '#go-backups')).toBe(false);
    expect(wx.calls).toEqual([{ fn: 'common', name: 'login' }, { fn: 'wechat', name: 'login' }]);
  });

  it('shows the nickname and the granted features, and offers backups to a backdb user', async () => {
    const openid = 'o_mp_start_admin';
    await emulator.callFunction('common', { name: 'login' }, openid);
    await emulator.callFunction('common', { name: 'setUserInfo', data: { nickname: '管理员', avatarUrl: 'https://img.example.com/a.png' } }, openid);
    await grantBackdb(emulator, openid);
    await seedDatabase(emulator).collection('permissions').add({ data: { _id: 'search', public: true } });

    const wx = installWx(emulator, openid);
    const page = renderPage(root, 'start');
    await until(page, settled);
    expect(text(page, '#nickname')).toBe('管理员');
    expect(texts(page, '.feature')).toEqual(['backdb', 'search']);
    expect(exists(page, '#no-features')).toBe(false);
    await tap(page, '#go-backups');
    expect(wx.navigations).toEqual(['/pages/backups/index']);
  });

  it('shows the function message when sign-in fails, and signs in on retry', async () => {
    const wx = installWx(emulator, 'o_mp_start_retry');
    // A login code minted for someone else: wechat.login refuses it (code 401).
    const login = (globalThis as unknown as { wx: { login: () => Promise<{ code: string }> } }).wx.login;
    (globalThis as unknown as { wx: Record<string, unknown> }).wx.login = async () => ({ code: await emulator.loginCode('o_mp_someone_else'), errMsg: 'login:ok' });
    const page = renderPage(root, 'start');
    await until(page, settled);
    expect(text(page, '#error')).toBe('users_wx_code does not belong to the signed-in user');
    expect(exists(page, '#me')).toBe(false);

    (globalThis as unknown as { wx: Record<string, unknown> }).wx.login = login;
    await tap(page, '#retry');
    await until(page, (d) => d.loading === false && d.openid === 'o_mp_start_retry');
    expect(text(page, '#error')).toBeUndefined();
    expect(text(page, '#openid')).toBe('o_mp_start_retry');
    expect(wx.calls.filter((c) => c.name === 'login')).toHaveLength(4);
  });
});
