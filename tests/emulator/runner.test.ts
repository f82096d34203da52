// The function runner behind POST /functions/<name>: caller context, instance pooling, timeouts,
// crashes, function-to-function calls, input validation and the invocation log.
import type { InvocationRecord } from '../../emulator/runner/invocation-log';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { waitFor } from '../support/wait-for';

type Ctx = { OPENID?: string; APPID?: string; SOURCE?: string; ENV?: string };

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
  await emulator.post('/admin', { action: 'database.addCollection', collectionName: 'probe' });
});
afterAll(() => emulator.close());

const rawPost = (path: string, body: string | Buffer) =>
  fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('caller context', () => {
  it('gives a mini-program call the user OPENID, the mini-program APPID and SOURCE wx_client', async () => {
    const res = await emulator.callFunction<{ ctx: Ctx }>('probe', { name: 'context' }, 'o_user_1');
    expect(res.status).toBe(200);
    expect(res.body.result?.ctx).toMatchObject({ OPENID: 'o_user_1', APPID: emulator.secrets.appid, SOURCE: 'wx_client', ENV: emulator.context.envId });
  });

  it('gives a server-side call no OPENID or APPID but still a non-client SOURCE and the ENV', async () => {
    const res = await emulator.callFunction<{ ctx: Ctx }>('probe', { name: 'context' });
    expect(res.status).toBe(200);
    const ctx = res.body.result?.ctx as Ctx;
    expect(ctx.OPENID).toBeUndefined();
    expect(ctx.APPID).toBeUndefined();
    expect(typeof ctx.SOURCE).toBe('string');
    expect(ctx.SOURCE).not.toContain('wx_client');
    expect(ctx.ENV).toBe(emulator.context.envId);
  });

  it('lets each of ten concurrent slow calls see only its own openid', async () => {
    const openids = Array.from({ length: 10 }, (_, i) => `o_concurrent_${i}`);
    const results = await Promise.all(openids.map((o) => emulator.callFunction<{ ctx: Ctx }>('probe', { name: 'slowContext', data: { ms: 300 } }, o)));
    expect(results.map((r) => r.status)).toEqual(openids.map(() => 200));
    expect(results.map((r) => r.body.result?.ctx.OPENID)).toEqual(openids);
  });

  it('does not leak the previous caller openid into a later server call on a warm instance', async () => {
    await emulator.callFunction('probe', { name: 'context' }, 'o_previous');
    const results = await Promise.all(Array.from({ length: 10 }, () => emulator.callFunction<{ ctx: Ctx }>('probe', { name: 'context' })));
    for (const r of results) expect(r.body.result?.ctx.OPENID).toBeUndefined();
  });
});

describe('instances', () => {
  let pooled: TestEmulator;
  beforeAll(async () => {
    pooled = await startTestEmulator({ maxInstancesPerFunction: 3 });
  });
  afterAll(() => pooled.close());

  it('reuses one warm instance for sequential calls', async () => {
    for (let i = 0; i < 5; i++) expect((await pooled.callFunction('probe', { name: 'context' })).status).toBe(200);
    expect(pooled.context.runner.instanceCount('probe')).toBe(1);
  });

  it('starts more instances for concurrent calls but never more than maxInstancesPerFunction, queueing the rest', async () => {
    const calls = Array.from({ length: 7 }, (_, i) => pooled.callFunction<{ ctx: Ctx }>('probe', { name: 'slowContext', data: { ms: 300 } }, `o_q_${i}`));
    const results = await Promise.all(calls);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.map((r) => r.body.result?.ctx.OPENID)).toEqual(Array.from({ length: 7 }, (_, i) => `o_q_${i}`));
    expect(pooled.context.runner.instanceCount('probe')).toBe(3);
  });

  it('serves calls queued behind crashing instances on fresh instances', async () => {
    const crashes = Array.from({ length: 3 }, () => pooled.callFunction('probe', { name: 'crash' }));
    const queued = Array.from({ length: 3 }, (_, i) => pooled.callFunction<{ ctx: Ctx }>('probe', { name: 'context' }, `o_behind_${i}`));
    expect((await Promise.all(crashes)).map((r) => r.body.errCode)).toEqual([-504002, -504002, -504002]);
    const served = await Promise.all(queued);
    expect(served.map((r) => r.body.result?.ctx.OPENID)).toEqual(['o_behind_0', 'o_behind_1', 'o_behind_2']);
    expect(pooled.context.runner.instanceCount('probe')).toBeLessThanOrEqual(3);
  });
});

describe('failures', () => {
  it('stops a call that exceeds the config timeout with errCode -504003, and the next call still works', async () => {
    const res = await emulator.callFunction('probe', { name: 'sleep', data: { ms: 10_000 } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.errCode).toBe(-504003);
    expect(res.body.errMsg).toEqual(expect.any(String));
    const next = await emulator.callFunction<{ ctx: Ctx }>('probe', { name: 'context' }, 'o_after_timeout');
    expect(next.status).toBe(200);
    expect(next.body.result?.ctx.OPENID).toBe('o_after_timeout');
    const logs = (await (await fetch(`${emulator.url}/_emulator/logs`)).json()) as InvocationRecord[];
    expect(logs.filter((r) => r.eventName === 'sleep').at(-1)?.outcome).toBe('timeout');
  });

  it('fails only the crashing call while a concurrent call on another instance succeeds', async () => {
    const [crashed, healthy] = await Promise.all([
      emulator.callFunction('probe', { name: 'crash' }),
      emulator.callFunction<{ ctx: Ctx }>('probe', { name: 'slowContext', data: { ms: 600 } }, 'o_healthy'),
    ]);
    expect(crashed.status).toBeGreaterThanOrEqual(500);
    expect(crashed.body.errCode).toBe(-504002);
    expect(crashed.body.errMsg).toContain('boom from a timer');
    expect(healthy.status).toBe(200);
    expect(healthy.body.result?.ctx.OPENID).toBe('o_healthy');
    expect((await emulator.callFunction('probe', { name: 'context' })).status).toBe(200);
    // and the dying instance printed the error's stack on its stderr, as Node.js does for an uncaught exception
    await waitFor('the crashed instance\'s stack', () => emulator.output.functionLines().includes('Error: boom from a timer'));
  });

  it('fails a call whose result is over 1 MB with -604001 but returns one just under it', async () => {
    const big = await emulator.callFunction('probe', { name: 'bigResult', data: { bytes: 1100 * 1024 } });
    expect(big.status).toBeGreaterThanOrEqual(400);
    expect(big.body.errCode).toBe(-604001);
    const fits = await emulator.callFunction<{ blob: string }>('probe', { name: 'bigResult', data: { bytes: 1000 * 1024 } });
    expect(fits.status).toBe(200);
    expect(fits.body.result?.blob).toHaveLength(1000 * 1024);
  });

  it('reports an error thrown by the handler as a failed call with the message', async () => {
    const res = await emulator.callFunction('probe', { name: 'throw' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body).toMatchObject({ errCode: -504002, errMsg: expect.stringContaining('handler failed on purpose') });
  });
});

describe('function to function', () => {
  it('runs another function through cloud.callFunction and returns its result, marked as an scf call', async () => {
    const res = await emulator.callFunction<{ outer: Ctx; inner: { ctx: Ctx; event: { name: string } } }>('probe', { name: 'callOtherWithContext' }, 'o_chain');
    expect(res.status).toBe(200);
    expect(res.body.result?.outer.SOURCE).toBe('wx_client');
    expect(res.body.result?.inner.event.name).toBe('context');
    expect(res.body.result?.inner.ctx.SOURCE).toMatch(/scf$/);
  });
});

describe('bad input', () => {
  it.each([
    ['malformed JSON', '{"name": '],
    ['a JSON array as the event', '[1,2]'],
    ['a JSON string as the event', '"context"'],
  ])('rejects %s with a non-2xx {errCode, errMsg}', async (_label, body) => {
    const res = await rawPost('/functions/probe', body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await res.json()).toMatchObject({ errCode: expect.any(Number), errMsg: expect.any(String) });
  });

  it('rejects an event larger than 100 KB with a non-2xx {errCode, errMsg}', async () => {
    const res = await rawPost('/functions/probe', JSON.stringify({ name: 'context', data: { blob: 'x'.repeat(150 * 1024) } }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ errCode: expect.any(Number), errMsg: expect.stringContaining('exceeds') });
  });

  it('rejects a multi-megabyte event with 413 and keeps the connection usable for the next call', async () => {
    const res = await rawPost('/functions/probe', JSON.stringify({ blob: 'x'.repeat(3 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    const next = await fetch(`${emulator.url}/functions/probe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"context"}', signal: AbortSignal.timeout(3000) });
    expect(next.status).toBe(200);
  });

  it('answers an unknown function with 404 {errCode, errMsg}', async () => {
    const res = await emulator.callFunction('no_such_function', { name: 'context' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ errCode: expect.any(Number), errMsg: expect.stringContaining('no_such_function') });
  });
});

describe('invocation log', () => {
  it('records function, event name, caller, database calls and outcome of each call', async () => {
    await emulator.callFunction('probe', { name: 'dbCalls' }, 'o_logged');
    await emulator.callFunction('probe', { name: 'throw' });
    const logs = (await (await fetch(`${emulator.url}/_emulator/logs`)).json()) as InvocationRecord[];
    const ok = logs.filter((r) => r.eventName === 'dbCalls').at(-1);
    expect(ok).toMatchObject({ function: 'probe', caller: 'user:o_logged', source: 'wx_client', outcome: 'ok', dbCalls: 2 });
    expect(ok?.durationMs).toEqual(expect.any(Number));
    const failed = logs.filter((r) => r.eventName === 'throw').at(-1);
    expect(failed).toMatchObject({ function: 'probe', outcome: 'error', dbCalls: 0, error: expect.stringContaining('handler failed on purpose') });
    expect(failed?.caller).not.toContain('user:');
  });
});

describe('a bundle that dies while loading', () => {
  it('fails the call at once as a crash instead of waiting for the timeout', async () => {
    const res = await emulator.callFunction('exitsOnLoad', { name: 'anything' });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.body.errMsg).toMatch(/exited with code 3/);
    // A crash, not a timeout (-504003) that waited the function's limit out.
    expect(res.body.errCode).not.toBe(-504003);
    const logs = (await (await fetch(`${emulator.url}/_emulator/logs`)).json()) as InvocationRecord[];
    expect(logs.filter((r) => r.function === 'exitsOnLoad').at(-1)?.outcome).toBe('crash');
  });
});
