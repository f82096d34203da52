import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';
let a: TestEmulator; let b: TestEmulator;
beforeAll(async () => { a = await startTestEmulator({ envId: 'env-a' }); b = await startTestEmulator(); });
afterAll(async () => { await a.close(); await b.close(); });
it('probe', async () => {
  await a.callFunction('common', { name: 'login' }, 'o_only_in_a');
  const count = async (e: TestEmulator) => ((await sdkFor(e).database().collection('users').count()) as { total: number }).total;
  console.log('a via sdk', await count(a), 'store', await a.context.store.count('users', {}));
  console.log('b via sdk', await count(b), 'store', await b.context.store.count('users', {}));
});
