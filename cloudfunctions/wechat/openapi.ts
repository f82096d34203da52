// The OpenAPI 3.1 document of the wechat API, generated from its zod schemas at build time
// (scripts/lib/build-functions.ts writes it next to the bundle as openapi.json; kept equal in
// meaning to seed 004, which a test compares). Not imported by the function itself.
import type { z } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';
import {
  authSuccessResponseSchema,
  errorResponseSchema,
  profileResponseSchema,
  refreshTokenRequestSchema,
  refreshTokenResponseSchema,
  usersCountResponseSchema,
  wechatLoginRequestSchema,
  wechatProfileRequestSchema,
} from './schemas';

const schema = (s: z.ZodType) => {
  const { $schema: _draft, ...rest } = zodToJsonSchema(s, { target: 'jsonSchema2019-09', $refStrategy: 'none', removeAdditionalStrategy: 'strict' }) as Record<string, unknown>;
  return rest;
};
const jsonContent = (s: z.ZodType) => ({ content: { 'application/json': { schema: schema(s) } } });
const errors = (codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), { description: `error ${c}`, ...jsonContent(errorResponseSchema) }]));

function operation(operationId: string, summary: string, ok: z.ZodType, errorCodes: number[], body?: { schema: z.ZodType; required: boolean }, bearer?: 'required' | 'optional') {
  return {
    post: {
      operationId,
      summary,
      security: bearer === 'required' ? [{ bearerAuth: [] }] : bearer === 'optional' ? [{ bearerAuth: [] }, {}] : [],
      ...(body ? { requestBody: { required: body.required, ...jsonContent(body.schema) } } : {}),
      responses: { '200': { description: 'OK', ...jsonContent(ok) }, ...errors(errorCodes) },
    },
  };
}

let cached: Record<string, unknown> | undefined;

export function buildOpenApiDocument(): Record<string, unknown> {
  cached ??= {
    openapi: '3.1.0',
    info: { title: 'WeChat mini-program API (wechat cloud function)', version: '1.0.0-wx' },
    // Relative: OpenAPI 3.1 resolves it against the address the document was fetched from (spec
    // §4.8.5), so the entry is right wherever the function is served, and no request header is echoed.
    servers: [{ url: '/', description: 'where this document is served (the HTTP access domain)' }],
    paths: {
      '/pb/api/system/users-count': operation('postSystemUsersCount', 'Count users', usersCountResponseSchema, [400, 500]),
      '/pb/api/system/refresh-token': operation('postSystemRefreshToken', 'Refresh the token', refreshTokenResponseSchema, [400, 401, 404, 415, 429, 500], { schema: refreshTokenRequestSchema, required: false }, 'optional'),
      '/pb/api/wechat/login': operation('postWechatLogin', 'WeChat login or first registration', authSuccessResponseSchema, [400, 401, 415, 429, 500], { schema: wechatLoginRequestSchema, required: true }),
      '/pb/api/wechat/profile': operation('postWechatProfile', 'Update the WeChat user profile', profileResponseSchema, [400, 401, 415, 429, 500], { schema: wechatProfileRequestSchema, required: true }, 'required'),
    },
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
  };
  return cached;
}
