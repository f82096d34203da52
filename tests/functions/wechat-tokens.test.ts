// The Bearer token of the wechat API cannot be forged, altered, replayed after expiry, or used after
// logout: each such token is refused with 401 on profile, and the profile is left untouched.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { wechatApi } from '../support/wechat-api';

const ISSUER = 'cloudbase-miniprogram-backend';
const ROOT = path.resolve(__dirname, '../..');

let emulator: TestEmulator;
let api: ReturnType<typeof wechatApi>;
let alice: { token: string; pbId: string };
let bob: { token: string; pbId: string };
beforeAll(async () => {
  emulator = await startTestEmulator();
  api = wechatApi(emulator);
  alice = await api.login('o_tok_alice');
  bob = await api.login('o_tok_bob');
});
afterAll(() => emulator.close());

interface Claims {
  sub: string;
  ver: number;
  iss?: string;
  iat?: number;
  exp?: number;
}

/**
 * An HS256 JWT signed by jose with `secret`, claims shaped like the functions' own. jose is
 * ESM-only and jest loads tests as CommonJS, so jose runs in a child node process.
 */
async function signWithJose(claims: Claims, secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const input = JSON.stringify({ payload: { ver: claims.ver, sub: claims.sub, iss: claims.iss ?? ISSUER, jti: randomUUID(), iat: claims.iat ?? now, exp: claims.exp ?? now + 3600 }, secret });
  const script = `import { SignJWT } from 'jose';
    let raw = ''; for await (const chunk of process.stdin) raw += chunk;
    const { payload, secret } = JSON.parse(raw);
    process.stdout.write(await new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret)));`;
  const child = promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
  child.child.stdin?.end(input);
  return (await child).stdout;
}

const segments = (token: string) => token.split('.') as [string, string, string];
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;

/** profile with `token` answers 401, and neither user's document changed. */
async function expectRefused(token: string): Promise<void> {
  const before = [await api.userDoc('o_tok_alice'), await api.userDoc('o_tok_bob')];
  const res = await api.setProfile(token, '13900139001', 'intruder');
  expect(res.status).toBe(401);
  expect(res.body.data).toEqual({});
  expect([await api.userDoc('o_tok_alice'), await api.userDoc('o_tok_bob')]).toEqual(before);
}

describe('a token on POST /pb/api/wechat/profile', () => {
  it('is accepted as the functions issued it, and when signed by jose the same way with the real secret', async () => {
    expect((await api.setProfile(alice.token, '13900139000', 'Alice')).status).toBe(200);
    const ours = await signWithJose({ sub: alice.pbId, ver: 0 }, emulator.secrets.tokenSecret);
    expect((await api.setProfile(ours, '13900139000', 'Alice')).status).toBe(200);
  });

  it('is refused when its payload was changed to name another user', async () => {
    const [header, payload, signature] = segments(alice.token);
    const altered = encode({ ...decode(payload), sub: bob.pbId });
    await expectRefused(`${header}.${altered}.${signature}`);
  });

  it('is refused when signed with another secret', async () => {
    await expectRefused(await signWithJose({ sub: bob.pbId, ver: 0 }, 'another-secret-of-32-characters!'));
  });

  it('is refused when it claims alg "none" and carries no signature', async () => {
    const [, payload] = segments(bob.token);
    await expectRefused(`${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`);
    await expectRefused(`${encode({ alg: 'none' })}.${encode({ ...decode(payload), sub: alice.pbId })}.`);
  });

  it('is refused when it expired, though signed with the real secret', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(await signWithJose({ sub: bob.pbId, ver: 0, iat: now - 7200, exp: now - 60 }, emulator.secrets.tokenSecret));
  });

  it('is refused when another issuer signed it with the real secret', async () => {
    await expectRefused(await signWithJose({ sub: bob.pbId, ver: 0, iss: 'someone-else' }, emulator.secrets.tokenSecret));
  });

  it('is refused after the user logged out, while a fresh login works', async () => {
    const carol = await api.login('o_tok_carol');
    expect((await api.http('refreshToken', {}, { token: carol.token })).status).toBe(200);
    const logout = await emulator.callFunction<{ code: number }>('user', { name: 'logout' }, 'o_tok_carol');
    expect(logout.body.result).toMatchObject({ code: 0 });

    const before = await api.userDoc('o_tok_carol');
    expect((await api.setProfile(carol.token, '13900139002')).status).toBe(401);
    expect((await api.http('refreshToken', {}, { token: carol.token })).status).toBe(401);
    expect(await api.userDoc('o_tok_carol')).toEqual(before);

    const again = await api.login('o_tok_carol');
    expect(again.pbId).toBe(carol.pbId);
    expect((await api.setProfile(again.token, '13900139002')).status).toBe(200);
  });
});
