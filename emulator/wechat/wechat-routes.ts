// The WeChat server API stand-in, on WeChat's own paths and with its error codes (WeChat's
// mini-program server API documentation: code2Session, getAccessToken, getStableAccessToken,
// getPhoneNumber, msgSecCheck, the cloud database migrate APIs). Errors are HTTP 200 + {errcode, errmsg}.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../http/http-utils';
import { parseJsonText } from '../http/json-request';
import type { MsgSecCheck } from '../cloud-calls/ports';
import type { MigrationJobs } from './migration-jobs';
import { redeemPhoneCode } from './phone-numbers';
import type { WechatState } from './wechat-state';
import { ownEntry } from '../lib/own-entry';

type Reply = Record<string, unknown>;
type Route = (ctx: { query: URLSearchParams; body: Record<string, unknown>; now: number }) => Promise<Reply> | Reply;

const fail = (errcode: number, errmsg: string): Reply => ({ errcode, errmsg: `${errmsg} rid: emulator` });

export function createWechatRoutes(state: WechatState, migrations: MigrationJobs, envId: string, msgSecCheck: MsgSecCheck): Record<string, Route> {
  const checkCredentials = (appid: unknown, secret: unknown): Reply | undefined => {
    if (!appid || !secret) return fail(41002, 'appid missing');
    if (appid !== state.appid) return fail(40013, 'invalid appid');
    if (secret !== state.secret) return fail(40125, 'invalid appsecret');
    return undefined;
  };

  /** Validates ?access_token=; `invalidCode` is 40001 for wxa APIs and 40014 for tcb APIs. */
  const checkToken = (query: URLSearchParams, now: number, invalidCode: number): Reply | undefined => {
    const token = query.get('access_token');
    if (!token) return fail(41001, 'access_token missing');
    const issued = state.tokens.get(token);
    if (!issued || issued.revoked || (issued.supersededAt !== undefined && issued.supersededAt <= now)) return fail(invalidCode, 'invalid credential, access_token is invalid or not latest');
    if (issued.expiresAt <= now) return fail(42001, 'access_token expired');
    return undefined;
  };

  const checkEnv = (env: unknown): Reply | undefined => {
    if (typeof env !== 'string' || env === '') return fail(40101, 'missing parameter env');
    if (env !== envId) return fail(-501005, `invalid env ${env}`);
    return undefined;
  };

  return {
    '/sns/jscode2session': ({ query, now }) => {
      const bad = checkCredentials(query.get('appid'), query.get('secret'));
      if (bad) return bad;
      const code = query.get('js_code');
      if (!code) return fail(41008, 'missing code');
      if (query.get('grant_type') !== 'authorization_code') return fail(40002, 'invalid grant_type');
      const entry = state.loginCodes.get(code);
      if (!entry) return fail(40029, 'invalid code');
      if (entry.used) return fail(40163, 'code been used');
      if (entry.expiresAt <= now) return fail(40029, 'invalid code, code expired');
      entry.used = true;
      return { openid: entry.openid, session_key: `sk_${code.slice(-16)}`, ...(entry.unionid ? { unionid: entry.unionid } : {}) };
    },
    '/cgi-bin/token': ({ query, now }) => {
      if (query.get('grant_type') !== 'client_credential') return fail(40002, 'invalid grant_type');
      const bad = checkCredentials(query.get('appid'), query.get('secret'));
      if (bad) return bad;
      const token = state.issuePlainToken(now);
      return { access_token: token.token, expires_in: Math.round((token.expiresAt - now) / 1000) };
    },
    '/cgi-bin/stable_token': ({ body, now }) => {
      if (body.grant_type !== 'client_credential') return fail(40002, 'invalid grant_type');
      const bad = checkCredentials(body.appid, body.secret);
      if (bad) return bad;
      const token = state.stableToken(now, body.force_refresh === true);
      return { access_token: token.token, expires_in: Math.round((token.expiresAt - now) / 1000) };
    },
    '/wxa/business/getuserphonenumber': ({ query, body, now }) => checkToken(query, now, 40001) ?? redeemPhoneCode(state, body, now),
    '/wxa/msg_sec_check': ({ query, body, now }) => checkToken(query, now, 40001) ?? msgSecCheck(body),
    '/tcb/databasecollectionget': async ({ query, body, now }) => {
      const bad = checkToken(query, now, 40014) ?? checkEnv(body.env);
      if (bad) return bad;
      const limit = body.limit === undefined ? 10 : body.limit;
      const offset = body.offset === undefined ? 0 : body.offset;
      if (typeof limit !== 'number' || typeof offset !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100 || !Number.isInteger(offset) || offset < 0) return fail(40097, 'invalid limit or offset');
      const all = await migrations.collectionStats();
      return { errcode: 0, errmsg: 'ok', collections: all.slice(offset, offset + limit), pager: { Offset: offset, Limit: limit, Total: all.length } };
    },
    '/tcb/databasemigrateexport': async ({ query, body, now }) => {
      const bad = checkToken(query, now, 40014) ?? checkEnv(body.env);
      if (bad) return bad;
      if (typeof body.file_path !== 'string' || body.file_path === '' || typeof body.query !== 'string') return fail(40101, 'missing parameter file_path or query');
      if (body.file_type !== 1 && body.file_type !== 2) return fail(40097, 'file_type must be 1 (json) or 2 (csv)');
      if (body.file_type === 2) return fail(40097, 'csv export is not supported by the local emulator');
      const job = migrations.startExport(body.file_path, body.query, now);
      if ('errcode' in job) return job;
      return { errcode: 0, errmsg: 'ok', job_id: job.jobId };
    },
    '/tcb/databasemigrateimport': async ({ query, body, now }) => {
      const bad = checkToken(query, now, 40014) ?? checkEnv(body.env);
      if (bad) return bad;
      if (typeof body.collection_name !== 'string' || typeof body.file_path !== 'string') return fail(40101, 'missing parameter collection_name or file_path');
      const mode = body.conflict_mode === 2 ? 2 : 1;
      const job = migrations.startImport(body.collection_name, body.file_path, mode, now);
      return { errcode: 0, errmsg: 'ok', job_id: job.jobId };
    },
    '/tcb/databasemigratequeryinfo': async ({ query, body, now }) => {
      const bad = checkToken(query, now, 40014) ?? checkEnv(body.env);
      if (bad) return bad;
      // WeChat documents job_id as a number; nothing else is converted into one.
      const job = typeof body.job_id === 'number' ? state.jobs.get(body.job_id) : undefined;
      if (!job) return fail(40097, `job ${JSON.stringify(body.job_id) ?? 'undefined'} does not exist`);
      const status = state.jobStatusAt(job, now);
      return {
        errcode: 0,
        errmsg: 'ok',
        status,
        record_success: job.recordSuccess,
        record_fail: job.recordFail,
        err_msg: job.errMsg,
        error_msg: job.errMsg,
        file_url: job.kind === 'export' && status === 'success' ? migrations.downloadUrl(job.filePath, now) : '',
      };
    },
  };
}

export async function handleWechat(req: IncomingMessage, res: ServerResponse, url: URL, routes: Record<string, Route>, state: WechatState, now: () => number): Promise<void> {
  const route = ownEntry(routes, url.pathname);
  if (!route) return sendJson(res, 404, { errcode: -1, errmsg: `no WeChat API ${url.pathname}` });
  state.countCall(url.pathname);
  const fault = state.takeFault(url.pathname);
  if (fault?.kind === 'drop') return void req.socket.destroy();
  if (fault?.kind === 'hold') await new Promise<void>((release) => state.held.push(release));
  if (fault?.kind === 'delay' && !(await delayed(res, fault.delayMs ?? 10_000))) return;
  if (fault?.kind === 'http500') return sendJson(res, 500, { errcode: -1, errmsg: 'system error' });
  if (fault?.kind === 'errcode') return sendJson(res, 200, fail(fault.errcode ?? -1, 'injected fault'));
  const raw = await readBody(req, 1024 * 1024);
  const parsed = raw.length ? jsonOrUndefined(raw) : {};
  if (req.method === 'POST' && (parsed === undefined || parsed === null || typeof parsed !== 'object')) return sendJson(res, 200, fail(47001, 'data format error'));
  sendJson(res, 200, await route({ query: url.searchParams, body: (parsed ?? {}) as Record<string, unknown>, now: now() }));
}

/**
 * Waits `ms`, or resolves false as soon as the caller hangs up (a function that stopped waiting,
 * an emulator that closed): nobody is left to answer, and no timer keeps the process alive for them.
 */
function delayed(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const gone = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', gone);
      resolve(true);
    }, ms);
    res.once('close', gone);
  });
}

/** A body's JSON value; undefined when it is not JSON or nests deeper than the emulator's one limit (http/json-request.ts). */
function jsonOrUndefined(raw: Buffer): unknown {
  try {
    return parseJsonText(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
