// Seed 004 is the contract of the wechat function. Every response below, over HTTP access and over
// callFunction, is validated (status and body) against the seed's schema for that status by the
// helper (tests/support/wechat-api.ts), which also requires the HTTP status to equal body.code.
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { contractProblems, PICTURE, ROUTES, seed, wechatApi, type OpenApiDocument, type Reply } from '../support/wechat-api';

let emulator: TestEmulator;
let api: ReturnType<typeof wechatApi>;
beforeAll(async () => {
  // A day-long window: a window boundary never falls inside a test. Three calls per user and scope.
  emulator = await startTestEmulator({ functionEnv: { RATE_LIMIT_PER_CALLER: '3', RATE_LIMIT_PER_IP: '1000', RATE_LIMIT_WINDOW_SECONDS: '86400' } });
  api = wechatApi(emulator);
});
afterAll(() => emulator.close());

const code = (openid: string) => emulator.loginCode(openid);
const TEXT = { 'content-type': 'text/plain' };

describe('POST /pb/api/wechat/login', () => {
  it('registers on the first login, logs in afterwards, and says the profile is complete once it is', async () => {
    const first = await api.http('login', { users_wx_code: await code('o_wc_new') });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ status: 'register_success', is_info_complete: false, user: { openid: 'o_wc_new', users_idtype: 'WeChat' } });
    expect(first.body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const second = await api.http('login', { users_wx_code: await code('o_wc_new') });
    expect(second.body.data).toMatchObject({ status: 'login_success', is_info_complete: false, user: { pb_id: first.body.data.user.pb_id } });
    expect((await api.setProfile(second.body.token as string, '13800138001')).status).toBe(200);
    const third = await api.http('login', { users_wx_code: await code('o_wc_new') });
    expect(third.body.data).toMatchObject({ status: 'login_success', is_info_complete: true, user: { users_phone: '13800138001' } });
  });

  it.each([
    ['no users_wx_code', {}],
    ['an empty users_wx_code', { users_wx_code: '' }],
    ['a blank users_wx_code', { users_wx_code: '   ' }],
    ['a users_wx_code that is not a string', { users_wx_code: 42 }],
    ['a code WeChat never issued', { users_wx_code: 'wxcode_forged' }],
  ])('answers 400 to %s and registers nobody', async (_, body) => {
    const before = await api.userCount();
    expect((await api.http('login', body)).status).toBe(400);
    expect(await api.userCount()).toBe(before);
  });

  it('answers 400 to a code that was already used', async () => {
    const used = await code('o_wc_reuse');
    expect((await api.http('login', { users_wx_code: used })).status).toBe(200);
    expect((await api.http('login', { users_wx_code: used })).status).toBe(400);
  });

  it('answers 415 to a text/plain body and to JSON that does not parse', async () => {
    expect((await api.http('login', `users_wx_code=${await code('o_wc_415')}`, { headers: TEXT })).status).toBe(415);
    expect((await api.http('login', `{"users_wx_code": "${await code('o_wc_415')}"`)).status).toBe(415);
    expect(await api.userDoc('o_wc_415')).toBeUndefined();
  });

  it('answers 429 when one user logs in more often than RATE_LIMIT_PER_CALLER in a window', async () => {
    for (let i = 0; i < 3; i++) expect((await api.http('login', { users_wx_code: await code('o_wc_busy') })).status).toBe(200);
    expect((await api.http('login', { users_wx_code: await code('o_wc_busy') })).status).toBe(429);
  });
});

describe('POST /pb/api/wechat/profile', () => {
  let badFieldsUser: { token: string } | undefined;

  it('updates the name, phone and picture and returns the phone masked', async () => {
    const { token } = await api.login('o_wc_profile');
    const res = await api.setProfile(token, '13800138000', '李四');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'update_success', user: { users_name: '李四', users_phone: '13800138000', users_phone_masked: '138****8000', users_picture: PICTURE } });
    expect(await api.userDoc('o_wc_profile')).toMatchObject({ nickname: '李四', phone: '13800138000', avatar: PICTURE });
  });

  it.each([
    ['an empty users_name', { users_name: '' }],
    ['a users_name of 33 characters', { users_name: 'x'.repeat(33) }],
    ['a users_picture that is not an http(s) URL', { users_picture: 'javascript:alert(1)' }],
    ['no users_phone_code', { users_phone_code: undefined }],
    ['a phone code WeChat never issued', { users_phone_code: 'phonecode_forged' }],
  ])('answers 400 to %s and changes nothing', async (_, override) => {
    const token = (badFieldsUser ??= await api.login('o_wc_badfields')).token;
    const before = await api.userDoc('o_wc_badfields');
    expect((await api.http('profile', { ...(await api.profileFields('13800138009')), ...override }, { token })).status).toBe(400);
    expect(await api.userDoc('o_wc_badfields')).toEqual(before);
  });

  it('answers 400 to a phone number another user holds, and the holder keeps it', async () => {
    const holder = await api.login('o_wc_holder');
    expect((await api.setProfile(holder.token, '13800138002')).status).toBe(200);
    const other = await api.login('o_wc_taker');
    expect((await api.setProfile(other.token, '13800138002')).status).toBe(400);
    expect(await api.userDocs({ phone: '13800138002' })).toEqual([expect.objectContaining({ openid: 'o_wc_holder' })]);
    expect(await api.userDoc('o_wc_taker')).not.toHaveProperty('phone');
  });

  it('answers 401 without a token and with a token that is not one', async () => {
    const fields = await api.profileFields('13800138003');
    expect((await api.http('profile', fields)).status).toBe(401);
    expect((await api.http('profile', fields, { token: 'not-a-jwt' })).status).toBe(401);
  });

  it('answers 415 to a text/plain body', async () => {
    const { token } = await api.login('o_wc_profile415');
    expect((await api.http('profile', 'users_name=x', { token, headers: TEXT })).status).toBe(415);
  });
});

describe('POST /pb/api/system/refresh-token', () => {
  it('renews a valid token, and the new token works', async () => {
    const { token } = await api.login('o_wc_refresh');
    const res = await api.http('refreshToken', {}, { token });
    expect(res.status).toBe(200);
    expect(res.body.token).toEqual(expect.any(String));
    expect(res.body.token).not.toBe(token);
    expect((await api.setProfile(res.body.token as string, '13800138004')).status).toBe(200);
  });

  it('issues a token through users_wx_code when the token is invalid or missing', async () => {
    await api.login('o_wc_recode');
    expect((await api.http('refreshToken', { users_wx_code: await code('o_wc_recode') }, { token: 'expired.or.garbage' })).status).toBe(200);
    const res = await api.http('refreshToken', { users_wx_code: await code('o_wc_recode') });
    expect(res.status).toBe(200);
    expect((await api.setProfile(res.body.token as string, '13800138005')).status).toBe(200);
  });

  it.each([
    ['no token and no body', undefined, undefined],
    ['an invalid token and no code', 'garbage', {}],
    ['an invalid token and a null code', 'garbage', { users_wx_code: null }],
  ])('answers 401 to %s', async (_, token, body) => {
    expect((await api.http('refreshToken', body, { token })).status).toBe(401);
  });

  it('answers 400 to an invalid token with a code WeChat never issued', async () => {
    expect((await api.http('refreshToken', { users_wx_code: 'wxcode_forged' }, { token: 'garbage' })).status).toBe(400);
  });

  it('answers 404 when the token user was deleted', async () => {
    const { token, pbId } = await api.login('o_wc_deleted');
    await api.deleteUser(pbId);
    expect((await api.http('refreshToken', {}, { token })).status).toBe(404);
  });

  it('answers 415 to a text/plain body', async () => {
    const { token } = await api.login('o_wc_refresh415');
    expect((await api.http('refreshToken', 'x', { token, headers: TEXT })).status).toBe(415);
  });

  it('answers 429 when one user refreshes more often than RATE_LIMIT_PER_CALLER in a window', async () => {
    const { token } = await api.login('o_wc_refresh429');
    for (let i = 0; i < 3; i++) expect((await api.http('refreshToken', {}, { token })).status).toBe(200);
    expect((await api.http('refreshToken', {}, { token })).status).toBe(429);
  });
});

describe('POST /pb/api/system/users-count', () => {
  it('counts the documents of the users collection', async () => {
    await api.login('o_wc_counted');
    const res = await api.http('usersCount', {});
    expect(res.status).toBe(200);
    expect(res.body.data.total_users).toBe(await api.userCount());
    expect(res.body.data.total_users).toBeGreaterThan(0);
  });
});

describe('the same API through wx.cloud.callFunction', () => {
  const without = (body: object, ...keys: string[]) => Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));

  it('answers login, profile, refreshToken and usersCount with the same body as HTTP', async () => {
    const { token } = await api.login('o_wc_twin');
    const httpLogin = await api.http('login', { users_wx_code: await code('o_wc_twin') });
    const callLogin = await api.call('login', { users_wx_code: await code('o_wc_twin') }, 'o_wc_twin');
    expect(without(callLogin.body, 'token')).toEqual(without(httpLogin.body, 'token'));
    expect(callLogin.body.token).toEqual(expect.any(String));

    const httpProfile = await api.setProfile(token, '13800138006');
    const callProfile = await api.call('profile', await api.profileFields('13800138006'), 'o_wc_twin');
    const updatedAnyTime = (b: Reply['body']) => ({ ...b, data: { ...b.data, user: { ...b.data.user, updated: expect.any(String) } } });
    expect(updatedAnyTime(callProfile.body)).toEqual(updatedAnyTime(httpProfile.body));

    const httpRefresh = await api.http('refreshToken', {}, { token });
    const callRefresh = await api.call('refreshToken', {}, 'o_wc_twin');
    expect(without(callRefresh.body, 'token')).toEqual(without(httpRefresh.body, 'token'));
    expect(callRefresh.body.token).toEqual(expect.any(String));

    expect((await api.call('usersCount', {}, 'o_wc_twin')).body).toEqual((await api.http('usersCount', {})).body);
  });

  it('refuses with 401 a login code minted for another openid: the context openid is authoritative', async () => {
    const res = await api.call('login', { users_wx_code: await code('o_wc_victim') }, 'o_wc_thief');
    expect(res.status).toBe(401);
    expect(await api.userDoc('o_wc_victim')).toBeUndefined();
    expect(await api.userDoc('o_wc_thief')).toBeUndefined();
  });
});

describe('GET /pb/api/openapi.json', () => {
  const outline = (doc: OpenApiDocument) =>
    Object.fromEntries(Object.entries(doc.paths).map(([p, ops]) => [p, Object.fromEntries(Object.entries(ops).map(([m, op]) => [m, { operationId: op.operationId, statuses: Object.keys(op.responses).sort() }]))]));

  it('serves the paths, operationIds and response statuses of the seed', async () => {
    const res = await fetch(`${emulator.url}/pb/api/openapi.json`);
    expect(res.status).toBe(200);
    const served = (await res.json()) as OpenApiDocument & { openapi: string };
    expect(served.openapi).toBe('3.1.0');
    expect(outline(served)).toEqual(outline(seed));
  });
});

describe('UserInfo carries every property seed 004 documents (issue 23)', () => {
  const documented = Object.keys((seed.components.schemas as Record<string, { properties: Record<string, unknown> }>).UserInfo!.properties);

  it('a login answers all of them; the unstored ones at their type\'s zero value, company null', async () => {
    const reply = await api.http('login', { users_wx_code: await code('o_wc_every_field') });
    const user = reply.body.data.user as Record<string, unknown>;
    expect(Object.keys(user).sort()).toEqual([...documented].sort());
    expect(user).toMatchObject({ users_convers_id: '', users_id_number: '', users_type: '', users_rank_level: 0, users_auth_type: 0, users_level: '', company_id: '', users_parent_id: '', users_promo_code: '', usergroups_id: '', company: null });
  });

  it('the contract check fails a response that lacks one of them', async () => {
    const reply = await api.http('login', { users_wx_code: await code('o_wc_lacking') });
    const { users_promo_code: _dropped, ...user } = reply.body.data.user as Record<string, unknown>;
    expect(contractProblems(ROUTES.login, 200, { ...reply.body, data: { ...reply.body.data, user } })).toEqual(['body.data.user.users_promo_code is documented by the seed but missing']);
  });
});
