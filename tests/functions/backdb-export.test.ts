// backdb exports: the weekly timer (createAllJob) over every collection, the job records and the
// files it produces, and createJob for one collection.
import { backdbApi, collectionNames, EXCLUDED_COLLECTIONS, type AllJobsResult, type ListedJob, type StartedJob } from '../support/backdb-api';
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

const BOOKS = [
  { _id: 'book-1', title: '三体', pages: 302, tags: ['sf', 'cn'], inStock: true },
  { _id: 'book-2', title: 'Dune', pages: 412, tags: [], inStock: false, meta: { isbn: '978-0441013593', rating: 4.5 } },
  { _id: 'book-3', title: 'Solaris', pages: 204, tags: ['sf'], inStock: true, notes: null },
];
const ORDERS = [
  { _id: 'order-1', book: 'book-1', qty: 2, placedAt: new Date('2024-03-04T04:00:00.000Z') },
  { _id: 'order-2', book: 'book-3', qty: 1, placedAt: new Date('2024-03-05T12:30:15.250Z'), shipped: { at: new Date('2024-03-06T00:00:00.000Z'), by: 'SF' } },
];

let emulator: TestEmulator;
let api: ReturnType<typeof backdbApi>;
beforeAll(async () => {
  emulator = await startTestEmulator();
  api = backdbApi(emulator);
});
afterAll(() => emulator.close());

describe('the weekly backup timer (createAllJob)', () => {
  let run: { ok: boolean; result?: AllJobsResult; error?: string };
  let collectionsAtRun: string[];
  const jobFor = (collection: string) => run.result?.jobs.find((j) => j.collection === collection) as StartedJob;

  beforeAll(async () => {
    await api.seed('bk_books', BOOKS);
    await api.seed('bk_orders', ORDERS);
    await api.seed('bk_empty', []);
    collectionsAtRun = await collectionNames(emulator);
    const fired = await api.fireWeeklyBackup();
    expect(fired.status).toBe(200);
    run = fired.body;
  });

  it('answers the fire endpoint with one started job per collection, skipping wechat_tokens and rate_limits', () => {
    expect(run).toMatchObject({ ok: true, result: { failed: [] } });
    const exported = (run.result?.jobs ?? []).map((j) => j.collection).sort();
    expect(exported).toEqual(collectionsAtRun.filter((c) => !EXCLUDED_COLLECTIONS.includes(c)));
    expect(exported).toEqual(expect.arrayContaining(['bk_books', 'bk_orders', 'bk_empty', 'users']));
    expect(new Set(run.result?.jobs.map((j) => j.job_id)).size).toBe(exported.length);
  });

  it('saves one backdb record per job with its collection, job id, file path, creation time and status', async () => {
    const records = await api.jobRecords();
    for (const job of run.result?.jobs ?? []) {
      const mine = records.filter((r) => r.jobId === job.job_id);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ kind: 'export', collection: job.collection, filePath: job.file_path, status: expect.any(String), createdAt: expect.any(Date) });
    }
    expect(records.filter((r) => r.kind === 'export')).toHaveLength(run.result?.jobs.length ?? -1);
  });

  it('lists the started jobs through listJobs', async () => {
    const listed = await api.ok<ListedJob[]>('listJobs', { limit: 100 });
    const started = (run.result?.jobs ?? []).map((j) => ({ job_id: j.job_id, collection: j.collection, file_path: j.file_path, kind: 'export' }));
    expect(listed).toEqual(expect.arrayContaining(started.map((s) => expect.objectContaining(s))));
  });

  it('produces download files that hold exactly the documents of each collection, dates included', async () => {
    for (const name of ['bk_books', 'bk_orders', 'bk_empty', 'users']) {
      const file = await api.download(await api.waitForUrl(jobFor(name).job_id));
      expect(file).toEqual(await api.contents(name));
    }
    const orders = await api.download(await api.waitForUrl(jobFor('bk_orders').job_id));
    expect(orders).toEqual(ORDERS);
    expect(orders[1]?.shipped).toEqual({ at: new Date('2024-03-06T00:00:00.000Z'), by: 'SF' });
  });

  it('never exports the cached WeChat access token', async () => {
    expect(await api.contents('wechat_tokens')).not.toHaveLength(0);
    const { jobs } = await api.wechatState();
    expect(jobs.map((j) => j.collection)).not.toContain('wechat_tokens');
    expect((await api.jobRecords()).map((r) => r.collection)).not.toContain('wechat_tokens');
  });

  it('prunes job records older than the retention (8 weeks) on the next run and keeps recent ones', async () => {
    const weeksAgo = (w: number) => new Date(Date.now() - w * 7 * 24 * 3600 * 1000);
    const old = { kind: 'export', collection: 'bk_books', filePath: 'backup/old.json', status: 'success' };
    await api.db().collection('backdb').add({ data: { ...old, _id: 'rec-9w', jobId: 1, createdAt: weeksAgo(9), updatedAt: weeksAgo(9) } });
    await api.db().collection('backdb').add({ data: { ...old, _id: 'rec-7w', jobId: 2, createdAt: weeksAgo(7), updatedAt: weeksAgo(7) } });
    const fired = await api.fireWeeklyBackup();
    expect(fired.body).toMatchObject({ ok: true, result: { failed: [], pruned: 1 } });
    const ids = (await api.jobRecords()).map((r) => r._id);
    expect(ids).not.toContain('rec-9w');
    expect(ids).toContain('rec-7w');
    for (const job of run.result?.jobs ?? []) expect((await api.jobRecords()).some((r) => r.jobId === job.job_id)).toBe(true);
  });

  it("deletes the export files of the jobs it prunes and reports how many; younger jobs' files stay", async () => {
    const books = jobFor('bk_books');
    const orders = jobFor('bk_orders');
    const booksUrl = await api.waitForUrl(books.job_id);
    await api.waitForUrl(orders.job_id);
    // The export is a cloud file (WeChat databaseMigrateExport: file_path is "the path of the export
    // file in the same environment's cloud storage"), so the server SDK sees it by file ID.
    const fileId = (p: string) => emulator.context.storage.fileId(p);
    const status = async (p: string) => ((await sdkFor(emulator).getTempFileURL({ fileList: [fileId(p)] })) as unknown as { fileList: Array<{ status: number }> }).fileList[0]?.status;
    expect(await status(books.file_path)).toBe(0);
    // Age the books job past the retention (8 weeks); the orders job stays young.
    const tenWeeksAgo = new Date(Date.now() - 10 * 7 * 24 * 3600 * 1000);
    await api.db().collection('backdb').where({ jobId: books.job_id }).update({ data: { createdAt: tenWeeksAgo } });
    const fired = await api.fireWeeklyBackup();
    expect(fired.body).toMatchObject({ ok: true, result: { pruned: 1, filesDeleted: 1 } });
    // wx-server-sdk: STORAGE_FILE_NONEXIST → status -503003; COS: a deleted object's URL → 404.
    expect(await status(books.file_path)).toBe(-503003);
    expect((await fetch(booksUrl)).status).toBe(404);
    expect(await status(orders.file_path)).toBe(0);
  });
});

describe('createJob', () => {
  it('exports one named collection and saves its job record', async () => {
    await api.seed('bk_shelves', BOOKS);
    const job = await api.ok<StartedJob>('createJob', { collection: 'bk_shelves' });
    expect(job).toEqual({ collection: 'bk_shelves', job_id: expect.any(Number), file_path: expect.stringMatching(/bk_shelves/) });
    expect((await api.jobRecords()).filter((r) => r.jobId === job.job_id)).toEqual([expect.objectContaining({ collection: 'bk_shelves', filePath: job.file_path })]);
    expect(await api.download(await api.waitForUrl(job.job_id))).toEqual(BOOKS);
  });

  it('refuses a collection that does not exist with NOT_FOUND and writes nothing', async () => {
    const writes = await api.writes();
    const exports = await api.wechatCalls('/tcb/databasemigrateexport');
    expect(await api.rejected('createJob', { collection: 'bk_missing' })).toMatch(/NOT_FOUND: .*bk_missing/);
    expect(await api.writes()).toBe(writes);
    expect(await api.wechatCalls('/tcb/databasemigrateexport')).toBe(exports);
    expect((await api.jobRecords()).map((r) => r.collection)).not.toContain('bk_missing');
  });

  it('refuses a malformed collection name with INVALID_PARAMS', async () => {
    expect(await api.rejected('createJob', { collection: 'a b/../c' })).toMatch(/INVALID_PARAMS: collection/);
    expect(await api.rejected('createJob', {})).toMatch(/INVALID_PARAMS: collection/);
  });
});
