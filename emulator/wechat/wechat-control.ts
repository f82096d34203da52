// /_emulator/wechat/*: the WeChat stand-in's control routes (mint login and phone codes, expire
// access tokens, inject faults, hold requests and jobs, inspect and reset its state). Never part
// of WeChat; never referenced by production code.
import { ApiError, type ApiTable } from '../http/api-table';
import type { WechatState } from './wechat-state';

const str = (body: Record<string, unknown>, field: string): string => {
  const v = body[field];
  if (typeof v !== 'string' || v.trim() === '') throw new ApiError(400, `${field} must be a non-empty string`);
  return v;
};

const int = (body: Record<string, unknown>, field: string, fallback: number): number => {
  const v = body[field] ?? fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new ApiError(400, `${field} must be a whole number`);
  return v;
};

export const wechatControlRoutes = (wechat: WechatState, jobsSettled: () => Promise<void>) => ({
  loginCode: ['POST', /^\/_emulator\/wechat\/login-code$/, ({ body }) => ({ code: wechat.mintLoginCode(str(body, 'openid'), typeof body.unionid === 'string' ? body.unionid : undefined, Date.now()) })],
  phoneCode: ['POST', /^\/_emulator\/wechat\/phone-code$/, ({ body }) => {
    const phone = str(body, 'phoneNumber');
    if (!/^\+?\d{5,20}$/.test(phone)) throw new ApiError(400, 'phoneNumber must be digits');
    const countryCode = body.countryCode === undefined ? '86' : body.countryCode;
    if (typeof countryCode !== 'string' || !/^\d{1,4}$/.test(countryCode)) throw new ApiError(400, 'countryCode must be 1-4 digits');
    return { code: wechat.mintPhoneCode(phone, Date.now(), countryCode) };
  }],
  expireAccessTokens: ['POST', /^\/_emulator\/wechat\/expire-access-tokens$/, () => {
    wechat.expireTokens(Date.now());
    return { ok: true };
  }],
  faults: ['POST', /^\/_emulator\/wechat\/faults$/, ({ body }) => {
    const kind = str(body, 'kind');
    if (!['http500', 'errcode', 'delay', 'drop', 'hold'].includes(kind)) throw new ApiError(400, 'kind must be http500, errcode, delay, drop or hold');
    wechat.faults.push({ path: str(body, 'path'), kind: kind as 'http500', errcode: int(body, 'errcode', -1), delayMs: int(body, 'delayMs', 10_000), remaining: int(body, 'times', 1) });
    return { ok: true };
  }],
  releaseHeld: ['POST', /^\/_emulator\/wechat\/release-held$/, () => ({ released: wechat.releaseHeld() })],
  holdJobs: ['POST', /^\/_emulator\/wechat\/jobs\/hold$/, () => {
    wechat.jobsHeld = true;
    return { ok: true };
  }],
  // Answers once every export or import job's work has finished (their writes included).
  settleJobs: ['POST', /^\/_emulator\/wechat\/jobs\/settle$/, async () => {
    await jobsSettled();
    return { ok: true };
  }],
  releaseJobs: ['POST', /^\/_emulator\/wechat\/jobs\/release$/, () => {
    wechat.jobsHeld = false;
    return { ok: true };
  }],
  state: ['GET', /^\/_emulator\/wechat\/state$/, () => ({
    appid: wechat.appid,
    heldRequests: wechat.held.length,
    calls: Object.fromEntries(wechat.calls),
    accessTokens: [...wechat.tokens.values()].map((t) => ({ token: `${t.token.slice(0, 10)}…`, issuedAt: new Date(t.issuedAt).toISOString(), expiresAt: new Date(t.expiresAt).toISOString(), revoked: t.revoked })),
    jobs: [...wechat.jobs.values()].map((job) => ({ ...job, status: wechat.jobStatusAt(job, Date.now()) })),
  })],
  resetStats: ['POST', /^\/_emulator\/wechat\/reset-stats$/, () => {
    wechat.calls.clear();
    return { ok: true };
  }],
}) satisfies ApiTable;
