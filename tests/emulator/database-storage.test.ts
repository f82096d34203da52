// The store on disk: insertion order (CloudBase's natural order) survives a restart, data folders
// written by the nedb-based emulator load unchanged and are not rewritten at start, a corrupt or
// truncated line stops the start with the file and line named, compaction keeps documents and
// order, and the write hook sees every committed write.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DocumentStore } from '../../emulator/store/document-store';
import { sdkFor, startTestEmulator } from '../support/emulator';

type Doc = Record<string, any>;
const tempDirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudbase-store-'));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const SPECS = [{ name: 'users', uniqueFields: ['openid'] }];

describe('natural order across a restart (through the real SDK)', () => {
  it('get() returns the same insertion order, on every page, after the emulator restarts on its data', async () => {
    const dataDir = tempDir();
    const first = await startTestEmulator({ inMemory: false, dataDir });
    const db1 = sdkFor(first).database();
    await db1.createCollection('ordered');
    const ids = ['m', 'z', 'a', 'q', 'b', 'k'];
    for (const id of ids) await db1.collection('ordered').add({ data: { _id: id, v: id.charCodeAt(0) } });
    await db1.collection('ordered').doc('z').update({ data: { v: 0 } }); // keeps its place
    await db1.collection('ordered').doc('a').remove();
    await db1.collection('ordered').add({ data: { _id: 'a', v: 1 } }); // re-inserted: goes last
    await first.close();

    const second = await startTestEmulator({ inMemory: false, dataDir });
    try {
      const db2 = sdkFor(second).database();
      const expected = ['m', 'z', 'q', 'b', 'k', 'a'];
      expect(((await db2.collection('ordered').get()) as { data: Doc[] }).data.map((d) => d._id)).toEqual(expected);
      const paged: string[] = [];
      for (let skip = 0; skip < 6; skip += 4) paged.push(...((await db2.collection('ordered').skip(skip).limit(4).get()) as { data: Doc[] }).data.map((d) => d._id as string));
      expect(paged).toEqual(expected);
      expect(((await db2.collection('ordered').doc('z').get()) as { data: Doc }).data).toEqual({ _id: 'z', v: 0 });
    } finally {
      await second.close();
    }
  });
});

describe('data files', () => {
  const nedbLines = [
    '{"$$indexCreated":{"fieldName":"openid","unique":true,"sparse":false}}',
    '{"_id":"u2","openid":"o2","createdAt":{"$$date":1700000000000}}',
    '{"_id":"u1","openid":"o1","n":1}',
    '{"_id":"u3","openid":"o3"}',
    '{"_id":"u1","openid":"o1","n":2}',
    '{"$$deleted":true,"_id":"u3"}',
  ];

  it('loads a collection file written by the nedb-based emulator, and does not rewrite it at start', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'users.db');
    fs.writeFileSync(file, `${nedbLines.join('\n')}\n`);
    const before = fs.readFileSync(file);
    const store = await DocumentStore.open({ dir, collections: SPECS });
    // nedb's format: later lines for an _id replace earlier ones, $$deleted removes, $$date is a Date.
    expect(await store.find('users', {})).toEqual([
      { _id: 'u2', openid: 'o2', createdAt: new Date(1700000000000) },
      { _id: 'u1', openid: 'o1', n: 2 },
    ]);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    await expect(store.insert('users', [{ openid: 'o2' }])).rejects.toMatchObject({ code: 'DATABASE_DUPLICATE_WRITE' });
    await store.close();
  });

  it('compacts on close to exactly the live documents, in natural order, which load back the same', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'users.db'), `${nedbLines.join('\n')}\n`);
    const store = await DocumentStore.open({ dir, collections: SPECS });
    await store.insert('users', [{ _id: 'u0', openid: 'o0', at: new Date(5) }]);
    await store.close();
    expect(fs.readFileSync(path.join(dir, 'users.db'), 'utf8').trim().split('\n')).toEqual([
      '{"_id":"u2","openid":"o2","createdAt":{"$$date":1700000000000}}',
      '{"_id":"u1","openid":"o1","n":2}',
      '{"_id":"u0","openid":"o0","at":{"$$date":5}}',
    ]);
    const again = await DocumentStore.open({ dir, collections: SPECS });
    expect((await again.find('users', {})).map((d) => d._id)).toEqual(['u2', 'u1', 'u0']);
    expect(await again.count('users', {})).toBe(3);
    await again.close();
  });

  it('compacts while running once dead lines outnumber live documents (and 10,000), keeping every write', async () => {
    const dir = tempDir();
    const store = await DocumentStore.open({ dir, collections: SPECS });
    await store.insert('users', [{ _id: 'a', openid: 'oa', n: 0 }, { _id: 'b', openid: 'ob', n: 0 }]);
    for (let i = 1; i <= 10_001; i++) await store.update('users', { _id: 'a' }, { $set: { n: i } }, false);
    const lines = fs.readFileSync(path.join(dir, 'users.db'), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThan(10);
    const reopened = await DocumentStore.open({ dir, collections: SPECS });
    expect(await reopened.find('users', {})).toEqual([{ _id: 'a', openid: 'oa', n: 10_001 }, { _id: 'b', openid: 'ob', n: 0 }]);
    await Promise.all([store.close(), reopened.close()]);
  });

  it('refuses to start on a corrupt line, naming the file and line', async () => {
    const dataDir = tempDir();
    fs.mkdirSync(path.join(dataDir, 'db'));
    const file = path.join(dataDir, 'db', 'users.db');
    fs.writeFileSync(file, '{"_id":"u1","openid":"o1"}\n{"_id":"u2","openid":\n{"_id":"u3","openid":"o3"}\n');
    await expect(startTestEmulator({ inMemory: false, dataDir })).rejects.toThrow(`${file}:2: corrupt line`);
  });

  it('refuses to start on a truncated last line, naming the file and line', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'users.db');
    fs.writeFileSync(file, '{"_id":"u1","openid":"o1"}\n{"_id":"u2","openid":"o2"}\n{"_id":"u3","ope');
    await expect(DocumentStore.open({ dir, collections: SPECS })).rejects.toThrow(`${file}:3: the last line is truncated`);
  });

  it('refuses to start on lines that break a unique index, naming the file and line', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'users.db');
    fs.writeFileSync(file, '{"_id":"u1","openid":"o1"}\n{"_id":"u2","openid":"o1"}\n');
    await expect(DocumentStore.open({ dir, collections: SPECS })).rejects.toThrow(`${file}:2: this document breaks the unique index on openid`);
  });
});

describe('the write hook', () => {
  it('tells listeners about every committed document write, synchronously, with before and after', async () => {
    const store = await DocumentStore.open({ collections: SPECS });
    const seen: unknown[] = [];
    const stop = store.onWrite((collection, id, before, after) => seen.push([collection, id, before?.n, after?.n]));
    await store.insert('users', [{ _id: 'a', openid: 'oa', n: 1 }, { _id: 'b', openid: 'ob', n: 1 }]);
    await store.update('users', {}, { $inc: { n: 1 } }, true);
    await store.replace('users', 'a', { openid: 'oa', n: 9 });
    await store.remove('users', { _id: 'b' }, false);
    await expect(store.insert('users', [{ openid: 'oa' }])).rejects.toMatchObject({ code: 'DATABASE_DUPLICATE_WRITE' });
    stop();
    await store.insert('users', [{ _id: 'c', openid: 'oc' }]);
    expect(seen).toEqual([
      ['users', 'a', undefined, 1],
      ['users', 'b', undefined, 1],
      ['users', 'a', 1, 2],
      ['users', 'b', 1, 2],
      ['users', 'a', 2, 9],
      ['users', 'b', 2, undefined],
    ]);
    await store.close();
  });
});

describe('scan (batches for exports)', () => {
  it('yields every matching document once, in natural order, in batches of the asked size', async () => {
    const store = await DocumentStore.open({ collections: SPECS });
    await store.insert('users', Array.from({ length: 25 }, (_x, i) => ({ _id: `u${(i * 7) % 25}`, openid: `o${i}`, odd: i % 2 === 1 })));
    const batches: string[][] = [];
    for await (const batch of store.scan('users', { odd: true }, 5)) batches.push(batch.map((d) => d._id));
    expect(batches.map((b) => b.length)).toEqual([5, 5, 2]);
    expect(batches.flat()).toEqual((await store.find('users', { odd: true })).map((d) => d._id));
    await store.close();
  });
});
