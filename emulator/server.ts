// The local CloudBase emulator: CloudBase server API (/admin), callFunction (/functions/<name>),
// HTTP access (paths from the functions' config), cloud storage (/storage/*), the WeChat API
// stand-in, timers and the /_emulator control API, on one port.
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { COLLECTION_SPECS } from '../shared/db/collections';
import { createCloudApi } from './cloud-api/cloud-api-service';
import { handleConsole } from './console/console-routes';
import { handleControl } from './control/control-routes';
import type { EmulatorContext } from './emulator-context';
import { loadSecrets, type EmulatorSecrets } from './emulator-secrets';
import { handleCors, isAllowedOrigin } from './http/cors';
import { sendJson } from './http/http-utils';
import { createRequestHandler } from './http/request-handler';
import { decodePathSegment } from './http/request-url';
import { handleCallFunction } from './runner/call-function-route';
import { loadFunctions } from './runner/function-registry';
import { DEFAULT_MAX_INSTANCES_PER_FUNCTION } from './runner/function-pool';
import { FunctionRunner } from './runner/function-runner';
import { createFunctionHost } from './runner/hosted-functions';
import { findHttpFunction, handleHttpAccess } from './runner/http-access-route';
import { InvocationLog } from './runner/invocation-log';
import { DocumentStore } from './store/document-store';
import { createStorageService } from './storage';
import { handleAdmin } from './server-api/admin-route';
import { TransactionManager } from './server-api/transactions';
import { TimerScheduler, type TimerClock } from './timers/timer-scheduler';
import { MigrationStorage } from './wechat/migration-storage';
import { createWechatRoutes, handleWechat } from './wechat/wechat-routes';
import { WechatState } from './wechat/wechat-state';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  /** Where data persists; ignored when inMemory. */
  dataDir?: string;
  inMemory?: boolean;
  functionsDirs?: string[];
  envId?: string;
  printLogs?: boolean;
  /** Concurrent instances (worker threads) per function; calls beyond it queue. */
  maxInstancesPerFunction?: number;
  /** Start timers on their cron schedule (the fire endpoint works either way). */
  scheduleTimers?: boolean;
  /** The clock timers are scheduled on (default: the system clock); tests pass a fake one. */
  timerClock?: TimerClock;
  exportJobDelayMs?: number;
  /** Added to every CloudBase API call, to simulate the cloud's network round trip. */
  dbLatencyMs?: number;
  downloadUrlTtlMs?: number;
  accessTokenTtlSeconds?: number;
  /** Origins allowed to call /functions and /storage from a browser, besides loopback pages and servicewechat.com. */
  corsOrigins?: string[];
  /** Storage rules (CloudBase console format); default: storage.rules.json at the project root. */
  storageRulesFile?: string;
  /** An upload that sends nothing for this long is dropped with COS's RequestTimeout (default 30 s). */
  uploadIdleTimeoutMs?: number;
  /** Extra configuration variables for every function. */
  functionEnv?: Record<string, string>;
  /** Extra routes checked first (the console mounts itself here). */
  extraRoutes?: Array<(req: http.IncomingMessage, res: http.ServerResponse, url: URL, ctx: EmulatorContext) => Promise<boolean>>;
}

export interface RunningEmulator {
  url: string;
  port: number;
  context: EmulatorContext;
  secrets: EmulatorSecrets;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8090;

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const envId = options.envId ?? 'local-env';
  const dataDir = options.inMemory ? undefined : path.resolve(options.dataDir ?? '.emulator-data');
  const secrets = loadSecrets(dataDir);
  let baseUrl = '';
  // Browser origins the mini-program's local mode calls from (WeChat DevTools), besides the console's own.
  const clientOrigin = (origin: string) => isAllowedOrigin(origin, options.corsOrigins);
  const storage = createStorageService({ dir: dataDir && path.join(dataDir, 'storage'), envId, baseUrl: () => baseUrl, rulesFile: options.storageRulesFile ?? path.resolve(__dirname, '../storage.rules.json'), uploadIdleTimeoutMs: options.uploadIdleTimeoutMs, allowOrigin: clientOrigin });
  const store = await DocumentStore.open({ dir: dataDir && path.join(dataDir, 'db'), collections: COLLECTION_SPECS });
  let functionEnv: Record<string, string> = {};
  const log = new InvocationLog(options.printLogs ?? false);
  const runner = new FunctionRunner({
    functions: loadFunctions(options.functionsDirs ?? [path.resolve('dist/functions')]),
    envId,
    adminUrl: () => `${baseUrl}/admin`,
    functionEnv: () => functionEnv,
    networkEnv: () => ({ WECHAT_API_BASE_URL: baseUrl }),
    maxInstances: options.maxInstancesPerFunction ?? DEFAULT_MAX_INSTANCES_PER_FUNCTION,
    log,
  });
  const wechat = new WechatState(secrets.appid, secrets.appSecret, options.accessTokenTtlSeconds ?? 7200);
  const migrations = new MigrationStorage({ store, files: storage.files, jobDelayMs: options.exportJobDelayMs ?? 300, downloadUrlTtlMs: options.downloadUrlTtlMs ?? 3600_000 });
  const transactions = new TransactionManager(store);
  const timers = new TimerScheduler(runner, options.timerClock);
  const cloudApi = createCloudApi({ envId, dataDir, host: createFunctionHost(runner, (name) => timers.refresh(name)), log, key: { secretId: secrets.cloudSecretId, secretKey: secrets.cloudSecretKey }, functionVariables: { WECHAT_APPID: secrets.appid, WECHAT_SECRET: secrets.appSecret, TOKEN_SECRET: secrets.tokenSecret } });
  const ctx: EmulatorContext = { envId, store, transactions, runner, log, timers, wechat, migrations, storage: storage.console, deploymentHistory: (name) => cloudApi.deployments(name) };
  const wechatRoutes = createWechatRoutes(wechat, migrations, envId);
  const adminDeps = { store, transactions, now: () => new Date(), runner: () => runner, latencyMs: options.dbLatencyMs ?? 0, storage: storage.admin };

  const server = http.createServer(createRequestHandler(async (req, res, url) => {
    if (handleCors(req, res, url, options.corsOrigins)) return;
    for (const extra of [...(options.extraRoutes ?? []), handleConsole]) if (await extra(req, res, url, ctx)) return;
    if (await cloudApi.handleRoute(req, res, url)) return;
    const admin = url.pathname.match(/^\/admin(?:\/i\/([A-Za-z0-9-]+))?\/?$/);
    if (admin && req.method === 'POST') return handleAdmin(req, res, admin[1], adminDeps);
    const fn = url.pathname.match(/^\/functions\/([^/]+)$/);
    if (fn && req.method === 'POST') return handleCallFunction(req, res, decodePathSegment(fn[1] as string), runner, clientOrigin);
    if (await storage.handle(req, res, url)) return;
    if (url.pathname.startsWith('/_emulator/')) return handleControl(req, res, url, ctx);
    if (url.pathname in wechatRoutes) return handleWechat(req, res, url, wechatRoutes, wechat, Date.now);
    const httpFn = findHttpFunction(runner, url.pathname);
    if (httpFn) return handleHttpAccess(req, res, url, httpFn, runner, envId);
    if (url.pathname === '/' && req.method === 'GET') return sendJson(res, 200, { service: 'cloudbase-emulator', envId, functions: runner.definitions().map((d) => d.name), console: '/_/' });
    sendJson(res, 404, { code: 'NOT_FOUND', message: `no route for ${req.method} ${url.pathname}` });
  }));
  server.keepAliveTimeout = 30_000;
  server.on('connect', cloudApi.onConnect);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host}:${port}`;
  functionEnv = {
    WECHAT_APPID: secrets.appid,
    WECHAT_SECRET: secrets.appSecret,
    WECHAT_API_BASE_URL: baseUrl,
    TOKEN_SECRET: secrets.tokenSecret,
    BACKUP_STORAGE_BUCKET: storage.bucket,
    ...options.functionEnv,
  };
  if (options.scheduleTimers ?? true) timers.start();

  return {
    url: baseUrl,
    port,
    context: ctx,
    secrets,
    async close() {
      timers.stop();
      await runner.close();
      cloudApi.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      storage.close();
    },
  };
}
