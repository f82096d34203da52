// The local CloudBase emulator: the services of SERVICES on one port. The server owns no path of
// its own: it matches each request against the services' routes (then their /_emulator control
// routes, then the paths they claim while they run), answers CORS for the routes a service opens
// to browsers, and answers what escapes a route in one place (http/request-handler.ts).
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { COLLECTION_SPECS } from '../shared/db/collections';
import { cloudApiService } from './cloud-api/cloud-api-service';
import { cloudCallsService } from './cloud-calls/cloud-calls-service';
import { consoleService } from './console/console-service';
import { lockDataFolder } from './data-folder-lock';
import type { EmulatorContext } from './emulator-context';
import type { EmulatorSettings } from './emulator-options';
import { loadSecrets, type EmulatorSecrets } from './emulator-secrets';
import { serveApi } from './http/api-table';
import { handleCors, isAllowedOrigin } from './http/cors';
import { sendJson } from './http/http-utils';
import { applyTimeouts, PORT_TIMEOUTS } from './http/connection-timeouts';
import { createHostCheck } from './http/host-check';
import { createRequestHandler } from './http/request-handler';
import { findRoute } from './http/routes';
import { TERMINAL_DIAGNOSTICS, type Diagnostics } from './lib/output-sinks';
import { PortRegistry } from './port-registry';
import { DEPLOYMENTS, INVOCATION_LOG, RUNNER } from './runner/ports';
import { functionsService } from './runner/functions-service';
import { STORE } from './server-api/ports';
import { serverApiService } from './server-api/server-api-service';
import type { EmulatedService, ServiceFactory, ServiceSetup } from './service';
import { STORAGE_CONSOLE } from './storage/ports';
import { storageService } from './storage/storage-service';
import { TIMERS } from './timers/ports';
import { timersService } from './timers/timers-service';
import { WECHAT } from './wechat/ports';
import { wechatService } from './wechat/wechat-service';

/** The emulator, one service a line, built in this order (a service needs only ports of those above it) and closed in reverse. */
const SERVICES: readonly ServiceFactory[] = [
  storageService,
  serverApiService(COLLECTION_SPECS),
  functionsService,
  timersService,
  wechatService,
  cloudCallsService,
  cloudApiService,
  consoleService,
];

/** Where every service's control routes are mounted. */
const CONTROL_PREFIX = '/_emulator/';
const CONTROL_BODY_LIMIT = 1024 * 1024;

export interface EmulatorOptions extends EmulatorSettings {
  /** Services mounted after the table's (a test mounts a fixture service so). */
  extraServices?: ServiceFactory[];
}

export interface RunningEmulator {
  url: string;
  port: number;
  context: EmulatorContext;
  secrets: EmulatorSecrets;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8090;

/**
 * What the data-folder lock reports: a stale lock taken over, and (exit at once, before anything
 * is rewritten) a lock lost to another process, on the terminal whatever the sink, as the process ends.
 */
const lockReports = (diagnostics: Diagnostics) => ({
  note: (line: string) => diagnostics.warn(line),
  onLost: (message: string) => {
    console.error(message);
    process.exit(1);
  },
});

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const dataDir = options.inMemory ? undefined : path.resolve(options.dataDir ?? '.emulator-data');
  const diagnostics = options.diagnostics ?? TERMINAL_DIAGNOSTICS;
  // Before anything in the folder is read: a second emulator must not load data another one is writing.
  const lock = dataDir ? await lockDataFolder(dataDir, lockReports(diagnostics)) : undefined;
  try {
    const emulator = await startOn(options, dataDir, diagnostics);
    lock?.setPort(emulator.port);
    return {
      ...emulator,
      async close() {
        await emulator.close();
        await lock?.release();
      },
    };
  } catch (err) {
    await lock?.release();
    throw err;
  }
}

async function startOn(options: EmulatorOptions, dataDir: string | undefined, diagnostics: Diagnostics): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const envId = options.envId ?? 'local-env';
  const secrets = loadSecrets(dataDir);
  let baseUrl = '';
  const ports = new PortRegistry();
  const services: EmulatedService[] = [];
  const setup: ServiceSetup = {
    options,
    envId,
    dataDir,
    secrets,
    baseUrl: () => baseUrl,
    // Browser origins the mini-program's local mode calls from (WeChat DevTools), besides the console's own.
    browserOrigin: (origin) => isAllowedOrigin(origin, options.corsOrigins),
    ports,
    consoleFacets: () => services.flatMap((s) => Object.values(s.console ?? {})),
    diagnostics,
  };
  const closeAll = async () => {
    for (const service of [...services].reverse()) await service.close();
  };
  try {
    for (const create of [...SERVICES, ...(options.extraServices ?? [])]) services.push(await create(setup));
  } catch (err) {
    await closeAll();
    throw err;
  }

  const routes = services.flatMap((s) => s.routes ?? []);
  const control = services.flatMap((s) => Object.values(s.control ?? {}));
  const claimed = services.flatMap((s) => s.claimed ?? []);
  const browserPaths = services.flatMap((s) => (s.browser ? [s.browser.paths] : []));
  const server = http.createServer(createRequestHandler(async (req, res, url) => {
    if (browserPaths.some((p) => p.test(url.pathname)) && handleCors(req, res, setup.browserOrigin)) return;
    const hit = findRoute(routes, req.method, url);
    if (hit) return void (await hit[0].handle(req, res, hit[1]));
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      if (await serveApi(control, req, res, url, { limitBytes: CONTROL_BODY_LIMIT, diagnostics })) return;
      return sendJson(res, 404, { error: `no control route ${req.method} ${url.pathname}` });
    }
    const claim = findRoute(claimed, req.method, url);
    if (claim) return void (await claim[0].handle(req, res, claim[1]));
    sendJson(res, 404, { code: 'NOT_FOUND', message: `no route for ${req.method} ${url.pathname}` });
  }, { hosts: createHostCheck(host, options.allowHosts), diagnostics }));
  applyTimeouts(server, PORT_TIMEOUTS);
  for (const service of services) if (service.onConnect) server.on('connect', service.onConnect);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_PORT, host, () => resolve());
    });
  } catch (err) {
    await closeAll();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host}:${port}`;
  for (const service of services) await service.start?.();

  return {
    url: baseUrl,
    port,
    context: { envId, store: ports.need(STORE), runner: ports.need(RUNNER), log: ports.need(INVOCATION_LOG), timers: ports.need(TIMERS), wechat: ports.need(WECHAT), storage: ports.need(STORAGE_CONSOLE), deploymentHistory: ports.need(DEPLOYMENTS), ports },
    secrets,
    async close() {
      // Tunnels the proxy end holds keep the server from closing until their service closes them.
      server.closeAllConnections();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await closeAll();
      await closed;
    },
  };
}
