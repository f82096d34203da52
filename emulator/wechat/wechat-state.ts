// What the WeChat stand-in remembers: single-use login and phone codes, access tokens it issued,
// export/import jobs (saved-jobs.ts: kept in the data folder), injected faults and call counts.
import { randomBytes } from 'node:crypto';
import { SavedJobs } from './saved-jobs';

export const CODE_TTL_MS = 5 * 60 * 1000;
/** How long an access token keeps working after WeChat has replaced it. */
export const TOKEN_OVERLAP_MS = 5 * 60 * 1000;

export interface LoginCode { openid: string; unionid?: string; expiresAt: number; used: boolean }
export interface PhoneCode { phoneNumber: string; expiresAt: number; used: boolean }
export interface IssuedToken { token: string; expiresAt: number; revoked: boolean; issuedAt: number; supersededAt?: number }
export interface Fault {
  path: string;
  kind: 'http500' | 'errcode' | 'delay' | 'drop';
  errcode?: number;
  delayMs?: number;
  remaining: number;
}

export class WechatState {
  readonly loginCodes = new Map<string, LoginCode>();
  readonly phoneCodes = new Map<string, PhoneCode>();
  readonly tokens = new Map<string, IssuedToken>();
  readonly faults: Fault[] = [];
  readonly calls = new Map<string, number>();
  currentStableToken?: IssuedToken;
  currentPlainToken?: IssuedToken;

  constructor(
    readonly appid: string,
    readonly secret: string,
    readonly accessTokenTtlSeconds: number,
    /** Export/import jobs: kept in the data folder when the emulator has one. */
    readonly jobs: SavedJobs = new SavedJobs(),
  ) {}

  mintLoginCode(openid: string, unionid: string | undefined, now: number): string {
    const code = `wxcode_${randomBytes(12).toString('hex')}`;
    this.loginCodes.set(code, { openid, unionid, expiresAt: now + CODE_TTL_MS, used: false });
    return code;
  }

  mintPhoneCode(phoneNumber: string, now: number): string {
    const code = `phonecode_${randomBytes(12).toString('hex')}`;
    this.phoneCodes.set(code, { phoneNumber, expiresAt: now + CODE_TTL_MS, used: false });
    return code;
  }

  issueToken(now: number): IssuedToken {
    const token: IssuedToken = { token: `AT_${randomBytes(24).toString('hex')}`, issuedAt: now, expiresAt: now + this.accessTokenTtlSeconds * 1000, revoked: false };
    this.tokens.set(token.token, token);
    return token;
  }

  /** cgi-bin/token: every call issues a new token; the previous one works only for the overlap. */
  issuePlainToken(now: number): IssuedToken {
    const previous = this.currentPlainToken;
    if (previous) previous.supersededAt = Math.min(previous.supersededAt ?? Infinity, now + TOKEN_OVERLAP_MS);
    this.currentPlainToken = this.issueToken(now);
    return this.currentPlainToken;
  }

  /**
   * stable_token: the same token while valid, replaced (the old one still valid until it expires)
   * once inside its last 5 minutes, so callers always get expires_in >= 300; force_refresh revokes it.
   */
  stableToken(now: number, forceRefresh: boolean): IssuedToken {
    const current = this.currentStableToken;
    const rotateWithinMs = Math.min(TOKEN_OVERLAP_MS, (this.accessTokenTtlSeconds * 1000) / 2);
    if (current && forceRefresh) current.revoked = true;
    if (!current || forceRefresh || current.revoked || current.expiresAt - now <= rotateWithinMs) this.currentStableToken = this.issueToken(now);
    return this.currentStableToken as IssuedToken;
  }

  /** Expire every issued token now (tests use it to force the 42001 path). */
  expireTokens(now: number): void {
    for (const t of this.tokens.values()) t.expiresAt = Math.min(t.expiresAt, now - 1);
  }

  takeFault(path: string): Fault | undefined {
    const index = this.faults.findIndex((f) => f.path === path || f.path === '*');
    if (index < 0) return undefined;
    const fault = this.faults[index] as Fault;
    fault.remaining--;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  countCall(path: string): void {
    this.calls.set(path, (this.calls.get(path) ?? 0) + 1);
  }
}
