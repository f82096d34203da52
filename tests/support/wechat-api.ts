// Seed 004 as the judge of the wechat API: every response a wechat test receives, over HTTP access
// or callFunction, is checked against the seed's own response schema for its status (ajv 2020),
// and its HTTP status against body.code. Plus the calls the wechat tests make.
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { sdkFor, type TestEmulator } from './emulator';

// A copy of seed 004 (the contract) kept in the repository so the tests run from any checkout.
export const SEED_FILE = process.env.WECHAT_API_SEED ?? path.resolve(__dirname, '../fixtures/contracts/004-wechat-api.openapi.yaml');

interface SeedOperation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, SeedOperation>>;
  components: Record<string, unknown>;
}

export const seed = parse(fs.readFileSync(SEED_FILE, 'utf8')) as OpenApiDocument;

const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
addFormats(ajv);
// OpenAPI annotations ajv does not know; `components` holds the seed's schemas, reached by $ref.
for (const keyword of ['example', 'components']) ajv.addKeyword(keyword);
ajv.addSchema({ $id: 'seed', components: seed.components });

export const ROUTES = {
  login: '/pb/api/wechat/login',
  profile: '/pb/api/wechat/profile',
  refreshToken: '/pb/api/system/refresh-token',
  usersCount: '/pb/api/system/users-count',
} as const;
export type Operation = keyof typeof ROUTES;

const validators = new Map<string, ValidateFunction>();

/** What is wrong with `body` as the `status` response of POST `route` by the seed; [] when nothing. */
export function contractProblems(route: string, status: number, body: unknown): string[] {
  const response = seed.paths[route]?.post?.responses[String(status)];
  if (!response) return [`the seed lists no ${status} response for POST ${route}`];
  const ref = response.content?.['application/json']?.schema?.$ref;
  if (!ref?.startsWith('#/')) return [`the seed's ${status} response of POST ${route} has no JSON schema $ref`];
  const id = `seed${ref}`;
  const validate = validators.get(id) ?? ajv.compile({ $ref: id });
  validators.set(id, validate);
  const problems = validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || 'body'} ${e.message}`);
  // The seed marks almost nothing required, yet a client written against it reads every property it
  // documents: a documented property missing from the response is a broken contract too.
  problems.push(...missingDocumented({ $ref: ref }, body, 'body'));
  const code = (body as { code?: unknown } | null)?.code;
  if (code !== status) problems.push(`body.code ${String(code)} is not the HTTP status ${status}`);
  return problems;
}

interface SeedSchema {
  $ref?: string;
  allOf?: SeedSchema[];
  properties?: Record<string, SeedSchema>;
}

function resolve(schema: SeedSchema): SeedSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  return resolve((seed.components.schemas as Record<string, SeedSchema>)[name] ?? {});
}

/** Every property the seed documents (through $ref and allOf) that an object in `value` lacks. */
export function missingDocumented(schema: SeedSchema, value: unknown, where: string): string[] {
  const s = resolve(schema);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const problems = (s.allOf ?? []).flatMap((part) => missingDocumented(part, value, where));
  for (const [key, sub] of Object.entries(s.properties ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) problems.push(`${where}.${key} is documented by the seed but missing`);
    else problems.push(...missingDocumented(sub, (value as Record<string, unknown>)[key], `${where}.${key}`));
  }
  return [...new Set(problems)];
}

export interface WechatBody {
  code: number;
  msg: string;
  data: Record<string, any>;
  token?: string;
}
export interface Reply {
  status: number;
  body: WechatBody;
}
export interface Fault {
  path: '/sns/jscode2session' | '/wxa/business/getuserphonenumber' | '/cgi-bin/stable_token';
  kind: 'http500' | 'errcode' | 'delay' | 'drop' | 'hold';
  errcode?: number;
  delayMs?: number;
  times?: number;
}

export const PICTURE = 'https://img.example.com/avatar.png';

export function wechatApi(emulator: TestEmulator) {
  const conforming = (route: string, status: number, body: WechatBody): Reply => {
    expect(contractProblems(route, status, body)).toEqual([]);
    return { status, body };
  };
  const users = () => {
    // What CloudBase sets in a function; without it the SDK logs "missing SCF_NAMESPACE" on every call.
    process.env.SCF_NAMESPACE ??= emulator.context.envId;
    return sdkFor(emulator).database().collection('users');
  };

  const api = {
    /** POST /pb/api/... over CloudBase HTTP access, with an optional Bearer token. */
    async http(op: Operation, body: unknown, options: { token?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
      const headers = { ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers };
      const res = await emulator.post<WechatBody>(ROUTES[op], body, headers);
      return conforming(ROUTES[op], res.status, res.body);
    },
    /** The same operation through wx.cloud.callFunction('wechat') as the mini-program user `openid`. */
    async call(op: Operation, data: Record<string, unknown>, openid: string): Promise<Reply> {
      const res = await emulator.callFunction<WechatBody>('wechat', { name: op, data }, openid);
      expect(res.status).toBe(200);
      const body = res.body.result as WechatBody;
      return conforming(ROUTES[op], body.code, body);
    },
    async login(openid: string): Promise<{ token: string; pbId: string }> {
      const res = await api.http('login', { users_wx_code: await emulator.loginCode(openid) });
      expect(res.status).toBe(200);
      return { token: res.body.token as string, pbId: res.body.data.user.pb_id as string };
    },
    async profileFields(phone: string, name = '张三'): Promise<Record<string, string>> {
      return { users_name: name, users_phone_code: await emulator.phoneCode(phone), users_picture: PICTURE };
    },
    async setProfile(token: string, phone: string, name?: string): Promise<Reply> {
      return api.http('profile', await api.profileFields(phone, name), { token });
    },
    async userDocs(where: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
      return ((await users().where(where).get()) as { data: Array<Record<string, unknown>> }).data;
    },
    async userDoc(openid: string): Promise<Record<string, unknown> | undefined> {
      return (await api.userDocs({ openid }))[0];
    },
    async userCount(): Promise<number> {
      return ((await users().count()) as { total: number }).total;
    },
    async deleteUser(pbId: string): Promise<void> {
      await users().doc(pbId).remove();
    },
    async fault(fault: Fault): Promise<void> {
      expect((await emulator.post('/_emulator/wechat/faults', fault)).status).toBe(200);
    },
    async wechatCalls(): Promise<Record<string, number>> {
      const res = await fetch(`${emulator.url}/_emulator/wechat/state`);
      return ((await res.json()) as { calls: Record<string, number> }).calls;
    },
  };
  return api;
}
