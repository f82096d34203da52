// /_emulator/openapi/...: configure the cloud-call stand-ins (the content-security word list,
// subscription templates, users' grants, injected faults) and read the outbox. The console's
// Cloud calls screen uses these routes. Bodies go through the emulator's door (readJsonRequest).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { sendJson } from '../http/http-utils';
import { assertSameOrigin, readJsonRequest, RequestRefused } from '../http/json-request';
import { decodePathSegment } from '../http/request-url';
import { LABELS } from './content-security';
import type { CloudCallsState } from './cloud-calls-state';
import { isKnownKeyword } from './subscribe-messages';

export const CONTROL_PREFIX = '/_emulator/openapi/';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type ControlHandler = (state: CloudCallsState, body: unknown, match: RegExpMatchArray) => unknown;

class ControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const wordSchema = z.object({
  word: z.string().min(1).max(200),
  suggest: z.enum(['review', 'risky']),
  label: z.number().int().refine((l) => l in LABELS && l !== 100, `label must be one of WeChat's labels: ${Object.keys(LABELS).filter((l) => l !== '100').join(', ')}`),
});
const templateSchema = z.object({
  templateId: z.string().min(1).max(128),
  title: z.string().min(1).max(64),
  keys: z.array(z.string().refine(isKnownKeyword, 'a keyword key is a type and a number, e.g. thing1, time2, number3, phrase4, character_string5')).min(1).max(20),
});
const subscriptionSchema = z.object({ openid: z.string().min(1), templateId: z.string().min(1), times: z.number().int().min(1).max(1000).default(1) });
const faultSchema = z.object({ api: z.string().min(1), kind: z.enum(['errcode', 'timeout', 'system']), errcode: z.number().int().default(-1), times: z.number().int().min(1).max(1000).default(1) });

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ControlError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

const segment = (m: RegExpMatchArray) => {
  const decoded = decodePathSegment(m[1] as string);
  if (decoded === undefined) throw new ControlError(400, 'the name in the path is not valid percent-encoding');
  return decoded;
};

const ROUTES: Array<[Method, RegExp, ControlHandler]> = [
  ['GET', /^\/_emulator\/openapi\/state$/, (s) => s.summary()],
  ['GET', /^\/_emulator\/openapi\/content-security\/words$/, (s) => s.content.words()],
  ['PUT', /^\/_emulator\/openapi\/content-security\/words$/, (s, body) => {
    s.content.setWords(parse(z.object({ words: z.array(wordSchema).max(1000) }), body).words);
    return s.content.words();
  }],
  ['POST', /^\/_emulator\/openapi\/content-security\/words\/reset$/, (s) => {
    s.content.reset();
    return s.content.words();
  }],
  ['GET', /^\/_emulator\/openapi\/templates$/, (s) => s.messages.listTemplates()],
  ['POST', /^\/_emulator\/openapi\/templates$/, (s, body) => {
    const template = parse(templateSchema, body);
    s.messages.putTemplate(template);
    return template;
  }],
  ['DELETE', /^\/_emulator\/openapi\/templates\/([^/]+)$/, (s, _b, m) => {
    if (!s.messages.removeTemplate(segment(m))) throw new ControlError(404, `no template ${segment(m)}`);
    return { ok: true };
  }],
  ['GET', /^\/_emulator\/openapi\/subscriptions$/, (s) => s.messages.subscriptions()],
  ['POST', /^\/_emulator\/openapi\/subscriptions$/, (s, body) => {
    const { openid, templateId, times } = parse(subscriptionSchema, body);
    if (!s.messages.hasTemplate(templateId)) throw new ControlError(404, `no template ${templateId}: register it first`);
    return { openid, templateId, remaining: s.messages.grant(openid, templateId, times) };
  }],
  ['GET', /^\/_emulator\/openapi\/outbox$/, (s) => s.messages.outbox()],
  ['DELETE', /^\/_emulator\/openapi\/outbox$/, (s) => {
    s.messages.clearOutbox();
    return { ok: true };
  }],
  ['GET', /^\/_emulator\/openapi\/faults$/, (s) => s.faults],
  ['POST', /^\/_emulator\/openapi\/faults$/, (s, body) => {
    const f = parse(faultSchema, body);
    s.faults.push({ api: f.api, kind: f.kind, errcode: f.errcode, remaining: f.times });
    return { ok: true };
  }],
  ['DELETE', /^\/_emulator\/openapi\/faults$/, (s) => {
    s.faults.length = 0;
    return { ok: true };
  }],
];

/** Answers a request under CONTROL_PREFIX. */
export async function handleCloudCallsControl(req: IncomingMessage, res: ServerResponse, url: URL, state: CloudCallsState): Promise<void> {
  for (const [method, pattern, handler] of ROUTES) {
    const match = url.pathname.match(pattern);
    if (!match || req.method !== method) continue;
    try {
      let body: unknown = {};
      if (method === 'POST' || method === 'PUT') body = (await readJsonRequest(req, { limitBytes: 1024 * 1024 })) ?? {};
      else if (method === 'DELETE') assertSameOrigin(req);
      return sendJson(res, 200, await handler(state, body, match), { 'cache-control': 'no-store' });
    } catch (err) {
      if (err instanceof ControlError || err instanceof RequestRefused) return sendJson(res, err.status, { error: err.message });
      throw err;
    }
  }
  sendJson(res, 404, { error: `no cloud-call control route ${req.method} ${url.pathname}` });
}
