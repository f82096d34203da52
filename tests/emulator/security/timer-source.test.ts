// On CloudBase only the platform sets a run's SOURCE: wx_trigger marks a timer run (WeChat docs,
// Cloud.getWXContext), and production code trusts a timer caller as it trusts the server
// (shared/router/caller.ts). So a callFunction request cannot claim it: X-TCB-Source may name a
// mini-program client only, and timer runs come from the scheduler or the fire endpoint.
import { startTestEmulator, type TestEmulator } from '../../support/emulator';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
  await emulator.context.store.createCollection('probe_timer');
});
afterAll(() => emulator.close());

type Context = { ctx: { SOURCE?: string } };

it.each(['wx_trigger', 'wx_trigger,scf', 'scf', 'tcb_cli', 'WX_TRIGGER'])('refuses a callFunction whose X-TCB-Source claims %j, before the function runs', async (source) => {
  const before = emulator.context.log.list().length;
  const res = await emulator.post<{ errCode: number; errMsg: string }>('/functions/probe', { name: 'context' }, { 'x-tcb-source': source });
  expect(res.status).toBe(400);
  expect(res.body.errMsg).toMatch(/^cloud\.callFunction:fail X-TCB-Source may name a mini-program client only/);
  expect(emulator.context.log.list().length).toBe(before);
});

it('lets a client source through (a client context without OPENID)', async () => {
  const res = await emulator.post<{ result: Context }>('/functions/probe', { name: 'context' }, { 'x-tcb-source': 'wx_devtools' });
  expect(res.status).toBe(200);
  expect(res.body.result.ctx.SOURCE).toBe('wx_devtools');
});

it('still runs a timer as wx_trigger through the fire endpoint', async () => {
  const fired = await emulator.post<{ ok: boolean; result: string }>('/_emulator/functions/probe/triggers/everyMinute/fire', {});
  expect(fired.body).toMatchObject({ ok: true, result: 'fired' });
  const runs = await emulator.context.store.find('probe_timer', {}, {});
  expect(runs.map((r) => r.source)).toContain('wx_trigger');
});
