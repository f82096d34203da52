// The wechat HTTP API behaves as HTTP (RFC 9110) and as seed 004 (the contract) says (issues 18
// and 30). The test walks every path and method of the seed, never of the document the server
// serves (that one is generated from our own schemas, so a wrong limit would move both sides):
// - a method a path does not declare answers 405 with `Allow` listing the declared ones
//   (RFC 9110 §15.5.6: "The origin server MUST generate an Allow header field in a 405 response");
// - a protected operation (security: bearer only) answers 401 to a missing or bad token before it
//   looks at the media type or the body (so it reveals nothing of its rules to strangers);
// - each request body: the seed's required fields and types, unknown properties accepted (the
//   seed's schemas do not set additionalProperties: false, and JSON Schema's default is true), and
//   the length and format limits the seed does not state, written here as literals from docs/functions-api.md;
// - 415 appears only where the seed declares it, and only for a body that is not JSON;
// - every status seen is one the seed declares for the operation;
// - and the served document states exactly that: the seed's paths, security and required fields,
//   and the limits of docs/functions-api.md.
// Seed 004 also types refresh-token's users_wx_code `string | null` and says a valid token renews directly.
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { PICTURE, seed, wechatApi } from '../support/wechat-api';
import { jwtSub } from '../support/jwt';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
}
interface Operation {
  operationId: string;
  security?: Array<Record<string, string[]>>;
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
}
interface ServedDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}
interface Answer {
  status: number;
  allow: string | null;
  body: { code?: number; msg?: string; token?: string; data?: Record<string, unknown> };
}

const OPENAPI = '/pb/api/openapi.json';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
const GARBAGE_TOKEN = 'not-a-token';

let emulator: TestEmulator;
let api: ReturnType<typeof wechatApi>;
let served: ServedDocument;
/** Seed 004: the paths, operations and request schemas every check below starts from. */
const doc = seed as unknown as ServedDocument & { components: { schemas: Record<string, JsonSchema> } };

/**
 * Limits seed 004 does not state, as docs/functions-api.md states them ("wechat": users_name 1-32
 * characters, users_wx_code and users_phone_code 1-256, users_picture an http(s) URL of at most
 * 1024; none may be blank; limits hold for the string as sent).
 */
interface Limit { minLength?: number; maxLength: number; notBlank?: boolean; httpUrl?: boolean; onlyWithoutToken?: boolean }
const README_LIMITS: Record<string, Record<string, Limit>> = {
  '/pb/api/wechat/login': { users_wx_code: { minLength: 1, maxLength: 256, notBlank: true } },
  '/pb/api/wechat/profile': { users_name: { minLength: 1, maxLength: 32, notBlank: true }, users_phone_code: { minLength: 1, maxLength: 256, notBlank: true }, users_picture: { maxLength: 1024, httpUrl: true } },
  // Checked only when the token is missing or invalid, so the document (one schema for both cases) cannot state it.
  '/pb/api/system/refresh-token': { users_wx_code: { minLength: 1, maxLength: 256, notBlank: true, onlyWithoutToken: true } },
};
/** Every status each operation answered during this file, to compare with the declared ones. */
const seen = new Map<string, Set<number>>();

beforeAll(async () => {
  emulator = await startTestEmulator({ functionEnv: { RATE_LIMIT_PER_CALLER: '1000', RATE_LIMIT_PER_IP: '10000', RATE_LIMIT_WINDOW_SECONDS: '86400' } });
  api = wechatApi(emulator);
  const res = await fetch(`${emulator.url}${OPENAPI}`);
  expect(res.status).toBe(200);
  served = (await res.json()) as ServedDocument;
});
afterAll(() => emulator.close());

async function send(path: string, method: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${emulator.url}${path}`, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
  const text = await res.text();
  let parsed: Answer['body'] = {};
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    /* HEAD has no body */
  }
  return { status: res.status, allow: res.headers.get('allow'), body: parsed };
}

/** POST path with a JSON body (a string is sent as is) and an optional Bearer token; records the status. */
async function post(path: string, body: unknown, token?: string, contentType = 'application/json'): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': contentType, ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) };
  const answer = await send(path, 'POST', typeof body === 'string' ? body : JSON.stringify(body), headers);
  const statuses = seen.get(path) ?? new Set<number>();
  statuses.add(answer.status);
  seen.set(path, statuses);
  return answer;
}

const bearer = (op: Operation) => {
  const sec = op.security ?? [];
  if (sec.length === 0) return 'none';
  return sec.some((s) => Object.keys(s).length === 0) ? 'optional' : 'required';
};
/** An operation's JSON request schema, its $ref followed into the document's components. */
const bodySchemaIn = (document: ServedDocument, op: Operation): JsonSchema | undefined => {
  const schema = op.requestBody?.content['application/json']?.schema as (JsonSchema & { $ref?: string }) | undefined;
  const ref = schema?.$ref?.replace('#/components/schemas/', '');
  return ref !== undefined ? document.components?.schemas?.[ref] : schema;
};
const bodySchema = (op: Operation) => bodySchemaIn(doc, op);
/** A 400 from body validation names the field first ("users_name must be 1-32 characters"). */
const rejectsField = (a: Answer, field: string) => a.status === 400 && new RegExp(`^${field}\\b`).test(a.body.msg ?? '');

let userSeq = 0;
/** A signed-in user and a request body the operation accepts, fresh for every use. */
async function validRequest(path: string): Promise<{ token: string; body: Record<string, unknown> }> {
  const { token } = await api.login(`o_oa_${++userSeq}`);
  if (path === '/pb/api/wechat/login') return { token, body: { users_wx_code: await emulator.loginCode(`o_oa_${++userSeq}`) } };
  if (path === '/pb/api/wechat/profile') return { token, body: { users_name: '张三', users_phone_code: await emulator.phoneCode(`1390000${String(1000 + userSeq).padStart(4, '0')}`), users_picture: PICTURE } };
  return { token, body: {} };
}

/** A string of exactly `length` characters the field's format accepts. */
function stringOfLength(limit: Limit, length: number): string {
  if (limit.httpUrl) {
    const prefix = `${PICTURE}?q=`;
    return prefix + 'a'.repeat(Math.max(0, length - prefix.length));
  }
  return 'a'.repeat(length);
}

describe('every path and method of seed 004', () => {
  it('serves the four API paths, each POST only', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(['/pb/api/system/refresh-token', '/pb/api/system/users-count', '/pb/api/wechat/login', '/pb/api/wechat/profile']);
  });

  it('answers 405 with Allow to every method a path does not declare (and to non-GET on the document itself)', async () => {
    const paths: Array<[string, string[]]> = [...Object.entries(doc.paths).map(([p, ops]) => [p, Object.keys(ops).map((m) => m.toUpperCase())] as [string, string[]]), [OPENAPI, ['GET']]];
    const wrong: string[] = [];
    for (const [path, declared] of paths) {
      for (const method of METHODS.filter((m) => !declared.includes(m))) {
        const a = await send(path, method, method === 'GET' || method === 'HEAD' ? undefined : '{}', { 'content-type': 'application/json' });
        if (a.status !== 405 || a.allow !== declared.join(', ')) wrong.push(`${method} ${path}: ${a.status} Allow=${a.allow}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers 404 (not 405) on a path it does not serve', async () => {
    expect((await send('/pb/api/wechat/nothing', 'GET')).status).toBe(404);
    expect((await post('/pb/api/wechat/nothing', {})).status).toBe(404);
  });
});

describe('protected operations authenticate first: 401 before media type and body', () => {
  it.each([
    ['no token', undefined],
    ['a garbage token', GARBAGE_TOKEN],
  ])('with %s, whatever the body', async (_, token) => {
    const protectedPaths = Object.entries(doc.paths).filter(([, ops]) => bearer(ops.post as Operation) === 'required').map(([p]) => p);
    expect(protectedPaths).toEqual(['/pb/api/wechat/profile']);
    for (const path of protectedPaths) {
      const { body } = await validRequest(path);
      const answers = [
        await post(path, body, token),
        await post(path, {}, token),
        await post(path, { users_name: 'x'.repeat(99), users_picture: 'ftp://nope' }, token),
        await post(path, '\u0000', token, 'text/plain'),
        await post(path, 'users_name=x', token, 'application/x-www-form-urlencoded'),
        await post(path, '{"users_name": ', token),
      ];
      expect(answers.map((a) => a.status)).toEqual(Array(answers.length).fill(401));
      // The 401 says nothing about the field rules.
      expect(answers.map((a) => a.body.msg).filter((m) => /users_|characters|URL|JSON/i.test(m ?? ''))).toEqual([]);
    }
  });

  it('with a valid token, then the media type (415), then the body (400)', async () => {
    const { token } = await validRequest('/pb/api/wechat/profile');
    expect((await post('/pb/api/wechat/profile', '\u0000', token, 'text/plain')).status).toBe(415);
    expect((await post('/pb/api/wechat/profile', '{"users_name": ', token)).status).toBe(415);
    expect(rejectsField(await post('/pb/api/wechat/profile', {}, token), 'users_name')).toBe(true);
  });
});

describe('refresh-token: a valid token renews whatever the optional users_wx_code holds (seed 004)', () => {
  it.each([
    ['{}', {}],
    ['null', null],
    ['users_wx_code null', { users_wx_code: null }],
    ['users_wx_code ""', { users_wx_code: '' }],
    ['users_wx_code " "', { users_wx_code: ' ' }],
    ['a code WeChat never issued', { users_wx_code: 'wxcode_forged' }],
    ['a very long code', { users_wx_code: 'c'.repeat(5000) }],
    ['an unknown property', { foo: 1 }],
  ])('%s with a valid token → 200 and a new token for the same user', async (_, body) => {
    const { token } = await validRequest('/pb/api/system/refresh-token');
    const a = await post('/pb/api/system/refresh-token', body, token);
    expect(a.status).toBe(200);
    expect(jwtSub(a.body.token)).toBe(jwtSub(token));
    expect(jwtSub(token)).toEqual(expect.any(String));
  });

  it('without a valid token: a blank code is a 400, no code a 401', async () => {
    expect((await post('/pb/api/system/refresh-token', { users_wx_code: ' ' }, GARBAGE_TOKEN)).status).toBe(400);
    expect((await post('/pb/api/system/refresh-token', { users_wx_code: '' })).status).toBe(400);
    expect((await post('/pb/api/system/refresh-token', {}, GARBAGE_TOKEN)).status).toBe(401);
    expect((await post('/pb/api/system/refresh-token', { users_wx_code: null })).status).toBe(401);
  });
});

describe("each request body of the seed, with README's limits, is what the server enforces", () => {
  const operations = () => Object.entries(doc.paths).filter(([, ops]) => bodySchema(ops.post as Operation)).map(([p, ops]) => [p, ops.post as Operation] as const);

  it('declares bodies for login, profile and refresh-token', () => {
    expect(operations().map(([p]) => p).sort()).toEqual(['/pb/api/system/refresh-token', '/pb/api/wechat/login', '/pb/api/wechat/profile']);
  });

  it('unknown properties: accepted and ignored, as the seed does not forbid them (no additionalProperties: false)', async () => {
    for (const [path, op] of operations()) {
      const schema = bodySchema(op) as JsonSchema;
      const { token, body } = await validRequest(path);
      const a = await post(path, { ...body, mini_program_version: '2.0', extra: { nested: true } }, token);
      expect({ path, status: a.status }).toEqual({ path, status: schema.additionalProperties === false ? 400 : 200 });
    }
  });

  it('required fields: a body without one is a 400 naming it', async () => {
    for (const [path, op] of operations()) {
      const schema = bodySchema(op) as JsonSchema;
      for (const field of schema.required ?? []) {
        const { token, body } = await validRequest(path);
        const { [field]: _omitted, ...rest } = body;
        expect({ path, field, rejected: rejectsField(await post(path, rest, token), field) }).toEqual({ path, field, rejected: true });
      }
    }
  });

  it("README's string limits and formats: inside them no field error, outside them a 400 naming the field", async () => {
    const wrong: string[] = [];
    for (const [path, op] of operations()) {
      const schema = bodySchema(op) as JsonSchema;
      expect(Object.keys(README_LIMITS[path] ?? {}).sort()).toEqual(Object.keys(schema.properties ?? {}).sort());
      for (const [field, limit] of Object.entries(README_LIMITS[path] ?? {})) {
        const prop = schema.properties?.[field] as JsonSchema;
        const probes: Array<[string, unknown, boolean]> = [
          [`${limit.maxLength} chars`, stringOfLength(limit, limit.maxLength), true],
          [`${limit.maxLength + 1} chars`, stringOfLength(limit, limit.maxLength + 1), false],
          // The limit holds for the string as sent: a space in front is a character too.
          [`a space and ${limit.maxLength} chars`, ` ${stringOfLength(limit, limit.maxLength)}`, false],
        ];
        if (limit.minLength !== undefined && limit.minLength > 0) probes.push(['empty', '', false]);
        if (limit.notBlank) probes.push(['blank', '   ', false]);
        if (limit.httpUrl) probes.push(['another scheme', 'ftp://img.example.com/a.png', false], ['not a URI', 'not a uri', false]);
        // The seed types every request field as a string (refresh-token's code may also be null).
        const types = ([] as string[]).concat(prop.type ?? []);
        expect({ path, field, string: types.includes('string') }).toEqual({ path, field, string: true });
        probes.push(['a number', 42, false]);
        for (const [what, value, accepted] of probes) {
          const { token, body } = await validRequest(path);
          const a = await post(path, { ...body, [field]: value }, token);
          // refresh-token's code is only looked at without a valid token: probe it that way.
          const probe = path === '/pb/api/system/refresh-token' ? await post(path, { [field]: value }) : a;
          if (rejectsField(probe, field) === accepted) wrong.push(`${path} ${field} ${what}: ${probe.status} ${probe.body.msg}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('415 only where declared, and only for a body that is not JSON', async () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      const op = ops.post as Operation;
      const { token, body } = await validRequest(path);
      const text = await post(path, 'plain words', token, 'text/plain');
      expect({ path, status: text.status }).toEqual({ path, status: op.responses['415'] ? 415 : 200 });
      const asJson = await post(path, JSON.stringify(body), token, 'application/json; charset=utf-8');
      expect({ path, status: asJson.status }).toEqual({ path, status: 200 });
    }
  });
});

describe('the served document /pb/api/openapi.json', () => {
  it("states the seed's paths, methods, security and required fields, and README's length limits", () => {
    const shape = (d: ServedDocument) =>
      Object.fromEntries(Object.entries(d.paths).map(([p, ops]) => [p, Object.fromEntries(Object.entries(ops).map(([m, op]) => [m, { security: op.security ?? [], required: bodySchemaIn(d, op)?.required ?? [] }]))]));
    expect(shape(served)).toEqual(shape(doc));
    const limits = Object.fromEntries(Object.entries(served.paths).flatMap(([p, ops]) => {
      const props = bodySchemaIn(served, ops.post as Operation)?.properties;
      return props ? [[p, Object.fromEntries(Object.entries(props).map(([f, prop]) => [f, prop.maxLength]))]] : [];
    }));
    expect(limits).toEqual(Object.fromEntries(Object.entries(README_LIMITS).map(([p, fields]) => [p, Object.fromEntries(Object.entries(fields).map(([f, l]) => [f, l.onlyWithoutToken ? undefined : l.maxLength]))])));
  });

  it('declares for each operation the statuses the seed declares', () => {
    const statuses = (d: ServedDocument) => Object.fromEntries(Object.entries(d.paths).map(([p, ops]) => [p, Object.keys((ops.post as Operation).responses).sort()]));
    expect(statuses(served)).toEqual(statuses(doc));
  });
});

describe('statuses', () => {
  it('every status an operation answered in this file is one the seed declares for it', () => {
    const undeclared: string[] = [];
    for (const [path, statuses] of seen) {
      const op = doc.paths[path]?.post;
      for (const status of statuses) if (op && !op.responses[String(status)]) undeclared.push(`${path} ${status}`);
    }
    expect(seen.size).toBeGreaterThanOrEqual(4);
    expect(undeclared).toEqual([]);
  });
});
