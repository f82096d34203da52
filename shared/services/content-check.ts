// Content security for user text that other people see (nicknames): WeChat's msgSecCheck v2 with
// the user's openid, before anything is saved. The policy (docs/cloud-calls.md):
// - pass: saved; review: saved, with WeChat's label recorded (users.nicknameReview) and logged;
// - risky: refused with CONTENT_RISKY, nothing saved;
// - the check itself fails (WeChat errcode, platform refusal, timeout): refused with UPSTREAM,
//   never saved unchecked.
// Which channel: a cloud call (security.msgSecCheck, no access token) wherever the run has a
// WeChat context. CloudBase documents cloud calls for functions triggered from the mini-program,
// by timers and through the tcb/invokecloudfunction HTTP API, not for HTTP access (HTTP 访问服务),
// which carries no WeChat identity; there the HTTPS API /wxa/msg_sec_check with our access token.
// Sources: https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/openapi/openapi.html ;
// https://developers.weixin.qq.com/minigame/dev/wxcloud/reference-http-api/functions/invokeCloudFunction.html (Tips).
import { config } from '../config';
import type { UserPatch } from '../db/users';
import { AppError } from '../errors/app-error';
import { logEvent } from '../log';
import { callOpenApi } from '../platform';
import type { Caller } from '../router/caller';
import type { WechatClient } from '../wechat/wechat-client';
import { WechatApiError } from '../wechat/wechat-http';

/** msgSecCheck scenes: 1 profile (资料), 2 comment, 3 forum, 4 social log. */
export const SCENE_PROFILE = 1;

/** What is recorded on a text saved while WeChat suggests a human review. */
export interface ContentReview {
  label: number;
  traceId?: string;
  checkedAt: Date;
}

interface MsgSecCheckReply {
  result?: { suggest?: unknown; label?: unknown };
  trace_id?: unknown;
  traceId?: unknown;
}

export interface TextToCheck {
  /** The user who wrote it (msgSecCheck v2 needs an openid that visited the mini-program lately). */
  openid: string;
  text: string;
  /** The field's name as the caller sent it, for the refusal's message. */
  field: string;
}

export function contentChecker(caller: Caller, wechat: WechatClient) {
  const viaHttps = caller.kind === 'http';
  const ask = (openid: string, content: string): Promise<MsgSecCheckReply> => {
    const body = { openid, scene: SCENE_PROFILE, content };
    return viaHttps ? wechat.msgSecCheck(body) : callOpenApi<MsgSecCheckReply & Record<string, unknown>>('security.msgSecCheck', { ...body, version: 2 });
  };

  const checker = {
    /**
     * Checks the text; resolves with the review to record (undefined on pass), throws CONTENT_RISKY
     * for risky text and UPSTREAM when the check could not be made.
     */
    async check({ openid, text, field }: TextToCheck): Promise<ContentReview | undefined> {
      const reply = await withTimeout(ask(openid, text), config('contentSecurity').CONTENT_CHECK_TIMEOUT_MS).catch((err: unknown) => {
        throw checkFailed(err);
      });
      const suggest = reply.result?.suggest;
      const label = Number(reply.result?.label);
      const traceId = typeof reply.traceId === 'string' ? reply.traceId : typeof reply.trace_id === 'string' ? reply.trace_id : undefined;
      if (suggest === 'pass') return undefined;
      if (suggest === 'risky') throw new AppError('CONTENT_RISKY', `${field} is not allowed: WeChat content security rated it risky (label ${label})`, { details: { label } });
      if (suggest === 'review') {
        logEvent(`${field} of ${openid} saved pending review: WeChat content security label ${label}${traceId ? `, trace ${traceId}` : ''}`);
        return { label, traceId, checkedAt: new Date() };
      }
      throw new AppError('UPSTREAM', 'WeChat content security answered without a verdict');
    },

    /** The nickname checked, as the fields to save: a pending review is recorded or cleared with it. */
    async nickname(openid: string, nickname: string, field: string): Promise<Pick<UserPatch, 'nickname' | 'nicknameReview'>> {
      const review = await checker.check({ openid, text: nickname, field });
      return { nickname, nicknameReview: review ?? null };
    },
  };
  return checker;
}

export type ContentChecker = ReturnType<typeof contentChecker>;

class CheckTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

/** The check could not be made: the save is refused rather than done unchecked. */
function checkFailed(err: unknown): AppError {
  if (err instanceof AppError) return err.code === 'UPSTREAM' ? err : new AppError('UPSTREAM', 'WeChat content security failed', { cause: err });
  if (err instanceof CheckTimeout) return new AppError('UPSTREAM', `WeChat content security timed out (${err.message})`, { cause: err });
  // The SDK's CloudSDKError: WeChat's errcode, or -6041xx from the platform.
  const errCode = (err as { errCode?: unknown }).errCode;
  if (typeof errCode === 'number') return new WechatApiError(errCode, String((err as { errMsg?: unknown }).errMsg ?? ''), 'security.msgSecCheck');
  return new AppError('UPSTREAM', 'WeChat content security failed', { cause: err });
}
