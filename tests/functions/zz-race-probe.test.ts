import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';
import { wechatApi } from '../support/wechat-api';
let emulator: TestEmulator;
let api: ReturnType<typeof wechatApi>;
beforeAll(async () => { emulator = await startTestEmulator({ functionEnv: { WECHAT_HTTP_TIMEOUT_MS: '1000' } }); api = wechatApi(emulator); });
afterAll(() => emulator.close());
it('race', async () => {
  for (let round = 0; round < 4; round++) {
    const phones = Array.from({ length: 5 }, (_, i) => `1370013${round}${i}00`);
    const t0 = Date.now();
    const rounds = await Promise.all(phones.map(async (phone, i) => {
      const users = await Promise.all([api.login(`o_r${round}_${i}_a`), api.login(`o_r${round}_${i}_b`)]);
      const fields = await Promise.all(users.map(() => api.profileFields(phone)));
      return { phone, openids: [`o_r${round}_${i}_a`, `o_r${round}_${i}_b`], results: await Promise.all(users.map((u, j) => api.http('profile', fields[j], { token: u.token }))) };
    }));
    console.log('round', round, Date.now() - t0, 'ms');
    for (const { phone, openids, results } of rounds) {
      const holders = (await api.userDocs({ phone })).map((u) => u.openid);
      const claim = await sdkFor(emulator).database().collection('phone_claims').doc(phone).get().catch((e: Error) => e.message);
      const st = results.map((r) => r.status);
      if (holders.length !== 1 || st.sort().join() !== '200,400') console.log(phone, JSON.stringify(results.map(r => [r.status, r.body.msg, r.body.data?.user?.openid, r.body.data?.user?.users_phone])), holders, JSON.stringify(claim), JSON.stringify(await Promise.all(openids.map((o) => api.userDoc(o)))));
    }
  }
});
