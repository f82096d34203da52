// Issue 11 items 2 and 3: one phone number, one holder, whatever way it is typed; and a number
// WeChat verified (getPhoneNumber through wechat.profile) beats one a user only typed
// (user.login / user.update), while two verified claims still conflict.
// The canonical forms come from the numbering plan as Google's libphonenumber metadata describes
// it (+86 mainland mobile numbers are 11 digits starting with 1; `0086` is China's international
// call prefix) and from WeChat's getPhoneNumber answer (phone_info.purePhoneNumber is the number
// without the country code, countryCode the code).
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { userApi } from '../support/user-api';
import { wechatApi } from '../support/wechat-api';
import { waitFor } from '../support/wait-for';

let emulator: TestEmulator;
let users: ReturnType<typeof userApi>;
let wechat: ReturnType<typeof wechatApi>;

beforeAll(async () => {
  emulator = await startTestEmulator();
  users = userApi(emulator);
  wechat = wechatApi(emulator);
});
afterAll(async () => {
  await emulator.close();
});

const claim = async (phone: string) => (await emulator.context.store.find('phone_claims', { _id: phone }))[0];
const holders = async (phone: string) => (await emulator.context.store.find('users', { phone })).map((u) => u.openid).sort();

describe('phone numbers are normalised before any uniqueness check (item 2)', () => {
  let row = 0;
  it.each([
    ['139 1234 5678', '13912345678'],
    ['139-1234-5678', '13912345678'],
    ['+86 139 1234 5678', '13912345678'],
    ['0086 139 1234 5678', '13912345678'],
    ['(139) 1234.5678', '13912345678'],
    ['+1 650-253-0000', '+16502530000'],
  ])('user.login stores %j as %j', async (typed, canonical) => {
    const openid = `o_pn_${++row}`;
    // Each row registers a fresh user; free the number first so rows do not collide.
    await emulator.context.store.remove('phone_claims', { _id: canonical }, true);
    await emulator.context.store.update('users', { phone: canonical }, { $unset: { phone: true } }, true);
    const res = await users.call<{ phone: string }>('login', { phone: typed }, openid);
    expect(res).toMatchObject({ code: 0, data: { phone: canonical } });
  });

  it('one number typed three ways has one holder: user.login and user.update of the others answer -2', async () => {
    await emulator.context.store.remove('phone_claims', { _id: '13712345678' }, true);
    expect((await users.call('login', { phone: '137 1234 5678' }, 'o_pn_first')).code).toBe(0);
    expect(await users.call('login', { phone: '137-1234-5678' }, 'o_pn_second')).toMatchObject({ code: -2, data: [] });
    await users.register('o_pn_third', { phone: '13700000333' });
    expect(await users.call('update', { update: { phone: '+86 137 1234 5678' } }, 'o_pn_third')).toMatchObject({ code: -2, data: [] });
    expect(await users.call('update', { update: { phone: '0086-137-1234-5678' } }, 'o_pn_third')).toMatchObject({ code: -2, data: [] });
    expect(await holders('13712345678')).toEqual(['o_pn_first']);
    expect((await users.userDoc('o_pn_third')).phone).toBe('13700000333');
  });

  it.each(['call me', '12', '1234', '+0 123', '13912345678x', '1391234567890123'])('refuses %j with -1', async (typed) => {
    expect(await users.call('login', { phone: typed }, 'o_pn_bad')).toMatchObject({ code: -1, data: [] });
  });
});

describe('a verified binding takes the number from an unverified claim (item 3)', () => {
  it('the squatter who typed the number loses it to the owner WeChat verified; the event is logged', async () => {
    await users.register('o_sq_squatter', { phone: '138 0013 8000' });
    expect((await claim('13800138000'))?.verified).toBe(false);
    const owner = await wechat.login('o_sq_owner');
    const bound = await wechat.setProfile(owner.token, '13800138000');
    expect(bound.status).toBe(200);
    expect(bound.body.data.user.users_phone).toBe('13800138000');
    expect(await holders('13800138000')).toEqual(['o_sq_owner']);
    expect(await claim('13800138000')).toMatchObject({ owner: 'o_sq_owner', verified: true });
    // The squatter's phone is cleared, the rest of the profile kept.
    const squatter = await users.call<{ phone: string; openid: string }>('get', {}, 'o_sq_squatter');
    expect(squatter).toMatchObject({ code: 0, data: { openid: 'o_sq_squatter', phone: '' } });
    const event = await waitFor('the [event] line of the moved phone', () => emulator.output.functionLines().find((l) => l.includes('[event] phone') && l.includes('o_sq_squatter')));
    expect(event).toContain('o_sq_owner');
    expect(event).not.toContain('13800138000');
  });

  it('a number typed at registration (user.login) is taken the same way', async () => {
    await users.register('o_sq_reg', { phone: '13800138011' });
    const owner = await wechat.login('o_sq_reg_owner');
    expect((await wechat.setProfile(owner.token, '13800138011')).status).toBe(200);
    expect(await holders('13800138011')).toEqual(['o_sq_reg_owner']);
  });

  it('a verified number cannot be typed in by anyone else, and the squatter cannot take it back', async () => {
    expect(await users.call('update', { update: { phone: '138-0013-8000' } }, 'o_sq_squatter')).toMatchObject({ code: -2, data: [] });
    expect(await users.call('login', { phone: '13800138000' }, 'o_sq_latecomer')).toMatchObject({ code: -2, data: [] });
    expect(await holders('13800138000')).toEqual(['o_sq_owner']);
  });

  it('two verified claims conflict: the second binding answers 400 and the first keeps the number', async () => {
    const second = await wechat.login('o_sq_second');
    const res = await wechat.setProfile(second.token, '13800138000');
    expect(res.status).toBe(400);
    expect(await holders('13800138000')).toEqual(['o_sq_owner']);
    expect(await claim('13800138000')).toMatchObject({ owner: 'o_sq_owner', verified: true });
    expect(await wechat.userDoc('o_sq_second')).not.toHaveProperty('phone');
  });

  it("a user's own typed number becomes verified when they bind it, and is then safe", async () => {
    await users.register('o_sq_self', { phone: '13800138022' });
    const self = await wechat.login('o_sq_self');
    expect((await wechat.setProfile(self.token, '13800138022')).status).toBe(200);
    expect(await claim('13800138022')).toMatchObject({ owner: 'o_sq_self', verified: true });
    const other = await wechat.login('o_sq_self_other');
    expect((await wechat.setProfile(other.token, '13800138022')).status).toBe(400);
    expect(await holders('13800138022')).toEqual(['o_sq_self']);
  });

  it('when the squatter and the owner save at the same time, the number ends with the owner only', async () => {
    await users.register('o_sq_race', { phone: '13800138033' });
    const owner = await wechat.login('o_sq_race_owner');
    const fields = await wechat.profileFields('13800138033');
    const [bound, typed] = await Promise.all([
      wechat.http('profile', fields, { token: owner.token }),
      users.call('update', { update: { phone: '138 0013 8033', qq: 'race' } }, 'o_sq_race'),
    ]);
    expect(bound.status).toBe(200);
    expect([0, -2]).toContain(typed.code);
    expect(await holders('13800138033')).toEqual(['o_sq_race_owner']);
    expect(await claim('13800138033')).toMatchObject({ owner: 'o_sq_race_owner', verified: true });
  });
});
