// Aggregation through the real wx-server-sdk against the emulator:
// db.collection(c).aggregate().match(...).group(...)...end() with db.command.aggregate operators.
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

type Doc = Record<string, any>;
type Db = ReturnType<typeof import('wx-server-sdk').database>;

let emulator: TestEmulator;
let db: Db;
const C = 'agg_sales';

const SALES: Doc[] = [
  { _id: 's1', item: 'a', qty: 2, price: 10, region: 'n', at: new Date('2024-01-01T00:00:00Z') },
  { _id: 's2', item: 'b', qty: 1, price: 20, region: 'n', at: new Date('2024-01-02T00:00:00Z') },
  { _id: 's3', item: 'a', qty: 5, price: 10, region: 's', at: new Date('2024-01-03T00:00:00Z') },
  { _id: 's4', item: 'c', qty: 3, price: 5, region: 's', at: new Date('2024-01-04T00:00:00Z') },
  { _id: 's5', item: 'b', qty: 4, price: 20, region: 's', at: new Date('2024-01-05T00:00:00Z') },
];

const agg = () => db.collection(C).aggregate();
const list = async (pipeline: { end(): unknown }): Promise<Doc[]> => ((await pipeline.end()) as { list: Doc[] }).list;

beforeAll(async () => {
  emulator = await startTestEmulator();
  db = sdkFor(emulator).database();
  await db.createCollection(C);
  await db.collection(C).add({ data: SALES });
});
afterAll(() => emulator.close());

describe('$group accumulators', () => {
  it('returns per-group $.sum, $.avg, $.max, $.min and $.push', async () => {
    const $ = db.command.aggregate;
    const groups = await list(
      agg()
        .group({ _id: '$item', total: $.sum('$qty'), avg: $.avg('$qty'), max: $.max('$qty'), min: $.min('$qty'), regions: $.push('$region'), n: $.sum(1) })
        .sort({ _id: 1 }),
    );
    expect(groups).toEqual([
      { _id: 'a', total: 7, avg: 3.5, max: 5, min: 2, regions: ['n', 's'], n: 2 },
      { _id: 'b', total: 5, avg: 2.5, max: 4, min: 1, regions: ['n', 's'], n: 2 },
      { _id: 'c', total: 3, avg: 3, max: 3, min: 3, regions: ['s'], n: 1 },
    ]);
  });

  it('returns one group over the matched documents with _id null and computed expressions', async () => {
    const $ = db.command.aggregate;
    const [south] = await list(agg().match({ region: 's' }).group({ _id: null, revenue: $.sum($.multiply(['$qty', '$price'])), last: $.max('$at') }));
    expect(south.revenue).toBe(5 * 10 + 3 * 5 + 4 * 20);
    expect(south.last).toBeInstanceOf(Date);
    expect(south.last.getTime()).toBe(SALES[4]!.at.getTime());
  });
});

describe('$match', () => {
  it('filters with db.command operators, nested logic and dates before grouping', async () => {
    const _ = db.command;
    const $ = db.command.aggregate;
    const matched = await list(agg().match({ qty: _.gte(2), item: _.in(['a', 'b']) }).sort({ qty: 1 }));
    expect(matched.map((d) => d._id)).toEqual(['s1', 's5', 's3']);
    const either = await list(agg().match(_.or([{ price: _.lt(10) }, { qty: 1 }])).sort({ _id: 1 }));
    expect(either.map((d) => d._id)).toEqual(['s2', 's4']);
    const [recent] = await list(agg().match({ at: _.gt(new Date('2024-01-03T00:00:00Z')) }).group({ _id: null, n: $.sum(1) }));
    expect(recent).toEqual({ _id: null, n: 2 });
  });
});

describe('$sort, $skip, $limit, $project and $count', () => {
  it('returns the requested page in order with only the projected fields', async () => {
    const page = await list(agg().sort({ qty: -1 }).skip(1).limit(2).project({ _id: 0, item: 1, qty: 1 }));
    expect(page).toEqual([{ item: 'b', qty: 4 }, { item: 'c', qty: 3 }]);
  });

  it('returns computed fields from $project', async () => {
    const $ = db.command.aggregate;
    const rows = await list(agg().match({ _id: 's3' }).project({ _id: 0, revenue: $.multiply(['$qty', '$price']), label: $.concat(['$item', '-', '$region']) }));
    expect(rows).toEqual([{ revenue: 50, label: 'a-s' }]);
  });

  it('returns the number of documents reaching $count', async () => {
    const _ = db.command;
    expect(await list(agg().match({ price: _.gte(10) }).count('n'))).toEqual([{ n: 4 }]);
  });

  it('returns an empty list when nothing matches', async () => {
    expect(await list(agg().match({ item: 'zzz' }).count('n'))).toEqual([]);
  });

  it('returns grouped counts from $sortByCount', async () => {
    expect(await list(agg().sortByCount('$region'))).toEqual([{ _id: 's', count: 3 }, { _id: 'n', count: 2 }]);
  });
});

describe('$lookup', () => {
  it('joins documents of another collection by local and foreign field', async () => {
    await db.createCollection('agg_items');
    await db.collection('agg_items').add({ data: [{ _id: 'a', label: 'Apple' }, { _id: 'b', label: 'Banana' }] });
    const joined = await list(agg().match({ region: 'n' }).lookup({ from: 'agg_items', localField: 'item', foreignField: '_id', as: 'info' }).project({ _id: 1, info: 1 }).sort({ _id: 1 }));
    expect(joined).toEqual([
      { _id: 's1', info: [{ _id: 'a', label: 'Apple' }] },
      { _id: 's2', info: [{ _id: 'b', label: 'Banana' }] },
    ]);
  });
});

describe('aggregate errors', () => {
  it('rejects aggregation on a missing collection with a not-exist message', async () => {
    // wx-server-sdk's aggregate wrapper does not map the code to -502005 as get/add do; the message carries it.
    await expect(db.collection('agg_missing').aggregate().match({}).end()).rejects.toMatchObject({ errMsg: expect.stringMatching(/not exist: agg_missing/) });
  });

  it('rejects a stage the emulator cannot run with a clear message instead of a wrong answer', async () => {
    // wx-server-sdk's collStats() has no @cloudbase/database counterpart; send it as a raw pipeline.
    const raw = (db.collection(C) as unknown as { _collection: { options(o: object): { aggregate(p: object[]): { end(): Promise<unknown> } } } })._collection;
    await expect(raw.options({ raw: true }).aggregate([{ $collStats: { count: {} } }]).end()).rejects.toMatchObject({ code: 'DATABASE_INVALID_OPERRATOR', message: expect.stringMatching(/\$collStats is not supported/) });
  });
});
