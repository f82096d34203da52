// Reliability under load: hundreds of concurrent mixed calls from 60 users (wechat HTTP logins
// racing common.login for the same openid, then profile updates with phone codes, history
// additions, users-count and common.login all at once). Every call is answered without a 5xx,
// and afterwards each user's data is whole: one document per openid, unique ids, every history
// entry kept, and every phone number held by exactly one user. Rate limits are raised so they
// do not interfere.
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { ROUTES } from '../support/wechat-api';
import { Tally } from './support';

const USERS = 60;
const HISTORY_PER_USER = 4;
/** Users 0..2*CONTESTED-1 claim one number per pair at the same time: exactly one of each pair wins. */
const CONTESTED = 5;
const HUGE = '1000000000';
const tally = new Tally();
let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({ functionEnv: { RATE_LIMIT_PER_IP: HUGE, RATE_LIMIT_PER_CALLER: HUGE } });
});
afterAll(async () => {
  const lost = tally.save();
  await emulator?.close();
  // Every call's `expected` check and every consistency check counts: a 4xx where a 200 was due fails here.
  expect({ lost, failures: tally.failures() }).toEqual({ lost: 0, failures: [] });
});

const openids = Array.from({ length: USERS }, (_, i) => `o_load_${i}`);
const phoneOf = (i: number) => (i < 2 * CONTESTED ? `1380000${String(Math.floor(i / 2)).padStart(4, '0')}` : `1390000${String(i).padStart(4, '0')}`);
const entries = (i: number) => Array.from({ length: HISTORY_PER_USER }, (_, k) => `load search ${i}.${k}`);

interface Answer { status: number; body: Record<string, unknown> }

/**
 * Sends one call and counts it under `category`: lost when it gets no answer or a 5xx (a request
 * the service dropped under load); passed when `expected` holds for the answer.
 */
async function send(category: string, call: () => Promise<Answer>, expected: (a: Answer) => boolean): Promise<Answer | undefined> {
  try {
    const answer = await call();
    tally.count(category, { passed: answer.status < 500 && expected(answer), lost: answer.status >= 500 ? 1 : 0 });
    return answer;
  } catch (err) {
    tally.count(category, { passed: false, lost: 1 });
    console.error(`[load] ${category} got no answer: ${String(err)}`);
    return undefined;
  }
}

const http = (route: string, body: unknown, token?: string) => () => emulator.post<Record<string, unknown>>(route, body, token ? { authorization: `Bearer ${token}` } : {});
const fn = (name: string, event: Record<string, unknown>, openid: string) => async (): Promise<Answer> => {
  const res = await emulator.callFunction<Record<string, unknown>>(name, event, openid);
  return { status: res.status, body: (res.body.result ?? res.body) as Record<string, unknown> };
};

let tokens: string[] = [];
let firstIds: number[] = [];
let profiles: Array<Answer | undefined> = [];

describe(`${USERS} users at once`, () => {
  it('answers 120 concurrent first logins (wechat over HTTP racing common.login for each openid) with 200', async () => {
    const codes = await Promise.all(openids.map((o) => emulator.loginCode(o)));
    const started = Date.now();
    const answers = await Promise.all(
      openids.flatMap((o, i) => [
        send('load: wechat HTTP login', http(ROUTES.login, { users_wx_code: codes[i] }), (a) => a.status === 200 && typeof a.body.token === 'string'),
        send('load: common.login', fn('common', { name: 'login' }, o), (a) => a.status === 200 && a.body.openid === o),
      ]),
    );
    tally.note(`[load] wave 1: ${answers.length} concurrent calls in ${Date.now() - started} ms`);
    expect(answers.map((a) => a?.status)).toEqual(answers.map(() => 200));
    tokens = openids.map((_, i) => answers[2 * i]?.body.token as string);
    firstIds = openids.map((_, i) => answers[2 * i + 1]?.body.id as number);
  }, 120_000);

  it('answers 420 concurrent mixed calls (profiles, history, users-count, common.login) without a 5xx', async () => {
    const phoneCodes = await Promise.all(openids.map((_, i) => emulator.phoneCode(phoneOf(i))));
    const started = Date.now();
    const calls = openids.flatMap((o, i) => [
      send('load: wechat HTTP profile', http(ROUTES.profile, { users_name: `user ${i}`, users_phone_code: phoneCodes[i], users_picture: `https://img.example.com/${i}.png` }, tokens[i]), (a) => a.status === 200 || (i < 2 * CONTESTED && a.status === 400)),
      ...entries(i).map((hist) => send('load: user.addHistory', fn('user', { name: 'addHistory', hist }, o), (a) => a.status === 200 && a.body.code === 0)),
      send('load: wechat HTTP users-count', http(ROUTES.usersCount, {}), (a) => a.status === 200 && (a.body.data as { total_users: number }).total_users >= USERS),
      send('load: common.login', fn('common', { name: 'login' }, o), (a) => a.status === 200 && a.body.id === firstIds[i]),
    ]);
    const answers = await Promise.all(calls);
    tally.note(`[load] wave 2: ${answers.length} concurrent calls in ${Date.now() - started} ms`);
    profiles = openids.map((_, i) => answers[i * (HISTORY_PER_USER + 3)]);
    expect(answers.filter((a) => a === undefined || a.status >= 500)).toEqual([]);
  }, 120_000);
});

describe('afterwards, every user', () => {
  const users = async () => emulator.context.store.find('users', {});
  const consistent = (ok: boolean, lost = 0) => tally.count('load: data consistency', { passed: ok, lost });

  it('has exactly one users document per openid, and the ids are unique', async () => {
    const all = await users();
    for (const o of openids) {
      const mine = all.filter((u) => u.openid === o).length;
      consistent(mine === 1, mine === 0 ? 1 : 0);
      expect(mine).toBe(1);
    }
    const ids = all.map((u) => u.id);
    consistent(new Set(ids).size === ids.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(all).toHaveLength(USERS);
  });

  it('kept every history entry it added (all within the cap of 20)', async () => {
    const all = await users();
    for (const [i, o] of openids.entries()) {
      const history = (all.find((u) => u.openid === o)?.history ?? []) as string[];
      const missing = entries(i).filter((e) => !history.includes(e));
      consistent(missing.length === 0 && history.length === HISTORY_PER_USER, missing.length);
      expect({ o, missing, extra: history.filter((h) => !entries(i).includes(h)) }).toEqual({ o, missing: [], extra: [] });
    }
  });

  it('holds a phone number no other user holds: one winner per contested number, and claims match holders', async () => {
    const all = await users();
    const phones = all.map((u) => u.phone).filter((p): p is string => typeof p === 'string');
    consistent(new Set(phones).size === phones.length);
    expect(new Set(phones).size).toBe(phones.length);
    for (const [i, o] of openids.entries()) {
      const doc = all.find((u) => u.openid === o);
      const won = profiles[i]?.status === 200;
      consistent(won ? doc?.phone === phoneOf(i) : doc?.phone === undefined, won && doc?.phone !== phoneOf(i) ? 1 : 0);
      expect({ o, phone: doc?.phone }).toEqual({ o, phone: won ? phoneOf(i) : undefined });
    }
    for (let pair = 0; pair < CONTESTED; pair++) expect([profiles[2 * pair]?.status, profiles[2 * pair + 1]?.status].sort()).toEqual([200, 400]);
    const claims = await emulator.context.store.find('phone_claims', {});
    const holders = new Map(all.filter((u) => u.phone).map((u) => [u.phone, u.openid]));
    consistent(claims.length === holders.size && claims.every((c) => holders.get(c._id) === c.owner));
    expect(claims.map((c) => [c._id, c.owner]).sort()).toEqual([...holders].sort());
  });
});

// A user saving the profile twice at once — a new number and a re-submit of the current one —
// must neither hold a number whose claim was released (two holders) nor leave a claim on a number
// nobody holds (shared/services/save-profile.ts serialises one user's saves).
describe('users saving their phone number twice at once (a double tap), then others trying those numbers', () => {
  const DOUBLE = Array.from({ length: 30 }, (_, k) => 10 + k); // 10..29 wechat profile, 30..39 user.update
  const newPhone = (i: number) => `1370000${String(i).padStart(4, '0')}`;
  const takerOf = (i: number) => (i + 30) % USERS; // 40..59 and 0..9
  const takes = new Map<string, number>();

  it('answers every double save and every attempt to take those numbers without a 5xx', async () => {
    const saves = await Promise.all(
      DOUBLE.flatMap((i) =>
        [newPhone(i), phoneOf(i)].map(async (number) => {
          if (i >= 30) return send('load: double save (user.update)', fn('user', { name: 'update', update: { phone: number } }, openids[i] as string), (a) => a.body.code === 0);
          return send('load: double save (wechat profile)', http(ROUTES.profile, { users_name: `user ${i}`, users_phone_code: await emulator.phoneCode(number), users_picture: 'https://img.example.com/x.png' }, tokens[i]), (a) => a.status === 200);
        }),
      ),
    );
    expect(saves.filter((a) => a === undefined || a.status >= 500)).toEqual([]);
    for (const i of DOUBLE) {
      for (const number of [phoneOf(i), newPhone(i)]) {
        const a = await send('load: taking a double-saved number', http(ROUTES.profile, { users_name: 'taker', users_phone_code: await emulator.phoneCode(number), users_picture: 'https://img.example.com/t.png' }, tokens[takerOf(i)]), (r) => r.status === 200 || r.status === 400);
        takes.set(number, a?.status ?? 0);
      }
    }
  }, 120_000);

  it('lets another user take exactly the one of the two numbers the saver does not hold', async () => {
    const all = await emulator.context.store.find('users', {});
    const wrong = DOUBLE.flatMap((i) => {
      const held = all.find((u) => u.openid === openids[i])?.phone;
      const expected = { [phoneOf(i)]: held === phoneOf(i) ? 400 : 200, [newPhone(i)]: held === newPhone(i) ? 400 : 200 };
      const got = { [phoneOf(i)]: takes.get(phoneOf(i)), [newPhone(i)]: takes.get(newPhone(i)) };
      return JSON.stringify(expected) === JSON.stringify(got) ? [] : [{ saver: openids[i], held, expected, got }];
    });
    tally.count('load: data consistency', { passed: wrong.length === 0 });
    expect(wrong).toEqual([]);
  });

  it('keeps each number with one holder and each claim with its holder', async () => {
    const all = await emulator.context.store.find('users', {});
    const phones = all.map((u) => u.phone).filter((p): p is string => typeof p === 'string');
    const twice = phones.filter((p, k) => phones.indexOf(p) !== k);
    const holders = new Map(all.filter((u) => u.phone).map((u) => [u.phone, u.openid]));
    const orphans = (await emulator.context.store.find('phone_claims', {})).filter((c) => holders.get(c._id) !== c.owner).map((c) => c._id);
    tally.count('load: data consistency', { passed: twice.length === 0 && orphans.length === 0 });
    expect({ heldTwice: twice, claimsWithoutTheirHolder: orphans }).toEqual({ heldTwice: [], claimsWithoutTheirHolder: [] });
  });
});
