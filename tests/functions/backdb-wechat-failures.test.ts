// backdb exports against a misbehaving WeChat: the access token fetched once for many
// collections, refreshed once when it expires (before or during a run), and one collection's
// HTTP 500 failing only that collection.
import { backdbApi, collectionNames, EXCLUDED_COLLECTIONS, type AllJobsResult } from '../support/backdb-api';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { waitFor } from '../support/wait-for';

let emulator: TestEmulator;
let api: ReturnType<typeof backdbApi>;

describe('exports when WeChat misbehaves', () => {
  const MANY = Array.from({ length: 12 }, (_, i) => `bk_many_${String(i).padStart(2, '0')}`);
  const exportable = async () => (await collectionNames(emulator)).filter((c) => !EXCLUDED_COLLECTIONS.includes(c));

  beforeAll(async () => {
    emulator = await startTestEmulator();
    api = backdbApi(emulator);
    for (const [i, name] of MANY.entries()) await api.seed(name, [{ _id: `d${i}`, n: i }]);
  });
  afterAll(() => emulator.close());

  it('fetches the access token once for a first createAllJob over more than ten collections', async () => {
    await api.resetStats();
    const result = await api.ok<AllJobsResult>('createAllJob');
    expect(result.failed).toEqual([]);
    expect(result.jobs.map((j) => j.collection).sort()).toEqual(await exportable());
    expect(result.jobs.length).toBeGreaterThan(10);
    expect(await api.wechatCalls('/cgi-bin/stable_token')).toBe(1);
    expect(await api.wechatCalls('/tcb/databasemigrateexport')).toBe(result.jobs.length);
  });

  it('refreshes an expired access token once and still starts every export', async () => {
    await api.expireAccessTokens();
    await api.resetStats();
    const result = await api.ok<AllJobsResult>('createAllJob');
    expect(result.failed).toEqual([]);
    expect(result.jobs.map((j) => j.collection).sort()).toEqual(await exportable());
    expect(await api.wechatCalls('/cgi-bin/stable_token')).toBeGreaterThanOrEqual(1);
    expect(await api.wechatCalls('/cgi-bin/stable_token')).toBeLessThanOrEqual(2);
  });

  it('refreshes the token once when it expires while several exports are in flight', async () => {
    await api.resetStats();
    // BACKUP_CONCURRENCY (5) exports are sent at once; WeChat holds all five until the token has expired.
    await api.fault({ path: '/tcb/databasemigrateexport', kind: 'hold', times: 5 });
    const running = api.ok<AllJobsResult>('createAllJob');
    await waitFor('five exports held at WeChat', async () => (await api.heldRequests()) === 5);
    await api.expireAccessTokens();
    expect((await api.releaseHeld()).body).toEqual({ released: 5 });
    const result = await running;
    expect(result.failed).toEqual([]);
    expect(result.jobs.map((j) => j.collection).sort()).toEqual(await exportable());
    // The five delayed exports were answered 42001 and sent again with the new token.
    expect(await api.wechatCalls('/tcb/databasemigrateexport')).toBe(result.jobs.length + 5);
    expect(await api.wechatCalls('/cgi-bin/stable_token')).toBeGreaterThanOrEqual(1);
    expect(await api.wechatCalls('/cgi-bin/stable_token')).toBeLessThanOrEqual(2);
  });

  it('reports a collection whose export answers HTTP 500 as failed and exports the others', async () => {
    const recordsBefore = (await api.jobRecords()).length;
    await api.fault({ path: '/tcb/databasemigrateexport', kind: 'http500', times: 1 });
    const result = await api.ok<AllJobsResult>('createAllJob');
    expect(result.failed).toEqual([{ collection: expect.any(String), error: expect.stringMatching(/HTTP 500/) }]);
    const failed = result.failed[0]?.collection as string;
    expect(result.jobs.map((j) => j.collection)).not.toContain(failed);
    expect([...result.jobs.map((j) => j.collection), failed].sort()).toEqual(await exportable());
    const records = await api.jobRecords();
    expect(records.length - recordsBefore).toBe(result.jobs.length);
    expect(records.filter((r) => result.jobs.some((j) => j.job_id === r.jobId))).toHaveLength(result.jobs.length);
  });
});
