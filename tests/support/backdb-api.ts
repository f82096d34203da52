// Helpers for the `backdb` function's tests: call a handler (it rejects failures with
// "CODE: message"), wait for an export's download URL, read an export file back as documents,
// seed and read collections through the real wx-server-sdk, and drive the WeChat stand-in.
import { EJSON } from 'bson';
import { sdkFor, type TestEmulator } from './emulator';
import { grantBackdb } from './backdb-permission';
import { storeWrites } from './store-writes';

export type Doc = Record<string, unknown> & { _id: string };
export interface StartedJob { collection: string; job_id: number; file_path: string }
export interface AllJobsResult { jobs: StartedJob[]; failed: Array<{ collection: string; error: string }>; pruned: number; filesDeleted: number }
export interface ListedJob { job_id: number; kind: string; collection: string; file_path: string; status: string; err_msg: string; has_url: boolean }
export interface WechatJob { jobId: number; kind: 'export' | 'import'; collection: string; filePath: string; status: string }
export interface WechatState { calls: Record<string, number>; jobs: WechatJob[] }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function backdbApi(emulator: TestEmulator) {
  const db = () => sdkFor(emulator).database();

  const call = <T = unknown>(name: string, data: Record<string, unknown> = {}, openid?: string) => emulator.callFunction<T>('backdb', { name, data }, openid);

  /** The result of a call that must succeed. */
  async function ok<T = unknown>(name: string, data: Record<string, unknown> = {}, openid?: string): Promise<T> {
    const res = await call<T>(name, data, openid);
    if (res.status !== 200) throw new Error(`backdb.${name} answered HTTP ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.result as T;
  }

  /** The errMsg of a call that must be rejected (non-2xx). */
  async function rejected(name: string, data: Record<string, unknown> = {}, openid?: string): Promise<string> {
    const res = await call(name, data, openid);
    if (res.status >= 200 && res.status < 300) throw new Error(`backdb.${name} was expected to fail but answered ${JSON.stringify(res.body)}`);
    return res.body.errMsg ?? '';
  }

  /** Polls getJobUrl until the export is finished; any answer other than JOB_NOT_READY stops the wait. */
  async function waitForUrl(jobId: number, openid?: string): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const res = await call<string>('getJobUrl', { job_id: jobId }, openid);
      if (res.status === 200) return res.body.result as string;
      if (!/JOB_NOT_READY/.test(res.body.errMsg ?? '') || /status: fail/.test(res.body.errMsg ?? '')) throw new Error(`getJobUrl ${jobId}: ${res.body.errMsg}`);
      await sleep(100);
    }
    throw new Error(`export ${jobId} did not finish`);
  }

  /** Downloads an export file and parses its JSON lines (relaxed EJSON: {$date} → Date). */
  async function download(url: string): Promise<Doc[]> {
    const res = await fetch(url);
    if (res.status !== 200) throw new Error(`download answered HTTP ${res.status}`);
    return (await res.text())
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => EJSON.parse(line) as Doc);
  }

  const byId = (docs: Doc[]) => [...docs].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));

  async function contents(name: string): Promise<Doc[]> {
    return byId(((await db().collection(name).limit(1000).get()) as { data: Doc[] }).data);
  }

  async function seed(name: string, docs: Array<Record<string, unknown>>): Promise<void> {
    await db().createCollection(name);
    for (const doc of docs) await db().collection(name).add({ data: doc });
  }

  /** Every document of the backdb collection (the job records). */
  const jobRecords = () => contents('backdb');

  async function wechatState(): Promise<WechatState> {
    return (await fetch(`${emulator.url}/_emulator/wechat/state`)).json() as Promise<WechatState>;
  }

  const wechatCalls = async (path: string) => (await wechatState()).calls[path] ?? 0;
  const resetStats = () => emulator.post('/_emulator/wechat/reset-stats', {});
  const fault = (body: Record<string, unknown>) => emulator.post('/_emulator/wechat/faults', body);
  const expireAccessTokens = () => emulator.post('/_emulator/wechat/expire-access-tokens', {});
  /** Keeps every WeChat job at "migrating" (polls included) until releaseJobs. */
  const holdJobs = () => emulator.post('/_emulator/wechat/jobs/hold', {});
  const releaseJobs = () => emulator.post('/_emulator/wechat/jobs/release', {});
  /** Answers every WeChat request a 'hold' fault stopped. */
  const releaseHeld = () => emulator.post<{ released: number }>('/_emulator/wechat/release-held', {});
  const heldRequests = async () => ((await wechatState()) as WechatState & { heldRequests: number }).heldRequests;

  /** The store's write counter: unchanged across a call means the call wrote nothing. */
  const writes = () => storeWrites(emulator);

  async function fireWeeklyBackup() {
    return emulator.post<{ ok: boolean; result?: AllJobsResult; error?: string }>('/_emulator/functions/backdb/triggers/weeklyBackup/fire', {});
  }

  /** Registers `openid` (common.login) with the admin role, to which the backdb feature is granted. */
  async function registerAdmin(openid: string): Promise<void> {
    await emulator.callFunction('common', { name: 'login' }, openid);
    await grantBackdb(emulator.context.store, openid);
  }

  /** A token from the stand-in's stable_token in normal mode (hands back the current one, revokes nothing). */
  async function stableToken(): Promise<string> {
    const res = await emulator.post<{ access_token: string }>('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: emulator.secrets.appid, secret: emulator.secrets.appSecret });
    return res.body.access_token;
  }

  /** Polls a job on the WeChat stand-in itself (as the WeChat console would show it) until it ends. */
  async function waitForWechatJob(jobId: number): Promise<{ status: string; record_success: number; record_fail: number }> {
    for (let i = 0; i < 100; i++) {
      const res = await emulator.post<{ status: string; record_success: number; record_fail: number }>(`/tcb/databasemigratequeryinfo?access_token=${await stableToken()}`, { env: emulator.context.envId, job_id: jobId });
      if (res.body.status === 'success' || res.body.status === 'fail') return res.body;
      await sleep(100);
    }
    throw new Error(`WeChat job ${jobId} did not finish`);
  }

  return { db, call, ok, rejected, waitForUrl, download, contents, seed, jobRecords, wechatState, wechatCalls, resetStats, fault, expireAccessTokens, holdJobs, releaseJobs, releaseHeld, heldRequests, writes, fireWeeklyBackup, registerAdmin, stableToken, waitForWechatJob };
}

/** The collections the weekly backup must skip (BACKUP_EXCLUDE's default). */
export const EXCLUDED_COLLECTIONS = ['wechat_tokens', 'rate_limits'];

export async function collectionNames(emulator: TestEmulator): Promise<string[]> {
  const res = await fetch(`${emulator.url}/_emulator/collections`);
  return ((await res.json()) as Array<{ name: string }>).map((c) => c.name).sort();
}
