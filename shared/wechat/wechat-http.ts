// Calls the WeChat server API over HTTP (axios). WeChat answers errors as HTTP 200 with
// {errcode, errmsg}; transport failures and 5xx become UPSTREAM errors. Nothing that could hold a
// secret (URLs with `secret=`, access tokens) is put into an error or a log line.
import type { AxiosInstance } from 'axios';
import { config } from '../config';
import { AppError } from '../errors/app-error';

export class WechatApiError extends AppError {
  constructor(
    readonly errcode: number,
    errmsg: string,
    readonly api: string,
  ) {
    super('UPSTREAM', `WeChat ${api} failed: ${errcode} ${errmsg.replace(/\s*rid:.*$/, '')}`, { details: { errcode } });
  }
}

let client: Promise<AxiosInstance> | undefined;

/** axios is loaded on first use: most invocations never call WeChat, and cold start pays for every module initialised. */
function http(): Promise<AxiosInstance> {
  client ??= import('axios').then(({ default: axios }) => {
    const { WECHAT_API_BASE_URL, WECHAT_HTTP_TIMEOUT_MS } = config('wechat');
    return axios.create({ baseURL: WECHAT_API_BASE_URL, timeout: WECHAT_HTTP_TIMEOUT_MS, validateStatus: () => true, proxy: false });
  });
  return client;
}

export interface WechatRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
}

export async function wechatRequest<T extends Record<string, unknown>>(req: WechatRequest): Promise<T> {
  let res;
  try {
    res = await (await http()).request({ method: req.method, url: req.path, params: req.query, data: req.body });
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'ERROR';
    throw new AppError('UPSTREAM', `WeChat ${req.path} unreachable (${code})`, { cause: code });
  }
  if (res.status >= 500 || res.status < 200 || res.status >= 300) throw new AppError('UPSTREAM', `WeChat ${req.path} answered HTTP ${res.status}`);
  const data = res.data as Record<string, unknown> | undefined;
  if (!data || typeof data !== 'object') throw new AppError('UPSTREAM', `WeChat ${req.path} answered a non-JSON body`);
  const errcode = typeof data.errcode === 'number' ? data.errcode : 0;
  if (errcode !== 0) throw new WechatApiError(errcode, String(data.errmsg ?? ''), req.path);
  return data as T;
}
