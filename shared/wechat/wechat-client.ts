// The WeChat APIs the functions use, over the plain HTTP API with an access token (not cloud
// calls), so that they run the same against WeChat and against the emulator's stand-in.
import type { Database } from '../platform';
import { config } from '../config';
import { accessTokenProvider } from './access-token';
import { wechatRequest } from './wechat-http';

export interface CollectionInfo { name: string; count: number }
export interface MigrationInfo { status: string; record_success: number; record_fail: number; err_msg?: string; error_msg?: string; file_url?: string }

export function wechatClient(db: Database, now: () => Date) {
  const tokens = accessTokenProvider(db, now);
  /** A tcb/wxa call with the shared token, or with an explicit token (server-side testing). */
  const withToken = <T>(explicit: string | undefined, call: (token: string) => Promise<T>) => (explicit ? call(explicit) : tokens.withToken(call));
  const post = <T extends Record<string, unknown>>(path: string, token: string, body: Record<string, unknown>) => wechatRequest<T>({ method: 'POST', path, query: { access_token: token }, body });

  return {
    /** wx.login code → openid (jscode2session). The session_key is dropped here and never leaves. */
    async code2Session(code: string): Promise<{ openid: string; unionid?: string }> {
      const { WECHAT_APPID, WECHAT_SECRET } = config('wechat');
      const res = await wechatRequest<{ openid: string; unionid?: string }>({
        method: 'GET',
        path: '/sns/jscode2session',
        query: { appid: WECHAT_APPID, secret: WECHAT_SECRET, js_code: code, grant_type: 'authorization_code' },
      });
      return { openid: res.openid, unionid: res.unionid };
    },

    /**
     * The number WeChat verified, with its country code: `+<countryCode><purePhoneNumber>` (or
     * phoneNumber, which carries the code for numbers outside the mainland). Callers put it in the
     * canonical form (shared/phone.ts).
     */
    async phoneNumber(code: string, openid?: string): Promise<string> {
      const res = await withToken(undefined, (token) => post<{ phone_info: { purePhoneNumber?: string; phoneNumber?: string; countryCode?: string } }>('/wxa/business/getuserphonenumber', token, { code, ...(openid ? { openid } : {}) }));
      const info = res.phone_info ?? {};
      return info.countryCode && info.purePhoneNumber ? `+${info.countryCode}${info.purePhoneNumber}` : (info.phoneNumber ?? info.purePhoneNumber ?? '');
    },

    /**
     * security.msgSecCheck v2 over HTTPS (POST /wxa/msg_sec_check), for runs that cannot make cloud
     * calls (HTTP access). https://developers.weixin.qq.com/miniprogram/dev/server/API/sec-center/sec-check/api_msgseccheck.html
     */
    async msgSecCheck(body: { openid: string; scene: number; content: string }): Promise<Record<string, unknown>> {
      return withToken(undefined, (token) => post<Record<string, unknown>>('/wxa/msg_sec_check', token, { version: 2, ...body }));
    },

    async listCollections(env: string, accessToken?: string): Promise<CollectionInfo[]> {
      const all: CollectionInfo[] = [];
      // Each page starts where the collections received so far end: a page shorter than asked loses nothing.
      for (;;) {
        const page = await withToken(accessToken, (token) => post<{ collections: CollectionInfo[]; pager: { Total: number } }>('/tcb/databasecollectionget', token, { env, limit: 100, offset: all.length }));
        all.push(...page.collections);
        if (page.collections.length === 0 || all.length >= page.pager.Total) return all;
      }
    },

    async exportCollection(env: string, collectionName: string, filePath: string, accessToken?: string): Promise<number> {
      const query = `db.collection(${JSON.stringify(collectionName)}).get()`;
      const res = await withToken(accessToken, (token) => post<{ job_id: number }>('/tcb/databasemigrateexport', token, { env, file_path: filePath, file_type: 1, query }));
      return res.job_id;
    },

    async importCollection(env: string, collectionName: string, filePath: string, upsert: boolean, accessToken?: string): Promise<number> {
      const res = await withToken(accessToken, (token) => post<{ job_id: number }>('/tcb/databasemigrateimport', token, { env, collection_name: collectionName, file_path: filePath, file_type: 1, stop_on_error: false, conflict_mode: upsert ? 2 : 1 }));
      return res.job_id;
    },

    async migrationInfo(env: string, jobId: number, accessToken?: string): Promise<MigrationInfo> {
      return withToken(accessToken, (token) => post<MigrationInfo & Record<string, unknown>>('/tcb/databasemigratequeryinfo', token, { env, job_id: jobId }));
    },
  };
}

export type WechatClient = ReturnType<typeof wechatClient>;
