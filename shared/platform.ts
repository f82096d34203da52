// The one module that touches wx-server-sdk and the platform's per-call environment: initialises
// the SDK for the current environment and hands out the database, cloud calls and what the
// platform says about the current invocation. Everything else goes through here.
import { webcrypto } from 'node:crypto';
import cloud from 'wx-server-sdk';

/**
 * Web Crypto as a global, which jose (tokens) signs and verifies with. It is a global from Node 19
 * (nodejs/node#42083); a Node 18 script has it only behind --experimental-global-webcrypto, and
 * CloudBase's Nodejs18.15 / Nodejs16.13 runtimes pass no such flag. An existing global is never
 * replaced.
 */
export function ensureWebCrypto(): void {
  if (typeof globalThis.crypto !== 'undefined') return;
  Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true, enumerable: false, writable: true });
}
ensureWebCrypto();

// DYNAMIC_CURRENT_ENV is a symbol the SDK typings do not admit; throwOnNotFound is missing from them.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

export type Database = ReturnType<typeof cloud.database>;
export type WXContext = ReturnType<typeof cloud.getWXContext>;

/** The CloudBase gateway's request context (HTTP access): present only when the gateway injected it. */
export interface GatewayContext {
  /** TCB_SOURCE_IP: the client address as the gateway saw it. */
  sourceIp?: string;
}

export interface PlatformContext {
  wx: WXContext;
  gateway?: GatewayContext;
}

let database: Database | undefined;

export function getDatabase(): Database {
  database ??= cloud.database({ throwOnNotFound: false } as Parameters<typeof cloud.database>[0]);
  return database;
}

/** Read per invocation: the context lives in process.env and changes with every call. */
export function getWXContext(): WXContext {
  return cloud.getWXContext();
}

/**
 * The gateway context is listed in TCB_CONTEXT_KEYS, read the way @cloudbase/node-sdk's
 * getCloudbaseContext reads it (wx-server-sdk does not expose that function).
 */
function getGatewayContext(): GatewayContext | undefined {
  const keys = (process.env.TCB_CONTEXT_KEYS ?? '').split(',').map((k) => k.trim());
  if (!keys.includes('TCB_SOURCE_IP')) return undefined;
  return { sourceIp: process.env.TCB_SOURCE_IP || undefined };
}

/** Everything the platform injected about the current invocation. Read per invocation. */
export function getPlatformContext(): PlatformContext {
  return { wx: getWXContext(), gateway: getGatewayContext() };
}

/** Deletes cloud storage files by file ID (at most 50 per call, CloudBase's batch limit); the IDs actually deleted. */
export async function deleteCloudFiles(fileIDs: string[]): Promise<string[]> {
  const { fileList } = (await cloud.deleteFile({ fileList: fileIDs })) as unknown as { fileList: Array<{ fileID: string; status: number }> };
  return fileList.filter((f) => f.status === 0).map((f) => f.fileID);
}

/** A WeChat server API name as cloud.openapi takes it: `<category>.<method>`, e.g. security.msgSecCheck. */
export type OpenApiName = `${string}.${string}`;

/**
 * A cloud call (云调用): cloud.openapi.<category>.<method>(data), which needs no access token but
 * must be listed in the function's config.json permissions.openapi. The SDK converts camelCase keys
 * to snake_case and back; it rejects with {errCode, errMsg}: WeChat's errcode, or -6041xx when the
 * platform refuses the call (https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/openapi/openapi.html).
 */
export async function callOpenApi<T extends Record<string, unknown>>(api: OpenApiName, data: Record<string, unknown>): Promise<T> {
  const [category, method] = api.split('.') as [string, string];
  // cloud.openapi is a Proxy over any name; its typings are an untyped record.
  const openapi = cloud.openapi as Record<string, Record<string, (d: Record<string, unknown>) => Promise<T>>>;
  return openapi[category]![method]!(data);
}
