// The WeChat access token: one owner (the wechat_tokens document), fetched with stable_token in
// normal mode, reused until five minutes before expiry, and refreshed once when WeChat says it is
// invalid or expired (40001/40014/42001). See wechat-cloudbase-contracts.md §1.3-1.4.
// A warm instance also keeps it in memory, and concurrent fetches share one request.
import type { Database } from '../platform';
import { config } from '../config';
import { wechatTokensCollection } from '../db/wechat-tokens';
import { WechatApiError, wechatRequest } from './wechat-http';

const REFRESH_MARGIN_MS = 5 * 60 * 1000;
export const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);

let memo: { token: string; expiresAt: number } | undefined;
let inflight: Promise<string> | undefined;
let inflightForced: Promise<string> | undefined;

export function accessTokenProvider(db: Database, now: () => Date) {
  const cache = wechatTokensCollection(db);
  const fresh = (expiresAt: number) => expiresAt - REFRESH_MARGIN_MS > now().getTime();

  async function fetchFresh(forceRefresh: boolean): Promise<string> {
    const { WECHAT_APPID, WECHAT_SECRET } = config('wechat');
    const res = await wechatRequest<{ access_token: string; expires_in: number }>({
      method: 'POST',
      path: '/cgi-bin/stable_token',
      body: { grant_type: 'client_credential', appid: WECHAT_APPID, secret: WECHAT_SECRET, force_refresh: forceRefresh },
    });
    const expiresAt = now().getTime() + res.expires_in * 1000;
    await cache.save(WECHAT_APPID, res.access_token, new Date(expiresAt));
    memo = { token: res.access_token, expiresAt };
    return res.access_token;
  }

  const shared = (): Promise<string> => {
    inflight ??= fetchFresh(false).finally(() => (inflight = undefined));
    return inflight;
  };

  /**
   * Force a new token in place of `failed` — once, however many calls saw it fail: WeChat allows
   * few forced refreshes (20 a day, 30 s apart) and each one revokes the token before it.
   */
  const forcedReplacing = (failed: string): Promise<string> => {
    if (memo && memo.token !== failed && fresh(memo.expiresAt)) return Promise.resolve(memo.token);
    inflightForced ??= fetchFresh(true).finally(() => (inflightForced = undefined));
    return inflightForced;
  };

  async function current(): Promise<string> {
    if (memo && fresh(memo.expiresAt)) return memo.token;
    const cached = await cache.read(config('wechat').WECHAT_APPID);
    if (cached && fresh(cached.expiresAt.getTime())) {
      memo = { token: cached.accessToken, expiresAt: cached.expiresAt.getTime() };
      return cached.accessToken;
    }
    return shared();
  }

  return {
    current,
    /** Run `call` with the token; on a token error, refresh once and retry once. */
    async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
      const token = await current();
      try {
        return await call(token);
      } catch (err) {
        if (!(err instanceof WechatApiError) || !TOKEN_ERRCODES.has(err.errcode)) throw err;
        if (memo?.token === token) memo = undefined;
        const renewed = memo?.token ?? (await shared());
        // Normal mode hands back the same token while WeChat still considers it live; only then force.
        return call(renewed === token ? await forcedReplacing(token) : renewed);
      }
    },
  };
}

export type AccessTokenProvider = ReturnType<typeof accessTokenProvider>;
