// rate_limits stays bounded (issue 23): every window a key starts is a document, and the write
// that starts a window removes the windows that have ended. A stream of distinct client addresses
// (HTTP access from 127.0.<round>.<n>: the gateway's TCB_SOURCE_IP is the address the request came
// from, so each is a new per-IP key) is sent in rounds; between rounds every stored window is made
// to have ended (its expiresAt moved into the past through the real SDK) instead of sleeping
// through a real window. Without pruning the collection would grow by one round per round.
import http from 'node:http';
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

const ROUNDS = 5;
const PER_ROUND = 25;

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ functionEnv: { RATE_LIMIT_PER_IP: '1000', RATE_LIMIT_WINDOW_SECONDS: '86400' } });
  process.env.SCF_NAMESPACE = emulator.context.envId;
});
afterAll(() => emulator.close());

/** POST /pb/api/wechat/login from a chosen loopback address, with a code WeChat never issued (400 after the per-IP count). */
function loginFrom(localAddress: string): Promise<number> {
  const url = new URL('/pb/api/wechat/login', emulator.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ users_wx_code: 'never-issued' }));
  });
}

const windows = () => sdkFor(emulator).database().collection('rate_limits');
const count = async () => ((await windows().count()) as { total: number }).total;

it('holds only the current windows under a stream of distinct client addresses', async () => {
  const sizes: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (let n = 1; n <= PER_ROUND; n++) expect(await loginFrom(`127.0.${round}.${n}`)).toBe(400);
    sizes.push(await count());
    // The window ends (as if RATE_LIMIT_WINDOW_SECONDS had passed).
    await windows().where({ expiresAt: sdkFor(emulator).database().command.exists(true) }).update({ data: { expiresAt: new Date(Date.now() - 1000) } });
  }
  // One document per address of the round: the previous rounds' windows were removed by the
  // first write of the next.
  expect(sizes).toEqual(Array(ROUNDS).fill(PER_ROUND));
  const ids = ((await windows().limit(100).get()) as unknown as { data: Array<{ _id: string }> }).data.map((d) => d._id);
  expect(ids.every((id) => id.startsWith(`login:ip:127.0.${ROUNDS}.`))).toBe(true);
});

it('keeps counting within a live window: a window is removed only once it has ended', async () => {
  const before = await count();
  expect(await loginFrom('127.0.99.1')).toBe(400);
  expect(await loginFrom('127.0.99.1')).toBe(400);
  const [doc] = ((await windows().where({ _id: sdkFor(emulator).database().RegExp({ regexp: '^login:ip:127\\.0\\.99\\.1:' }) }).get()) as unknown as { data: Array<{ count: number }> }).data;
  expect(doc?.count).toBe(2);
  // The first hit of 127.0.99.1 started a window and removed the ended ones (all of the last round).
  expect(await count()).toBe(1);
  expect(before).toBe(PER_ROUND);
});

it('an HTTP-access run without the gateway keys has no client address: headers never become one', async () => {
  // Only the integrated request, no TCB_SOURCE_IP (docs/callers.md: the documented requestContext holds no address).
  const event = {
    path: '/pb/api/wechat/login', httpMethod: 'POST', queryStringParameters: {}, isBase64Encoded: false,
    headers: { 'content-type': 'application/json', 'x-real-ip': '6.6.6.6', 'x-forwarded-for': '6.6.6.6' },
    requestContext: { requestId: 'r', envId: emulator.context.envId, appId: 0, uin: 0 },
    body: JSON.stringify({ users_wx_code: 'never-issued' }),
  };
  const res = await emulator.callFunction<{ statusCode: number }>('wechat', event);
  expect(res.body.result?.statusCode).toBe(400);
  const spoofed = ((await windows().where({ _id: sdkFor(emulator).database().RegExp({ regexp: '6\\.6\\.6\\.6' }) }).count()) as { total: number }).total;
  expect(spoofed).toBe(0);
});
