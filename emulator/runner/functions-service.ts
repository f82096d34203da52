// Cloud functions as an emulated service: callFunction (POST /functions/<name>, which a page in
// the mini-program's local mode may call), HTTP access on the paths the functions declare, the
// index at GET /, the functions and logs control routes, the console's functions screen, and the
// ports that deploy into and invoke the functions.
import path from 'node:path';
import { sendJson } from '../http/http-utils';
import type { ServiceFactory } from '../service';
import { handleCallFunction } from './call-function-route';
import { DEFAULT_MAX_INSTANCES_PER_FUNCTION } from './function-pool';
import { loadFunctions } from './function-registry';
import { FunctionRunner } from './function-runner';
import { functionsConsoleRoutes } from './functions-console-api';
import { functionsControlRoutes } from './functions-control';
import { createFunctionHost } from './hosted-functions';
import { findHttpFunction, handleHttpAccess } from './http-access-route';
import { createPlacement } from './instance-placement';
import { InvocationLog } from './invocation-log';
import { NodeBinaries } from './node-binaries';
import { announceFallbacks } from './runtime-report';
import { TERMINAL_OUTPUT } from '../lib/output-sinks';
import { DEPLOYMENTS, FUNCTION_CHANGES, FUNCTION_HOST, FUNCTIONS, INVOCATION_LOG, RUNNER } from './ports';

export const functionsService: ServiceFactory = ({ options, envId, secrets, baseUrl, browserOrigin, ports, diagnostics }) => {
  let functionEnv: Record<string, string> = {};
  const log = new InvocationLog(options.printLogs ?? false);
  const placement = createPlacement(options.runtime ?? 'declared', new NodeBinaries(options.nodeCacheDir));
  const runner = new FunctionRunner({
    functions: loadFunctions(options.functionsDirs ?? [path.resolve('dist/functions')]),
    envId,
    adminUrl: () => `${baseUrl()}/admin`,
    functionEnv: () => functionEnv,
    networkEnv: () => ({ WECHAT_API_BASE_URL: baseUrl() }),
    maxInstances: options.maxInstancesPerFunction ?? DEFAULT_MAX_INSTANCES_PER_FUNCTION,
    placement,
    log,
    output: options.functionOutput ?? TERMINAL_OUTPUT,
    diagnostics,
  });
  const listeners: Array<(name: string) => void> = [];
  ports.offer(FUNCTIONS, runner);
  ports.offer(RUNNER, runner);
  ports.offer(INVOCATION_LOG, log);
  ports.offer(FUNCTION_HOST, createFunctionHost(runner, (name) => listeners.forEach((listener) => listener(name))));
  ports.offer(FUNCTION_CHANGES, (listener) => void listeners.push(listener));
  return {
    name: 'functions',
    routes: [{ methods: ['POST'], path: /^\/functions\/([^/]+)$/, handle: (req, res, { params }) => handleCallFunction(req, res, params[0], runner, browserOrigin) }],
    claimed: [
      { path: (pathname) => findHttpFunction(runner, pathname) !== undefined, handle: (req, res, { url }) => handleHttpAccess(req, res, url, findHttpFunction(runner, url.pathname) as string, runner, envId) },
      { methods: ['GET'], path: '/', handle: (_req, res) => sendJson(res, 200, { service: 'cloudbase-emulator', envId, functions: runner.definitions().map((d) => d.name), console: '/_/' }) },
    ],
    browser: { paths: /^\/functions\// },
    control: functionsControlRoutes(runner, log),
    console: functionsConsoleRoutes(runner, () => ports.need(DEPLOYMENTS)),
    async start() {
      // Known before the first call: the banner and the log say at once which Node.js each runtime gets.
      await announceFallbacks(placement, runner.definitions(), diagnostics);
      functionEnv = {
        WECHAT_APPID: secrets.appid,
        WECHAT_SECRET: secrets.appSecret,
        WECHAT_API_BASE_URL: baseUrl(),
        TOKEN_SECRET: secrets.tokenSecret,
        ...options.functionEnv,
      };
    },
    close: () => runner.close(),
  };
};
