// /_emulator/openapi/...: configure the cloud-call stand-ins (the content-security word list,
// subscription templates, users' grants, injected faults) and read the outbox. The console's
// Cloud calls screen uses these routes; the server mounts them behind the emulator's door.
import { z } from 'zod';
import { ApiError, pathParam, type ApiTable } from '../http/api-table';
import { LABELS } from './content-security';
import type { CloudCallsState } from './cloud-calls-state';
import { isKnownKeyword } from './subscribe-messages';

const wordSchema = z.object({
  word: z.string().min(1).max(200),
  suggest: z.enum(['review', 'risky']),
  label: z.number().int().refine((l) => Object.hasOwn(LABELS, l) && l !== 100, `label must be one of WeChat's labels: ${Object.keys(LABELS).filter((l) => l !== '100').join(', ')}`),
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
  if (!parsed.success) throw new ApiError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

export const cloudCallsControlRoutes = (s: CloudCallsState) => ({
  state: ['GET', '/_emulator/openapi/state', () => s.summary()],
  words: ['GET', '/_emulator/openapi/content-security/words', () => s.content.words()],
  // POST replaces the whole list (the control routes take bodies on POST).
  setWords: ['POST', '/_emulator/openapi/content-security/words', ({ body }) => {
    s.content.setWords(parse(z.object({ words: z.array(wordSchema).max(1000) }), body).words);
    return s.content.words();
  }],
  resetWords: ['POST', '/_emulator/openapi/content-security/words/reset', () => {
    s.content.reset();
    return s.content.words();
  }],
  templates: ['GET', '/_emulator/openapi/templates', () => s.messages.listTemplates()],
  putTemplate: ['POST', '/_emulator/openapi/templates', ({ body }) => {
    const template = parse(templateSchema, body);
    s.messages.putTemplate(template);
    return template;
  }],
  removeTemplate: ['DELETE', /^\/_emulator\/openapi\/templates\/([^/]+)$/, (r) => {
    const id = pathParam(r, 0, 'the template id');
    if (!s.messages.removeTemplate(id)) throw new ApiError(404, `no template ${id}`);
    return { ok: true };
  }],
  subscriptions: ['GET', '/_emulator/openapi/subscriptions', () => s.messages.subscriptions()],
  grant: ['POST', '/_emulator/openapi/subscriptions', ({ body }) => {
    const { openid, templateId, times } = parse(subscriptionSchema, body);
    if (!s.messages.hasTemplate(templateId)) throw new ApiError(404, `no template ${templateId}: register it first`);
    return { openid, templateId, remaining: s.messages.grant(openid, templateId, times) };
  }],
  outbox: ['GET', '/_emulator/openapi/outbox', () => s.messages.outbox()],
  clearOutbox: ['DELETE', '/_emulator/openapi/outbox', () => {
    s.messages.clearOutbox();
    return { ok: true };
  }],
  faults: ['GET', '/_emulator/openapi/faults', () => s.faults],
  injectFault: ['POST', '/_emulator/openapi/faults', ({ body }) => {
    const f = parse(faultSchema, body);
    s.faults.push({ api: f.api, kind: f.kind, errcode: f.errcode, remaining: f.times });
    return { ok: true };
  }],
  clearFaults: ['DELETE', '/_emulator/openapi/faults', () => {
    s.faults.length = 0;
    return { ok: true };
  }],
}) satisfies ApiTable;
