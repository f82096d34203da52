// The port of the WeChat stand-in: what it remembers (tests look at its tokens, codes and jobs).
import type { ApiContract } from '../http/api-table';
import { port } from '../port-registry';
import type { backupsConsoleRoutes } from './backups-console-api';
import type { wechatControlRoutes } from './wechat-control';
import type { WechatState } from './wechat-state';

export const WECHAT = port<WechatState>('wechat.state');
/** Resolves once no export or import job's work is under way: POST /_emulator/wechat/jobs/settle, for a test in the emulator's process. */
export const JOBS_SETTLED = port<() => Promise<void>>('wechat.jobs-settled');

/** The console's backups API and the WeChat stand-in's control routes, as the UI receives them. */
export type BackupsConsoleContract = ApiContract<ReturnType<typeof backupsConsoleRoutes>>;
export type WechatControlContract = ApiContract<ReturnType<typeof wechatControlRoutes>>;
