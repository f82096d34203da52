// The engine's extension point: operators registered through registerOperators (as the geo
// operators are) take part in every query the store evaluates, and an operator nobody registered
// is refused as unsupported, not silently matched.
import { DocumentStore } from '../../emulator/store/document-store';
import { registerOperators } from '../../emulator/store/mongo-engine';

describe('registerOperators', () => {
  it('makes a registered query operator usable in find, count, update and remove', async () => {
    const store = await DocumentStore.open({ collections: [] });
    await store.createCollection('ext');
    await store.insert('ext', [{ _id: 'a', n: 2 }, { _id: 'b', n: 3 }, { _id: 'c', n: 4 }]);
    await expect(store.find('ext', { n: { $isEvenTest: true } })).rejects.toMatchObject({ code: 'DATABASE_INVALID_OPERRATOR', message: 'unknown operator: $isEvenTest' });
    await expect(store.find('ext', { $text: { $search: 'x' } })).rejects.toMatchObject({ code: 'DATABASE_INVALID_OPERRATOR', message: 'query operator $text is not supported by the local emulator' });
    registerOperators({
      query: {
        $isEvenTest: (selector: string, value: unknown) => (doc: Record<string, unknown>) => ((doc[selector] as number) % 2 === 0) === value,
      },
    });
    expect((await store.find('ext', { n: { $isEvenTest: true } })).map((d) => d._id)).toEqual(['a', 'c']);
    expect(await store.count('ext', { n: { $isEvenTest: false } })).toBe(1);
    expect(await store.update('ext', { n: { $isEvenTest: true } }, { $inc: { n: 10 } }, true)).toMatchObject({ updated: 2 });
    expect(await store.remove('ext', { n: { $isEvenTest: false } }, true)).toBe(1);
    expect(await store.find('ext', {})).toEqual([{ _id: 'a', n: 12 }, { _id: 'c', n: 14 }]);
    await store.close();
  });
});
