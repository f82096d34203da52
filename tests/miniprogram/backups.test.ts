// pages/backups rendered with miniprogram-simulate against the emulator (see ./harness.ts).
import fs from 'node:fs';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { compileMiniprogram, exists, grantBackdb, installWx, renderPage, seedDatabase, tap, text, texts, until, type Page, type WxStandIn } from './harness';

let emulator: TestEmulator;
let root: string;
beforeAll(async () => {
  // Exports finish at once, so a job's URL can be copied right after the backup starts.
  emulator = await startTestEmulator({ exportJobDelayMs: 0 });
  root = compileMiniprogram();
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function openBackups(openid: string): Promise<{ page: Page; wx: WxStandIn }> {
  const wx = installWx(emulator, openid);
  const page = renderPage(root, 'backups');
  await until(page, (d) => d.loading === false);
  return { page, wx };
}

async function admin(openid: string): Promise<void> {
  await emulator.callFunction('common', { name: 'login' }, openid);
  await grantBackdb(emulator, openid);
}

const idle = (d: Record<string, unknown>) => d.busy === false;

describe('pages/backups', () => {
  it('shows "no access" to a user without the backdb feature and never calls backdb', async () => {
    await emulator.callFunction('common', { name: 'login' }, 'o_mp_backups_plain');
    const wx = installWx(emulator, 'o_mp_backups_plain');
    const page = renderPage(root, 'backups');
    expect(text(page, '#loading')).toBe('加载中…');
    await until(page, (d) => d.loading === false);
    expect(text(page, '#no-access')).toBe('你没有数据库备份权限');
    expect(exists(page, '#start')).toBe(false);
    expect(exists(page, '.job')).toBe(false);
    expect(wx.calls).toEqual([{ fn: 'common', name: 'auth' }]);
  });

  it('lists no jobs, starts a full backup, lists its jobs and copies a job URL', async () => {
    await admin('o_mp_backups_admin');
    const { page, wx } = await openBackups('o_mp_backups_admin');
    expect(text(page, '#no-access')).toBeUndefined();
    expect(text(page, '#empty')).toBe('暂无备份任务');

    await tap(page, '#start');
    await until(page, idle, 'the backup');
    expect(text(page, '#error')).toBeUndefined();
    expect(text(page, '#notice')).toMatch(/^已提交 \d+ 个备份任务$/);
    const collections = texts(page, '.job-collection');
    expect(collections).toEqual(expect.arrayContaining(['users', 'permissions']));
    expect(text(page, '#notice')).toBe(`已提交 ${collections.length} 个备份任务`);
    // listJobs shows WeChat's current status of each job (databasemigratequeryinfo's states:
    // waiting, reading, writing, migrating, success); none has failed.
    expect(texts(page, '.job-status').filter((s) => !['waiting', 'reading', 'writing', 'migrating', 'success'].includes(s))).toEqual([]);

    const usersIndex = collections.indexOf('users');
    const jobId = (page.data.jobs as Array<{ job_id: number }>)[usersIndex]?.job_id;
    await tap(page, '.copy', usersIndex);
    await until(page, idle, 'the copy');
    expect(text(page, '#error')).toBeUndefined();
    expect(text(page, '#notice')).toBe(`已复制任务 ${jobId} 的下载地址`);
    expect(wx.clipboard).toHaveLength(1);
    expect(wx.clipboard[0]).toMatch(/\/storage\/download\/[^/]+\/backup\/.*\/users[^/]*\.json\?sign=\w+&t=\d+$/);
    // The list is reloaded: the job is now known to be finished.
    expect(texts(page, '.job-status')[texts(page, '.job-collection').indexOf('users')]).toBe('success');
    // The copied URL downloads the export.
    const download = await fetch(wx.clipboard[0] as string);
    expect(download.status).toBe(200);
    expect(await download.text()).toContain('o_mp_backups_admin');
    expect(wx.calls.map((c) => `${c.fn}.${String(c.name)}`)).toEqual(['common.auth', 'backdb.listJobs', 'backdb.createAllJob', 'backdb.listJobs', 'backdb.getJobUrl', 'backdb.listJobs']);
  });

  it("shows the function's message when copying is refused (the feature was withdrawn meanwhile)", async () => {
    await admin('o_mp_backups_revoked');
    // A job to copy, started server-side (no openid).
    expect((await emulator.callFunction('backdb', { name: 'createJob', data: { collection: 'users' } })).status).toBe(200);
    const { page } = await openBackups('o_mp_backups_revoked');
    expect(exists(page, '.job')).toBe(true);
    await seedDatabase(emulator).collection('users').where({ openid: 'o_mp_backups_revoked' }).update({ data: { roles: [] } });
    await tap(page, '.copy', 0);
    await until(page, idle, 'the copy');
    expect(text(page, '#error')).toBe('the backdb feature has not been granted to you');
  });
});
