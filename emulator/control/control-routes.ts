// /_emulator/*: the emulator's own control API (mint WeChat codes, fire timers, inspect state,
// inject WeChat faults). Never part of CloudBase; never referenced by production code. POST bodies
// go through the emulator's door (readJsonRequest): JSON only, same origin only, bounded nesting.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/http-utils';
import { readJsonRequest, RequestRefused } from '../http/json-request';
import { decodePathSegment } from '../http/request-url';
import type { EmulatorContext } from '../emulator-context';

type Handler = (ctx: EmulatorContext, body: Record<string, unknown>, match: RegExpMatchArray, url: URL) => Promise<unknown> | unknown;

class ControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const str = (body: Record<string, unknown>, field: string): string => {
  const v = body[field];
  if (typeof v !== 'string' || v.trim() === '') throw new ControlError(400, `${field} must be a non-empty string`);
  return v;
};

const ROUTES: Array<[string, RegExp, Handler]> = [
  ['POST', /^\/_emulator\/wechat\/login-code$/, (ctx, body) => ({ code: ctx.wechat.mintLoginCode(str(body, 'openid'), typeof body.unionid === 'string' ? body.unionid : undefined, Date.now()) })],
  ['POST', /^\/_emulator\/wechat\/phone-code$/, (ctx, body) => {
    const phone = str(body, 'phoneNumber');
    if (!/^\+?\d{5,20}$/.test(phone)) throw new ControlError(400, 'phoneNumber must be digits');
    const countryCode = body.countryCode === undefined ? '86' : body.countryCode;
    if (typeof countryCode !== 'string' || !/^\d{1,4}$/.test(countryCode)) throw new ControlError(400, 'countryCode must be 1-4 digits');
    return { code: ctx.wechat.mintPhoneCode(phone, Date.now(), countryCode) };
  }],
  ['POST', /^\/_emulator\/wechat\/expire-access-tokens$/, (ctx) => {
    ctx.wechat.expireTokens(Date.now());
    return { ok: true };
  }],
  ['POST', /^\/_emulator\/wechat\/faults$/, (ctx, body) => {
    const kind = str(body, 'kind');
    if (!['http500', 'errcode', 'delay', 'drop', 'hold'].includes(kind)) throw new ControlError(400, 'kind must be http500, errcode, delay, drop or hold');
    ctx.wechat.faults.push({ path: str(body, 'path'), kind: kind as 'http500', errcode: Number(body.errcode ?? -1), delayMs: Number(body.delayMs ?? 10_000), remaining: Number(body.times ?? 1) });
    return { ok: true };
  }],
  ['POST', /^\/_emulator\/wechat\/release-held$/, (ctx) => ({ released: ctx.wechat.releaseHeld() })],
  ['POST', /^\/_emulator\/wechat\/jobs\/hold$/, (ctx) => {
    ctx.migrations.hold(true);
    return { ok: true };
  }],
  ['POST', /^\/_emulator\/wechat\/jobs\/release$/, (ctx) => {
    ctx.migrations.hold(false);
    return { ok: true };
  }],
  ['GET', /^\/_emulator\/wechat\/state$/, (ctx) => ({
    appid: ctx.wechat.appid,
    heldRequests: ctx.wechat.held.length,
    calls: Object.fromEntries(ctx.wechat.calls),
    accessTokens: [...ctx.wechat.tokens.values()].map((t) => ({ token: `${t.token.slice(0, 10)}…`, issuedAt: new Date(t.issuedAt).toISOString(), expiresAt: new Date(t.expiresAt).toISOString(), revoked: t.revoked })),
    jobs: [...ctx.wechat.jobs.values()],
  })],
  ['POST', /^\/_emulator\/wechat\/reset-stats$/, (ctx) => {
    ctx.wechat.calls.clear();
    return { ok: true };
  }],
  ['GET', /^\/_emulator\/functions$/, (ctx) => ctx.runner.definitions().map((d) => ({ name: d.name, config: d.config, instances: ctx.runner.instanceCount(d.name) }))],
  ['GET', /^\/_emulator\/timers$/, (ctx) => ctx.timers.list()],
  ['POST', /^\/_emulator\/functions\/([^/]+)\/triggers\/([^/]+)\/fire$/, async (ctx, _b, m) => {
    const fn = decodePathSegment(m[1] as string);
    const trigger = decodePathSegment(m[2] as string);
    if (fn === undefined || trigger === undefined) throw new ControlError(400, 'the function or trigger name in the path is not valid percent-encoding');
    if (!ctx.timers.list().some((t) => t.function === fn && t.trigger === trigger)) throw new ControlError(404, `no trigger ${trigger} on function ${fn}`);
    const outcome = await ctx.timers.fire(fn, trigger);
    return outcome.ok ? { ok: true, result: outcome.result } : { ok: false, error: outcome.message };
  }],
  ['GET', /^\/_emulator\/logs$/, (ctx) => ctx.log.list()],
  ['GET', /^\/_emulator\/collections$/, async (ctx) => Promise.all(ctx.store.listCollections().map(async (name) => ({ name, count: await ctx.store.count(name, {}), uniqueIndexes: ctx.store.uniqueFields(name) })))],
  ['GET', /^\/_emulator\/stats$/, (ctx) => ({ writes: ctx.store.writeCount })],
];

export async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, ctx: EmulatorContext): Promise<void> {
  for (const [method, pattern, handler] of ROUTES) {
    const match = url.pathname.match(pattern);
    if (!match || req.method !== method) continue;
    try {
      const body = method === 'POST' ? ((await readJsonRequest(req, { limitBytes: 1024 * 1024 })) ?? {}) : {};
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ControlError(400, 'body must be a JSON object');
      return sendJson(res, 200, await handler(ctx, body as Record<string, unknown>, match, url));
    } catch (err) {
      if (err instanceof ControlError || err instanceof RequestRefused) return sendJson(res, err.status, { error: err.message });
      console.error(`[emulator] ${req.method} ${url.pathname} failed`, err);
      return sendJson(res, 500, { error: (err as Error).message });
    }
  }
  sendJson(res, 404, { error: `no control route ${req.method} ${url.pathname}` });
}
