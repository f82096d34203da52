// The WeChat server API stand-in as an emulated service: WeChat's own paths (any method, as
// WeChat answers them), its control routes under /_emulator/wechat/ (a page in the mini-program's
// local mode may mint a login code, as wx.login), and the console's backups screen.
import { STORE } from '../server-api/ports';
import type { ServiceFactory } from '../service';
import { CLOUD_FILES } from '../storage/ports';
import { backupsConsoleRoutes } from './backups-console-api';
import { MigrationJobs } from './migration-jobs';
import { WECHAT } from './ports';
import { wechatControlRoutes } from './wechat-control';
import { createWechatRoutes, handleWechat } from './wechat-routes';
import { WechatState } from './wechat-state';

export const wechatService: ServiceFactory = ({ options, envId, secrets, ports }) => {
  const wechat = new WechatState(secrets.appid, secrets.appSecret, options.accessTokenTtlSeconds ?? 7200);
  const migrations = new MigrationJobs({ store: ports.need(STORE), files: ports.need(CLOUD_FILES), jobDelayMs: options.exportJobDelayMs ?? 300, downloadUrlTtlMs: options.downloadUrlTtlMs ?? 3600_000 });
  const routes = createWechatRoutes(wechat, migrations, envId);
  ports.offer(WECHAT, wechat);
  return {
    name: 'wechat',
    routes: Object.keys(routes).map((path) => ({ path, handle: (req, res, { url }) => handleWechat(req, res, url, routes, wechat, Date.now) })),
    browser: { paths: /^\/_emulator\/wechat\/login-code$/ },
    control: wechatControlRoutes(wechat, migrations),
    console: backupsConsoleRoutes(wechat, migrations),
    close: () => undefined,
  };
};
