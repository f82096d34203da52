// The WeChat server API stand-in as an emulated service: WeChat's own paths (any method, as
// WeChat answers them), its control routes under /_emulator/wechat/ (a page in the mini-program's
// local mode may mint a login code, as wx.login), and the console's backups screen. It offers its
// phone codes to the cloud call phonenumber.getPhoneNumber and serves /wxa/msg_sec_check with the
// cloud-calls service's judge.
import path from 'node:path';
import { MSG_SEC_CHECK, PHONE_CODES } from '../cloud-calls/ports';
import { STORE } from '../server-api/ports';
import type { ServiceFactory } from '../service';
import { CLOUD_FILES } from '../storage/ports';
import { backupsConsoleRoutes } from './backups-console-api';
import { MigrationJobs } from './migration-jobs';
import { redeemPhoneCode } from './phone-numbers';
import { SavedJobs } from './saved-jobs';
import { JOBS_SETTLED, WECHAT } from './ports';
import { wechatControlRoutes } from './wechat-control';
import { createWechatRoutes, handleWechat } from './wechat-routes';
import { WechatState } from './wechat-state';

export const wechatService: ServiceFactory = ({ options, envId, dataDir, secrets, ports }) => {
  const wechat = new WechatState(secrets.appid, secrets.appSecret, options.accessTokenTtlSeconds ?? 7200, new SavedJobs(dataDir && path.join(dataDir, 'wechat', 'migration-jobs.json')));
  const migrations = new MigrationJobs({ store: ports.need(STORE), files: ports.need(CLOUD_FILES), jobs: wechat.jobs, jobDelayMs: options.exportJobDelayMs ?? 300, downloadUrlTtlMs: options.downloadUrlTtlMs ?? 3600_000 });
  const routes = createWechatRoutes(wechat, migrations, envId, (body) => ports.need(MSG_SEC_CHECK)(body));
  const jobsSettled = () => migrations.settled();
  ports.offer(WECHAT, wechat);
  ports.offer(JOBS_SETTLED, jobsSettled);
  ports.offer(PHONE_CODES, (body, now) => redeemPhoneCode(wechat, body, now));
  return {
    name: 'wechat',
    routes: Object.keys(routes).map((path) => ({ path, handle: (req, res, { url }) => handleWechat(req, res, url, routes, wechat, Date.now) })),
    browser: { paths: /^\/_emulator\/wechat\/login-code$/ },
    control: wechatControlRoutes(wechat, jobsSettled),
    console: backupsConsoleRoutes(wechat, migrations),
    // A clean stop finishes the jobs under way (before the store and storage close).
    close: () => migrations.close(),
  };
};
