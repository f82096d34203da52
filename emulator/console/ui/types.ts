// Shapes of the emulator API replies the screens read.
import type { InvocationRecord } from '../../runner/invocation-record';

export interface CollectionInfo { name: string; count: number; uniqueIndexes: string[] }
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export interface DocumentPage { total: number; skip: number; limit: number; documents: JsonObject[]; uniqueIndexes: string[] }
export interface FunctionInfo {
  name: string;
  handlers: string[];
  triggers: Array<{ name: string; cron: string }>;
  timerHandler: string | null;
  httpPaths: string[];
  timeoutSeconds: number;
  instances: number;
  /** Oldest first: the build the function was first served from, then each tcb deploy. */
  deployments: Array<{ source: 'build' | 'tcb deploy'; action: string; at: string; bytes: number }>;
}
export interface InvokeReply {
  requestId: string;
  ok: boolean;
  result?: Json;
  error?: string;
  outcome: string;
  caller?: string;
  durationMs: number;
  coldStartMs?: number;
  dbCalls: number;
}
/** An invocation record as the log stream sends it (JSON). */
export type LogRecord = Omit<InvocationRecord, 'event' | 'result'> & { event: Json; result?: Json };
export interface TimerInfo { function: string; trigger: string; cron: string; nextRun?: string }
export interface WechatStateReply {
  appid: string;
  calls: Record<string, number>;
  accessTokens: Array<{ token: string; issuedAt: string; expiresAt: string; revoked: boolean }>;
}
export interface BackupJob {
  jobId: number;
  kind: 'export' | 'import';
  collection: string;
  filePath: string;
  status: 'waiting' | 'migrating' | 'success' | 'fail';
  recordSuccess: number;
  recordFail: number;
  message: string;
  downloadUrl: string | null;
}
export interface ConsoleInfo { envId: string; boundTo: string; loopbackOnly: boolean; functions: number }

export type StorageRule = boolean | string;
export interface FolderRule { from: string; read: StorageRule; write: StorageRule }
export interface StoredFile { path: string; name: string; fileId: string; size: number; contentType: string; uploadedAt: string; openid: string; etag: string; downloadUrl: string }
export interface StorageFolder { prefix: string; rule: FolderRule; folders: Array<{ name: string; files: number; rule: FolderRule }>; files: StoredFile[] }
export interface UploadGrant { url: string; authorization: string; cosFileId: string; token: string; fileId: string }
export interface ContentWord { word: string; suggest: 'review' | 'risky'; label: number }
export interface SubscribeTemplate { templateId: string; title: string; keys: string[] }
export interface SentMessage { id: string; sentAt: string; touser: string; templateId: string; title: string; page?: string; data: Record<string, string>; miniprogramState: string; lang: string; sentBy?: string }
/** GET /_emulator/openapi/state */
export interface CloudCallsState {
  apis: string[];
  words: ContentWord[];
  templates: SubscribeTemplate[];
  subscriptions: Array<{ openid: string; templateId: string; remaining: number }>;
  outbox: SentMessage[];
  faults: Array<{ api: string; kind: 'errcode' | 'timeout' | 'system'; errcode: number; remaining: number }>;
}
