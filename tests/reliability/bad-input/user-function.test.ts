// Reliability under bad input, the user function: property-based fuzzing (fast-check) of every
// handler through callFunction (end users, a server, a client context without an openid). Every
// answer is one of the function's documented error shapes, nothing crashes or times out, and a
// refused call writes nothing.
//
// "Writes nothing" is the store's write counter (what GET /_emulator/stats reports) minus writes
// to the two caches: wechat login and refresh-token count rate-limit hits (rate_limits) before
// they can refuse anything, and any WeChat call may refresh the cached access token
// (wechat_tokens). Rate limits are raised so that fuzzing is not one long 429 (./kit.ts).
//
// Runs replay (tests/support/fuzz.ts): one logged seed, fixed in CI (FUZZ_SEED=random explores:
// `npm run test:fuzz`), shrinking on, and the store put back to its state after beforeAll before
// every case, so a printed counterexample replays alone. Each property checks its own number of
// cases, so `npx jest <this file> -t <name>` runs one. The files of this folder check 12,270 cases
// in all, split so that jest's workers share them.
import fc from 'fast-check';
import { fuzz } from '../../support/fuzz';
import { NAMES, RUNS, caller, callerOpenid, check, eventOf, expectNoProblems, extra, freshState, junk, payload, placement, str, useBadInputEmulator } from './kit';

useBadInputEmulator();

describe.each(['user'])('the %s function under random events', (fn) => {
  it.each(NAMES[fn] as string[])(`answers every random %s call with a documented code and writes nothing when refusing`, async (name) => {
    const runs = name === 'createAllJob' ? 150 : (RUNS[fn] as number); // a whole backup per success takes a while
    await fuzz(
      fc.asyncProperty(caller, payload(fn), placement, extra, async (who, fields, where, more) => {
        const actual = callerOpenid(who);
        const event = await eventOf(name, fields, where, more, actual);
        expectNoProblems(await check(fn, event, actual));
      }).beforeEach(freshState),
      runs,
    );
  }, 180_000);

  it('answers unknown names and malformed events with UNKNOWN_ACTION or INVALID_PARAMS, writing nothing', async () => {
    const name = fc.oneof(str(12), fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', ' login', 'LOGIN', undefined), junk);
    await fuzz(
      fc.asyncProperty(caller, name, fc.dictionary(str(10), junk, { maxKeys: 4 }), async (who, n, more) => {
        const actual = callerOpenid(who);
        if (typeof n === 'string' && (NAMES[fn] as string[]).includes(n)) return;
        expectNoProblems(await check(fn, JSON.parse(JSON.stringify({ ...more, name: n })) as Record<string, unknown>, actual));
      }).beforeEach(freshState),
      150,
    );
  }, 180_000);
});

