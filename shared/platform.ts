// The one module that touches the CloudBase SDKs and the platform's per-call environment:
// initialises wx-server-sdk for the current environment and hands out the database, cloud
// storage, cloud calls and what the platform says about the current invocation. Everything else
// goes through here. @cloudbase/node-sdk is the copy wx-server-sdk 4.0.2 itself depends on
// (3.17.2, one copy in the bundle): it reads the CloudBase half of the context, which
// wx-server-sdk does not expose.
import { webcrypto } from 'node:crypto';
import tcb from '@cloudbase/node-sdk';
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

/**
 * The CloudBase half of the context, as @cloudbase/node-sdk's getCloudbaseContext() reads it
 * (dist/utils/tcbcontext.js: every key TCB_CONTEXT_KEYS lists, plus LOGINTYPE from process.env).
 * auth().getUserInfo() (dist/auth/index.js) makes the end user of it: uid = TCB_UUID,
 * customUserId = TCB_CUSTOM_USER_ID, isAnonymous = TCB_ISANONYMOUS_USER === 'true';
 * getAuthContext() adds loginType = LOGINTYPE (QQ_OPENID / QQ_APPID for 'QQ-MINI');
 * getClientIP() = TCB_SOURCE_IP.
 */
export interface CloudbaseContext {
  /** The names TCB_CONTEXT_KEYS listed: the platform's request context for this run. */
  contextKeys: string[];
  uid?: string;
  customUserId?: string;
  isAnonymous: boolean;
  loginType?: string;
  qqOpenid?: string;
  /** TCB_SOURCE_IP: the client address the platform saw (auth().getClientIP()). */
  sourceIp?: string;
}

export interface PlatformContext {
  wx: WXContext;
  cloudbase: CloudbaseContext;
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

const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function getCloudbaseContext(): CloudbaseContext {
  const c = tcb.getCloudbaseContext() as unknown as Record<string, unknown>;
  // The SDK keeps TCB_CONTEXT_KEYS as the comma-separated string the platform set.
  const keys = c.TCB_CONTEXT_KEYS;
  const contextKeys = (Array.isArray(keys) ? keys.map(String) : String(keys ?? '').split(',')).map((k) => k.trim()).filter(Boolean);
  return {
    contextKeys,
    uid: nonEmpty(c.TCB_UUID),
    customUserId: nonEmpty(c.TCB_CUSTOM_USER_ID),
    isAnonymous: c.TCB_ISANONYMOUS_USER === 'true',
    loginType: nonEmpty(c.LOGINTYPE),
    qqOpenid: nonEmpty(c.QQ_OPENID),
    sourceIp: nonEmpty(c.TCB_SOURCE_IP),
  };
}

/** Everything the platform injected about the current invocation. Read per invocation. */
export function getPlatformContext(): PlatformContext {
  return { wx: getWXContext(), cloudbase: getCloudbaseContext() };
}

/** Deletes cloud storage files by file ID (at most 50 per call, CloudBase's batch limit); the IDs actually deleted. */
export async function deleteCloudFiles(fileIDs: string[]): Promise<string[]> {
  const { fileList } = (await cloud.deleteFile({ fileList: fileIDs })) as unknown as { fileList: Array<{ fileID: string; status: number }> };
  return fileList.filter((f) => f.status === 0).map((f) => f.fileID);
}

const storageApps = new Map<string, ReturnType<typeof tcb.init>>();

/**
 * The file ID cloud storage gives `cloudPath` in environment `env` (cloud://<env>.<bucket>/<path>),
 * asked of storage itself: storage.getUploadMetadata answers the fileId an upload to that path
 * gets (node-sdk dist/storage/index.js: uploadFile returns exactly that fileId). Nothing is
 * uploaded; the grant it also returns is simply not used.
 */
export async function cloudFileId(env: string, cloudPath: string): Promise<string> {
  let app = storageApps.get(env);
  if (!app) {
    app = tcb.init({ env });
    storageApps.set(env, app);
  }
  const res = await app.getUploadMetadata({ cloudPath });
  const fileId = (res as { data?: { fileId?: unknown } }).data?.fileId;
  if (typeof fileId !== 'string' || fileId === '') throw new Error(`cloud storage answered no fileId for ${cloudPath}`);
  return fileId;
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
