// Every stage and expression operator CloudBase's db.command.aggregate lists, through the real
// wx-server-sdk, with the value the MongoDB manual gives (each case names its manual page). Stages
// the SDK has no method for are sent as a raw pipeline by @cloudbase/node-sdk's
// collection.options({ raw: true }).aggregate([...]), the client wx-server-sdk wraps.
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

type Doc = Record<string, any>;
type Db = ReturnType<typeof import('wx-server-sdk').database>;

let emulator: TestEmulator;
let db: Db;
const C = 'aggf_one';
const D = new Date('2019-05-14T08:30:45.123Z'); // a Tuesday, day 134 of 2019

beforeAll(async () => {
  emulator = await startTestEmulator();
  db = sdkFor(emulator).database();
  await db.createCollection(C);
  await db.collection(C).add({ data: { _id: 'x', n: -2.5, a: [1, 2, 3], s: 'cafétéria', d: D, obj: { k: 'v' }, z: null, quarter: '13Q1' } });
});
afterAll(() => emulator.close());

/** The value of one expression evaluated on the fixture document. */
async function evaluate(expr: unknown): Promise<unknown> {
  const { list } = (await db.collection(C).aggregate().project({ _id: 0, r: expr }).end()) as { list: Doc[] };
  return list[0]!.r;
}
const $ = () => db.command.aggregate;
const raw = (collection: string, pipeline: object[]) =>
  (db.collection(collection) as unknown as { _collection: { options(o: object): { aggregate(p: object[]): { end(): Promise<{ data: Doc[] }> } } } })._collection.options({ raw: true }).aggregate(pipeline).end().then((r) => r.data);

describe('arithmetic expressions (MongoDB manual, Arithmetic Expression Operators)', () => {
  it.each([
    ['$abs', () => $().abs('$n'), 2.5],
    ['$add', () => $().add([1, 2, 3]), 6],
    ['$ceil', () => $().ceil(2.1), 3],
    ['$divide', () => $().divide([9, 2]), 4.5],
    ['$exp', () => $().exp(0), 1],
    ['$floor', () => $().floor(2.9), 2],
    ['$ln', () => $().ln(1), 0],
    ['$log', () => $().log([100, 10]), 2],
    ['$mod', () => $().mod([7, 3]), 1],
    ['$multiply', () => $().multiply([2, 3, 4]), 24],
    ['$pow', () => $().pow([2, 10]), 1024],
    ['$sqrt', () => $().sqrt(25), 5],
    ['$subtract', () => $().subtract([5, 3]), 2],
    ['$trunc (one number, as $.trunc(x) sends it)', () => $().trunc(-7.8), -7],
  ])('%s', async (_name, expr, expected) => {
    expect(await evaluate(expr())).toBe(expected);
  });

  it('$add a number of milliseconds to a date, and $subtract two dates gives milliseconds', async () => {
    expect(await evaluate($().add(['$d', 1000]))).toEqual(new Date(D.getTime() + 1000));
    expect(await evaluate($().subtract(['$d', new Date('2019-05-14T08:30:44.123Z')]))).toBe(1000);
  });
});

describe('array expressions (MongoDB manual, Array Expression Operators)', () => {
  it.each([
    ['$arrayElemAt (negative index counts from the end)', () => $().arrayElemAt(['$a', -1]), 3],
    ['$arrayToObject', () => $().arrayToObject($().literal([['k', 'v']])), { k: 'v' }],
    ['$concatArrays', () => $().concatArrays([[1], [2, 3]]), [1, 2, 3]],
    ['$filter', () => $().filter({ input: '$a', as: 'x', cond: $().gt(['$$x', 1]) }), [2, 3]],
    ['$in', () => $().in([2, '$a']), true],
    ['$indexOfArray', () => $().indexOfArray(['$a', 3]), 2],
    ['$isArray', () => $().isArray('$a'), true],
    ['$map', () => $().map({ input: '$a', as: 'x', in: $().multiply(['$$x', 10]) }), [10, 20, 30]],
    ['$range', () => $().range([0, 10, 3]), [0, 3, 6, 9]],
    ['$reduce', () => $().reduce({ input: '$a', initialValue: 0, in: $().add(['$$value', '$$this']) }), 6],
    ['$reverseArray', () => $().reverseArray('$a'), [3, 2, 1]],
    ['$size', () => $().size('$a'), 3],
    ['$slice', () => $().slice(['$a', 1, 1]), [2]],
    ['$zip', () => $().zip({ inputs: [[1, 2], ['a', 'b']] }), [[1, 'a'], [2, 'b']]],
  ])('%s', async (_name, expr, expected) => {
    expect(await evaluate(expr())).toEqual(expected);
  });
});

describe('boolean, comparison and conditional expressions (MongoDB manual)', () => {
  it.each([
    ['$and', () => $().and([true, 1]), true],
    ['$or', () => $().or([false, 0]), false],
    ['$not', () => $().not([false]), true],
    ['$cmp', () => $().cmp([1, 2]), -1],
    ['$eq', () => $().eq([1, 1]), true],
    ['$gt', () => $().gt([2, 1]), true],
    ['$gte', () => $().gte([1, 1]), true],
    ['$lt', () => $().lt([1, 2]), true],
    ['$lte', () => $().lte([2, 1]), false],
    ['$ne (CloudBase $.neq)', () => $().neq([1, 2]), true],
    ['$cond', () => $().cond({ if: $().gte(['$n', 0]), then: 'pos', else: 'neg' }), 'neg'],
    ['$ifNull', () => $().ifNull(['$z', 'default']), 'default'],
    ['$switch', () => $().switch({ branches: [{ case: $().lt(['$n', 0]), then: 'neg' }], default: 'other' }), 'neg'],
  ])('%s', async (_name, expr, expected) => {
    expect(await evaluate(expr())).toEqual(expected);
  });
});

describe('date expressions (MongoDB manual, Date Expression Operators)', () => {
  it.each([
    ['$dayOfMonth', () => $().dayOfMonth('$d'), 14],
    ['$dayOfWeek (1 = Sunday)', () => $().dayOfWeek('$d'), 3],
    ['$dayOfYear', () => $().dayOfYear('$d'), 134],
    ['$hour', () => $().hour('$d'), 8],
    ['$hour in a timezone', () => $().hour({ date: '$d', timezone: 'Asia/Shanghai' }), 16],
    ['$isoDayOfWeek (1 = Monday)', () => $().isoDayOfWeek('$d'), 2],
    ['$isoWeek', () => $().isoWeek('$d'), 20],
    ['$isoWeekYear', () => $().isoWeekYear('$d'), 2019],
    ['$millisecond', () => $().millisecond('$d'), 123],
    ['$minute', () => $().minute('$d'), 30],
    ['$month', () => $().month('$d'), 5],
    ['$second', () => $().second('$d'), 45],
    ['$week (strftime %U: 2019-05-14 is week 19)', () => $().week('$d'), 19],
    ['$year', () => $().year('$d'), 2019],
  ])('%s', async (_name, expr, expected) => {
    expect(await evaluate(expr())).toBe(expected);
  });

  // $week is strftime %U: Sunday starts a week; days before the first Sunday are week 0.
  // $isoWeek/$isoWeekYear are ISO 8601: week 1 holds the year's first Thursday.
  it.each([
    ['2019-01-05', 0, 1, 2019], // Saturday before 2019's first Sunday (the issue's example)
    ['2014-01-01', 0, 1, 2014], // MongoDB manual, $week example: week 0
    ['2016-01-03', 1, 53, 2015], // a Sunday: %U week 1, but ISO week 53 of 2015
    ['2018-12-31', 52, 1, 2019], // a Monday in ISO week 1 of 2019
    ['2021-01-01', 0, 53, 2020], // a Friday in ISO week 53 of 2020
  ])('%s: $week %d, $isoWeek %d, $isoWeekYear %d', async (day, week, isoWeek, isoWeekYear) => {
    const date = new Date(`${day}T12:00:00Z`);
    expect(await evaluate($().week(date))).toBe(week);
    expect(await evaluate($().isoWeek(date))).toBe(isoWeek);
    expect(await evaluate($().isoWeekYear(date))).toBe(isoWeekYear);
  });

  it('$week honours a timezone: 2019-01-05T20:00Z is Sunday 2019-01-06 in Shanghai, week 1', async () => {
    expect(await evaluate($().week({ date: new Date('2019-01-05T20:00:00Z'), timezone: 'Asia/Shanghai' }))).toBe(1);
  });

  it('$dateToString formats %U, %V, %G and %u as strftime/ISO 8601 do', async () => {
    expect(await evaluate($().dateToString({ date: '$d', format: '%Y-%m-%d %H:%M:%S.%L %j %U %V %G %u' }))).toBe('2019-05-14 08:30:45.123 134 19 20 2019 2');
    expect(await evaluate($().dateToString({ date: new Date('2018-12-31T12:00:00Z'), format: '%G-W%V %U' }))).toBe('2019-W01 52');
    expect(await evaluate($().dateToString({ date: '$d', format: '%H:%M', timezone: 'Asia/Shanghai' }))).toBe('16:30');
  });

  it('$dateFromParts, in calendar and ISO week form (MongoDB manual example: both 2017-02-08T12:00:00Z)', async () => {
    expect(await evaluate($().dateFromParts({ year: 2017, month: 2, day: 8, hour: 12 }))).toEqual(new Date('2017-02-08T12:00:00Z'));
    expect(await evaluate($().dateFromParts({ isoWeekYear: 2017, isoWeek: 6, isoDayOfWeek: 3, hour: 12 }))).toEqual(new Date('2017-02-08T12:00:00Z'));
    expect(await evaluate($().dateFromParts({ year: 2017, month: 2, day: 8, hour: 12, timezone: 'America/New_York' }))).toEqual(new Date('2017-02-08T17:00:00Z'));
  });

  it('$dateFromString, with a timezone or an offset in the string (MongoDB manual example)', async () => {
    expect(await evaluate($().dateFromString({ dateString: '2017-02-08T12:10:40.787' }))).toEqual(new Date('2017-02-08T12:10:40.787Z'));
    expect(await evaluate($().dateFromString({ dateString: '2017-02-08T12:10:40.787', timezone: 'America/New_York' }))).toEqual(new Date('2017-02-08T17:10:40.787Z'));
    expect(await evaluate($().dateFromString({ dateString: '2019-05-14T10:00:00+08:00' }))).toEqual(new Date('2019-05-14T02:00:00Z'));
  });
});

describe('literal, object and set expressions (MongoDB manual)', () => {
  it.each([
    ['$literal keeps a "$" string as it is', () => $().literal('$n'), '$n'],
    ['$mergeObjects (later fields win)', () => $().mergeObjects([{ a: 1 }, { a: 2, b: 3 }]), { a: 2, b: 3 }],
    ['$objectToArray', () => $().objectToArray('$obj'), [{ k: 'k', v: 'v' }]],
    ['$allElementsTrue', () => $().allElementsTrue([[true, 1]]), true],
    ['$anyElementTrue', () => $().anyElementTrue([[0, false]]), false],
    ['$setDifference', () => $().setDifference([[1, 2, 3], [2]]), [1, 3]],
    ['$setEquals', () => $().setEquals([[1, 2], [2, 1]]), true],
    ['$setIntersection', () => $().setIntersection([[1, 2], [2, 3]]), [2]],
    ['$setIsSubset', () => $().setIsSubset([[1], [1, 2]]), true],
    ['$let', () => $().let({ vars: { x: 2 }, in: $().multiply(['$$x', 3]) }), 6],
  ])('%s', async (_name, expr, expected) => {
    expect(await evaluate(expr())).toEqual(expected);
  });

  it('$setUnion holds each element once (order is unspecified in MongoDB)', async () => {
    expect(((await evaluate($().setUnion([[1, 2], [2, 3]]))) as number[]).sort()).toEqual([1, 2, 3]);
  });
});

describe('string expressions (MongoDB manual, String Expression Operators)', () => {
  it.each([
    ['$concat', () => $().concat(['a', '-', 'b']), 'a-b'],
    ['$indexOfBytes ("é" is two bytes)', () => $().indexOfBytes(['$s', 't']), 5],
    ['$split', () => $().split(['a-b', '-']), ['a', 'b']],
    ['$strLenBytes', () => $().strLenBytes('$s'), 11],
    ['$strLenCP', () => $().strLenCP('$s'), 9],
    ['$strcasecmp', () => $().strcasecmp(['A', 'a']), 0],
    ['$substr with negative length = to the end (manual: "13Q1" → "Q1")', () => $().substr(['$quarter', 2, -1]), 'Q1'],
    ['$substrBytes with negative length = to the end', () => $().substrBytes(['$quarter', 0, -1]), '13Q1'],
    ['$substrCP', () => $().substrCP(['$s', 3, 2]), 'ét'],
    ['$toLower', () => $().toLower('ABC'), 'abc'],
    ['$toUpper', () => $().toUpper('abc'), 'ABC'],
  ])('%s', async (_name, expr, expected) => {
    expect(await evaluate(expr())).toEqual(expected);
  });

  // The MongoDB manual's $indexOfCP example table.
  it.each([
    [['cafeteria', 'e'], 3],
    [['cafétéria', 'é'], 3],
    [['cafétéria', 'e'], -1],
    [['cafétéria', 't', 1], 4],
    [['foo.bar.fi', '.', 5], 7],
    [['vanilla', 'll', 0, 2], -1],
    [['vanilla', 'll', 12], -1],
    [['vanilla', 'll', 5, 2], -1],
    [['vanilla', 'nilla', 3], -1],
    [[null, 'foo'], null],
  ])('$indexOfCP %j → %j', async (args, expected) => {
    expect(await evaluate($().indexOfCP(args))).toBe(expected);
  });

  it('$indexOfCP refuses a negative start, as MongoDB does', async () => {
    await expect(evaluate($().indexOfCP(['vanilla', 'll', -1]))).rejects.toMatchObject({ errMsg: expect.stringMatching(/nonnegative starting index/) });
  });
});

describe('accumulators (MongoDB manual, $group)', () => {
  it('$sum, $avg, $min, $max, $first, $last, $push, $addToSet, $stdDevPop, $stdDevSamp', async () => {
    await db.createCollection('aggf_acc');
    await db.collection('aggf_acc').add({ data: [{ _id: 1, v: 1 }, { _id: 2, v: 2 }, { _id: 3, v: 4 }, { _id: 4, v: 4 }] });
    const a = $();
    const [g] = ((await db.collection('aggf_acc').aggregate().sort({ _id: 1 }).group({ _id: null, sum: a.sum('$v'), avg: a.avg('$v'), min: a.min('$v'), max: a.max('$v'), first: a.first('$v'), last: a.last('$v'), push: a.push('$v'), set: a.addToSet('$v'), pop: a.stdDevPop('$v'), samp: a.stdDevSamp('$v') }).end()) as { list: Doc[] }).list;
    const values = [1, 2, 4, 4];
    const mean = 11 / 4;
    const squares = values.reduce((s, v) => s + (v - mean) ** 2, 0);
    expect(g).toMatchObject({ sum: 11, avg: mean, min: 1, max: 4, first: 1, last: 4, push: values });
    expect([...g!.set].sort()).toEqual([1, 2, 4]);
    expect(g!.pop).toBeCloseTo(Math.sqrt(squares / 4), 12);
    expect(g!.samp).toBeCloseTo(Math.sqrt(squares / 3), 12);
  });
});

describe('stages with an SDK method', () => {
  const S = 'aggf_stages';
  beforeAll(async () => {
    await db.createCollection(S);
    await db.collection(S).add({
      data: [
        { _id: 1, item: 'a', qty: 1, tags: ['x', 'y'], owner: 'u1' },
        { _id: 2, item: 'b', qty: 2, tags: [], owner: 'u2' },
        { _id: 3, item: 'a', qty: 3, tags: ['x'], owner: 'u1' },
        { _id: 4, item: 'c', qty: 4, owner: 'u3' },
      ],
    });
    await db.createCollection('aggf_users');
    await db.collection('aggf_users').add({ data: [{ _id: 'u1', name: 'Ann' }, { _id: 'u2', name: 'Bo' }] });
  });
  const run = async (pipeline: { end(): unknown }) => ((await pipeline.end()) as { list: Doc[] }).list;
  const agg = () => db.collection(S).aggregate();

  it('$addFields, $replaceRoot, $skip, $limit', async () => {
    expect(await run(agg().sort({ _id: 1 }).skip(1).limit(2).addFields({ double: $().multiply(['$qty', 2]) }).replaceRoot({ newRoot: { id: '$_id', double: '$double' } }))).toEqual([{ id: 2, double: 4 }, { id: 3, double: 6 }]);
  });

  it('$bucket with a default bucket (manual: boundaries are lower-inclusive)', async () => {
    expect(await run(agg().bucket({ groupBy: '$qty', boundaries: [0, 2, 4], default: 'other', output: { n: $().sum(1) } }))).toEqual([{ _id: 0, n: 1 }, { _id: 2, n: 2 }, { _id: 'other', n: 1 }]);
  });

  it('$bucketAuto spreads the documents evenly; the last bucket max is inclusive', async () => {
    expect(await run(agg().bucketAuto({ groupBy: '$qty', buckets: 2 }))).toEqual([{ _id: { min: 1, max: 3 }, count: 2 }, { _id: { min: 3, max: 4 }, count: 2 }]);
  });

  it('$unwind with includeArrayIndex and preserveNullAndEmptyArrays (manual)', async () => {
    const rows = await run(agg().sort({ _id: 1 }).unwind({ path: '$tags', includeArrayIndex: 'i', preserveNullAndEmptyArrays: true }).project({ _id: 1, tags: 1, i: 1 }));
    expect(rows).toEqual([{ _id: 1, tags: 'x', i: 0 }, { _id: 1, tags: 'y', i: 1 }, { _id: 2, i: null }, { _id: 3, tags: 'x', i: 0 }, { _id: 4, i: null }]);
  });

  it('$lookup with let and pipeline (CloudBase Aggregate.lookup, MongoDB "correlated subqueries")', async () => {
    const rows = await run(
      agg()
        .match({ _id: db.command.in([1, 2]) })
        .sort({ _id: 1 })
        .lookup({ from: 'aggf_users', let: { who: '$owner' }, pipeline: [{ $match: { $expr: { $eq: ['$_id', '$$who'] } } }, { $project: { _id: 0, name: 1 } }], as: 'user' } as never)
        .project({ user: 1 }),
    );
    expect(rows).toEqual([{ _id: 1, user: [{ name: 'Ann' }] }, { _id: 2, user: [{ name: 'Bo' }] }]);
  });

  it('$sample returns distinct documents, all of them when size exceeds the count (manual: a random sort on small collections)', async () => {
    const rows = await run(agg().sample({ size: 3 }));
    expect(new Set(rows.map((r) => r._id)).size).toBe(3);
    expect((await run(agg().sample({ size: 10 }))).map((r) => r._id).sort()).toEqual([1, 2, 3, 4]);
  });
});

describe('stages sent as a raw pipeline', () => {
  const S = 'aggf_raw';
  beforeAll(async () => {
    await db.createCollection(S);
    await db.collection(S).add({
      data: [
        { _id: 1, name: 'Dev', boss: null, level: 1, pay: 10, secret: false },
        { _id: 2, name: 'Eliot', boss: 'Dev', level: 2, pay: 20, secret: true },
        { _id: 3, name: 'Ron', boss: 'Eliot', level: 3, pay: 30, secret: false },
      ],
    });
    await db.createCollection('aggf_more');
    await db.collection('aggf_more').add({ data: [{ _id: 9, name: 'Zed', pay: 90 }] });
  });

  it('$facet runs sub-pipelines over the same input', async () => {
    expect(await raw(S, [{ $facet: { count: [{ $count: 'n' }], top: [{ $sort: { pay: -1 } }, { $limit: 1 }, { $project: { _id: 1 } }] } }])).toEqual([{ count: [{ n: 3 }], top: [{ _id: 3 }] }]);
  });

  it('$graphLookup follows the reporting chain (MongoDB manual, $graphLookup employees example)', async () => {
    const [ron] = await raw(S, [{ $match: { _id: 3 } }, { $graphLookup: { from: S, startWith: '$boss', connectFromField: 'boss', connectToField: 'name', as: 'chain', depthField: 'depth' } }]);
    expect(ron!.chain.map((c: Doc) => [c.name, c.depth]).sort()).toEqual([['Dev', 1], ['Eliot', 0]]);
  });

  it('$unionWith appends another collection', async () => {
    expect((await raw(S, [{ $project: { _id: 1 } }, { $unionWith: { coll: 'aggf_more', pipeline: [{ $project: { _id: 1 } }] } }])).map((d) => d._id)).toEqual([1, 2, 3, 9]);
  });

  it('$set, $unset and $replaceWith', async () => {
    expect(await raw(S, [{ $match: { _id: 1 } }, { $set: { tag: 'x' } }, { $unset: ['boss', 'secret'] }, { $replaceWith: { id: '$_id', tag: '$tag', keys: { $size: { $objectToArray: '$$ROOT' } } } }])).toEqual([{ id: 1, tag: 'x', keys: 5 }]);
  });

  it('$redact prunes documents with $$PRUNE and keeps them with $$KEEP', async () => {
    expect((await raw(S, [{ $redact: { $cond: { if: '$secret', then: '$$PRUNE', else: '$$KEEP' } } }])).map((d) => d._id)).toEqual([1, 3]);
  });

  it('$setWindowFields computes a running total (MongoDB manual, $setWindowFields)', async () => {
    const rows = await raw(S, [{ $setWindowFields: { sortBy: { _id: 1 }, output: { running: { $sum: '$pay', window: { documents: ['unbounded', 'current'] } } } } }, { $project: { running: 1 } }]);
    expect(rows).toEqual([{ _id: 1, running: 10 }, { _id: 2, running: 30 }, { _id: 3, running: 60 }]);
  });
});

describe('gap-filling stages sent as a raw pipeline (MongoDB manual, $densify and $fill)', () => {
  const S = 'aggf_gaps';
  beforeAll(async () => {
    await db.createCollection(S);
    await db.collection(S).add({ data: [{ _id: 1, n: 1, v: 10 }, { _id: 2, n: 4, v: null }, { _id: 3, n: 5, v: 30 }] });
  });

  it('$densify adds the missing values of a numeric range with bounds "full"', async () => {
    expect((await raw(S, [{ $densify: { field: 'n', range: { step: 1, bounds: 'full' } } }, { $project: { _id: 0, n: 1 } }])).map((d) => d.n)).toEqual([1, 2, 3, 4, 5]);
  });

  it('$fill carries the last observation forward (locf) and fills a constant value', async () => {
    expect((await raw(S, [{ $fill: { sortBy: { n: 1 }, output: { v: { method: 'locf' } } } }])).map((d) => d.v)).toEqual([10, 10, 30]);
    expect((await raw(S, [{ $fill: { output: { v: { value: 0 } } } }, { $sort: { _id: 1 } }])).map((d) => d.v)).toEqual([10, 0, 30]);
  });
});

describe('refusals', () => {
  it('refuses $meta (no text search) with DATABASE_INVALID_OPERRATOR naming the operator', async () => {
    await expect(evaluate($().meta('textScore'))).rejects.toMatchObject({ errMsg: expect.stringMatching(/\$meta is not supported by the local emulator/) });
  });

  it('refuses an unknown expression operator by name, not as an "accumulator"', async () => {
    await expect(raw(C, [{ $project: { r: { $noSuchOp: 1 } } }])).rejects.toMatchObject({ code: 'DATABASE_INVALID_OPERRATOR', message: 'aggregation operator $noSuchOp is not supported by the local emulator' });
  });

  it('refuses server-side JavaScript ($function, $accumulator) rather than running it', async () => {
    await expect(raw(C, [{ $project: { r: { $function: { body: 'function () { return 1 }', args: [], lang: 'js' } } } }])).rejects.toMatchObject({ code: 'DATABASE_INVALID_OPERRATOR', message: expect.stringMatching(/\$function .*not supported by the local emulator/) });
    await expect(raw(C, [{ $group: { _id: null, r: { $accumulator: { init: 'function () { return 0 }', accumulate: 'function (s) { return s }', accumulateArgs: [], merge: 'function (a) { return a }', lang: 'js' } } } }])).rejects.toMatchObject({ code: 'DATABASE_INVALID_OPERRATOR', message: expect.stringMatching(/\$accumulator .*not supported by the local emulator/) });
  });

  it.each(['$out', '$merge', '$collStats', '$indexStats', '$currentOp'])('refuses the %s stage and writes nothing (no $out/$merge target appears)', async (stage) => {
    const writes = emulator.context.store.writeCount;
    const target = stage === '$out' ? 'aggf_copy' : stage === '$merge' ? { into: 'aggf_merged' } : {};
    await expect(raw(C, [{ [stage]: target }])).rejects.toMatchObject({ code: 'DATABASE_INVALID_OPERRATOR', message: `aggregate stage ${stage} is not supported by the local emulator` });
    expect(emulator.context.store.writeCount).toBe(writes);
    expect(['aggf_copy', 'aggf_merged'].filter((c) => emulator.context.store.hasCollection(c))).toEqual([]);
  });

  it('refuses $geoNear inside $facet, as MongoDB does', async () => {
    await expect(raw(C, [{ $facet: { near: [{ $geoNear: { near: { type: 'Point', coordinates: [0, 0] }, distanceField: 'd' } }] } }])).rejects.toMatchObject({ message: '$geoNear is not allowed to be used within a $facet stage' });
  });
});
