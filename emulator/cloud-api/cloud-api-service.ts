// The emulator as the tcb CLI's cloud: an HTTP proxy end (CONNECT + TLS with the local CA) in front
// of Tencent Cloud API 3.0 (tcb + scf actions) and the COS upload subset, plus
// GET /_emulator/tls/ca.pem and GET /_emulator/cloud-credentials. Deployed functions are kept in
// <data>/cloud and served again on restart; functions deleted through it stay deleted (hideDeletedBuilds).
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { sendJson } from '../http/http-utils';
import type { Route } from '../http/routes';
import { DEPLOYMENTS, FUNCTION_HOST, INVOCATION_LOG, type ApiLog, type FunctionHost } from '../runner/ports';
import type { ServiceFactory } from '../service';
import { handleApi3 } from './api3-route';
import { CloudState, type DeploymentEntry } from './cloud-state';
import { CosUploads } from './cos-uploads';
import { bundleDigest } from './bundle-digest';
import { hostedFrom, SCF_ACTIONS } from './scf-actions';
import { TCB_ACTIONS, type TcbDeps } from './tcb-actions';
import { loadTlsAuthority, type TlsMaterial } from './tls-authority';
import { createConnectHandler } from './tls-proxy';
import type { TunnelTimeouts } from '../http/connection-timeouts';
import type { Diagnostics } from '../lib/output-sinks';

export interface CloudApiOptions {
  envId: string;
  /** Where deployed functions and the CA are kept; a temporary folder (removed on close) when undefined. */
  dataDir?: string;
  host: FunctionHost;
  log: ApiLog;
  key: { secretId: string; secretKey: string };
  /** Values for the configuration variables cloudbaserc.json asks for, that the emulator's WeChat stand-in accepts. */
  functionVariables: Record<string, string>;
  /** Bounds for the tcb CLI's CONNECT tunnels (default: a 15 s handshake, then the port's own timeouts). */
  tunnelTimeouts?: Partial<TunnelTimeouts>;
  /** Where a request that failed unexpectedly is reported. */
  diagnostics: Diagnostics;
}

export interface CloudApiService {
  onConnect(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  /** GET /_emulator/tls/ca.pem and /_emulator/cloud-credentials. */
  routes: Route[];
  /** Deployments through the API of a function, oldest first. */
  deployments(name: string): DeploymentEntry[];
  close(): void;
}

const REGION = 'ap-shanghai';
/** The account's APPID the emulator reports (DescribeTcbAccountInfo.CloudAppId). */
const CLOUD_APP_ID = '1250000000';

const isCloudHost = (host: string) => host.endsWith('.tencentcloudapi.com') || /^[a-z0-9-]+\.cos\.[a-z0-9-]+\.myqcloud\.com$/.test(host);

export function createCloudApi(options: CloudApiOptions): CloudApiService {
  const temp = options.dataDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'cloudbase-emulator-cloud-'));
  const root = options.dataDir ?? (temp as string);
  const state = new CloudState(path.join(root, 'cloud'));
  const cos = new CosUploads();
  const deps: TcbDeps = { envId: options.envId, host: options.host, state, cos, now: () => new Date(), region: REGION, cloudAppId: CLOUD_APP_ID, createdAt: new Date().toISOString() };
  let tlsMaterial: TlsMaterial | undefined;
  const tls = () => (tlsMaterial ??= loadTlsAuthority(path.join(root, 'tls')));

  // Functions deployed before a restart replace the build's.
  for (const record of state.functions()) {
    if (record.codeDir && fs.existsSync(state.absolute(record.codeDir))) options.host.put(hostedFrom(record, deps));
  }
  hideDeletedBuilds(state, options.host);

  const services = { tcb: TCB_ACTIONS, scf: SCF_ACTIONS };
  const connect = createConnectHandler({
    timeouts: options.tunnelTimeouts,
    allowHost: isCloudHost,
    tls,
    serve: (req, res, host) => {
      const done = host.endsWith('.tencentcloudapi.com')
        ? handleApi3(req, res, host, { services, deps, key: () => options.key, log: options.log, diagnostics: options.diagnostics })
        : cos.handle(req, res, host, Date.now()).then((r) => logCos(r, options.log));
      done.catch((err: unknown) => {
        options.diagnostics.error('[cloud-api] request failed', err);
        if (!res.headersSent) sendJson(res, 500, { Response: { Error: { Code: 'InternalError', Message: 'internal emulator error' } } });
        else res.destroy();
      });
    },
  });

  return {
    onConnect: (req, socket, head) => connect.onConnect(req, socket, head),
    routes: [
      { methods: ['GET'], path: '/_emulator/tls/ca.pem', handle: (_req, res) => {
        const pem = tls().caCertPem;
        res.writeHead(200, { 'content-type': 'application/x-pem-file', 'content-length': Buffer.byteLength(pem), 'cache-control': 'no-store' });
        res.end(pem);
      } },
      { methods: ['GET'], path: '/_emulator/cloud-credentials', handle: (_req, res) => {
        sendJson(res, 200, { secretId: options.key.secretId, secretKey: options.key.secretKey, envId: options.envId, region: REGION, functionVariables: options.functionVariables }, { 'cache-control': 'no-store' });
      } },
    ],
    deployments: (name) => state.get(name)?.deployments ?? [],
    close() {
      connect.close();
      if (temp) fs.rmSync(temp, { recursive: true, force: true });
    },
  };
}

/**
 * A function deleted through the API stays deleted across restarts while the build holds the same
 * bundle (`npm start` rebuilds every function, byte for byte the same from unchanged source); a
 * build of changed source, or a deploy, serves it again.
 */
function hideDeletedBuilds(state: CloudState, host: FunctionHost): void {
  for (const [name, deletion] of state.deletions()) {
    const built = host.get(name);
    if (!built || built.source !== 'build') continue;
    const digest = bundleDigest(built);
    if (deletion.buildDigest !== undefined && deletion.buildDigest !== digest) {
      state.forgetDeletion(name);
      continue;
    }
    host.remove(name);
    if (deletion.buildDigest === undefined) state.markDeleted(name, { ...deletion, buildDigest: digest });
  }
}

function logCos(r: { action: string; key: string; error?: string }, log: ApiLog): void {
  log.add({
    id: `cos-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, kind: 'cloud-api', function: 'cos', eventName: r.action, caller: 'tcb_cli', source: 'cloud-api',
    startedAt: new Date().toISOString(), durationMs: 0, dbCalls: 0, dbRoundTrips: 0, outcome: r.error ? 'error' : 'ok', error: r.error, event: { key: r.key },
  });
}

/** The tcb CLI's cloud as an emulated service: the proxy end (CONNECT), the CA and credentials routes, deployments into the functions service. */
export const cloudApiService: ServiceFactory = ({ envId, dataDir, secrets, ports, options, diagnostics }) => {
  const cloudApi = createCloudApi({
    envId,
    dataDir,
    host: ports.need(FUNCTION_HOST),
    log: ports.need(INVOCATION_LOG),
    key: { secretId: secrets.cloudSecretId, secretKey: secrets.cloudSecretKey },
    functionVariables: { WECHAT_APPID: secrets.appid, WECHAT_SECRET: secrets.appSecret, TOKEN_SECRET: secrets.tokenSecret },
    tunnelTimeouts: options.tunnelTimeouts,
    diagnostics,
  });
  ports.offer(DEPLOYMENTS, (name) => cloudApi.deployments(name));
  return { name: 'cloud-api', routes: cloudApi.routes, onConnect: cloudApi.onConnect, close: () => cloudApi.close() };
};
