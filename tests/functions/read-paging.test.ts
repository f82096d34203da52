// Reads never truncate silently (issue 23). A server-side read returns one page: at most 100
// documents by the documentation (developers.weixin.qq.com .../database/collection/Collection.get:
// 云函数端默认及最大上限为 100), 1000 by the newer limit() page, which the emulator enforces. The
// permissions table is read page by page, so a grant on page 12 counts like one on page 1.
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

const FEATURES = 1150;

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
  process.env.SCF_NAMESPACE = emulator.context.envId;
});
afterAll(() => emulator.close());

it(`common.auth lists every one of ${FEATURES} features granted to the user's role, past any one page`, async () => {
  const db = sdkFor(emulator).database();
  const ids = Array.from({ length: FEATURES }, (_, i) => `feature_${String(i).padStart(4, '0')}`);
  for (let i = 0; i < ids.length; i += 100) {
    await db.collection('permissions').add({ data: ids.slice(i, i + 100).map((_id) => ({ _id, roles: ['pager'] })) });
  }
  await emulator.callFunction('common', { name: 'login' }, 'o_pager');
  await db.collection('users').where({ openid: 'o_pager' }).update({ data: { roles: ['pager'] } });
  const res = await emulator.callFunction<string[]>('common', { name: 'auth' }, 'o_pager');
  expect(res.status).toBe(200);
  expect(res.body.result).toEqual(ids);
});
