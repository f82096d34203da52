// Runs the official tcb CLI (node_modules/.bin/tcb, unmodified) against the cloud or the local
// emulator. Against the emulator: HTTP_PROXY points at it (the CLI opens CONNECT tunnels through
// it), NODE_EXTRA_CA_CERTS makes Node trust the emulator's local CA, HOME is a private folder so
// the emulator's key never replaces the user's cloud login, and ENV_ID is the emulator's env id.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
export const TCB_BIN = path.join(ROOT, 'node_modules/.bin/tcb');

export interface CloudCredentials {
  secretId: string;
  secretKey: string;
  envId: string;
  region: string;
  /** Values for cloudbaserc.json's {{env.X}} that the emulator's WeChat stand-in accepts. */
  functionVariables: Record<string, string>;
}

export interface LocalTarget {
  credentials: CloudCredentials;
  home: string;
  caFile: string;
  /** The environment to run the CLI with. */
  env: NodeJS.ProcessEnv;
}

export interface TcbRun {
  status: number;
  output: string;
  ms: number;
}

async function getOk(url: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch {
    throw new Error(`no emulator answers at ${new URL(url).origin}: start one with \`npm start\`, or point at yours with --url or EMULATOR_URL`);
  }
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res;
}

/** Where a CLI aimed at this emulator keeps its login: one folder per emulator address. */
export function defaultLocalHome(emulatorUrl: string): string {
  const { hostname, port } = new URL(emulatorUrl);
  return path.join(os.tmpdir(), `cloudbase-emulator-tcb-${hostname}-${port || 80}`);
}

export async function localTarget(emulatorUrl: string, home = defaultLocalHome(emulatorUrl)): Promise<LocalTarget> {
  const credentials = (await (await getOk(`${emulatorUrl}/_emulator/cloud-credentials`)).json()) as CloudCredentials;
  const pem = await (await getOk(`${emulatorUrl}/_emulator/tls/ca.pem`)).text();
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const caFile = path.join(home, 'emulator-ca.pem');
  fs.writeFileSync(caFile, pem);
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Nothing may bypass the proxy: the CLI reads only HTTP_PROXY / http_proxy.
  for (const k of ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']) delete env[k];
  const origin = new URL(emulatorUrl).origin;
  Object.assign(env, { HOME: home, HTTP_PROXY: origin, http_proxy: origin, NODE_EXTRA_CA_CERTS: caFile, ENV_ID: credentials.envId, ...credentials.functionVariables });
  return { credentials, home, caFile, env };
}

/** Runs `tcb <args>`; output is stdout and stderr interleaved, and echoed when asked. */
export function runTcb(args: string[], env: NodeJS.ProcessEnv, options: { cwd?: string; echo?: boolean; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<TcbRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // An abort kills the CLI (SIGTERM); the run then resolves as a killed one.
    const child = spawn(TCB_BIN, args, { cwd: options.cwd ?? ROOT, env: withCodeCache(env), stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
    let output = '';
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.echo) process.stdout.write(chunk);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
    child.once('error', (err) => {
      if (err.name !== 'AbortError') reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ status: code ?? (signal ? 128 : 1), output, ms: performance.now() - started });
    });
  });
}

export const TCB_CODE_CACHE_DIR = path.join(ROOT, 'node_modules/.cache/tcb-code-cache');

/** The CLI starts with V8's compiled code of its bundle kept from earlier runs (tcb-code-cache.cjs). */
export function withCodeCache(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const preload = `--require ${JSON.stringify(path.join(__dirname, 'tcb-code-cache.cjs'))}`;
  return { ...env, TCB_CODE_CACHE_DIR: env.TCB_CODE_CACHE_DIR ?? TCB_CODE_CACHE_DIR, NODE_OPTIONS: [env.NODE_OPTIONS, preload].filter(Boolean).join(' ') };
}

/** The CLI's stored login: `tcb login` writes it to $HOME/.config/.cloudbase/auth.json. */
export function storedLogin(home: string): { secretId?: string; refreshToken?: string } | undefined {
  try {
    const auth = JSON.parse(fs.readFileSync(path.join(home, '.config/.cloudbase/auth.json'), 'utf8')) as { credential?: { secretId?: string; refreshToken?: string } };
    return auth.credential && (auth.credential.secretId || auth.credential.refreshToken) ? auth.credential : undefined;
  } catch {
    return undefined;
  }
}

/** Logs the CLI in with the emulator's key unless its private HOME already holds that key. */
export async function ensureLocalLogin(target: LocalTarget, echo = false): Promise<void> {
  if (storedLogin(target.home)?.secretId === target.credentials.secretId) return;
  const run = await runTcb(['login', '--apiKeyId', target.credentials.secretId, '--apiKey', target.credentials.secretKey], target.env, { echo });
  if (run.status !== 0 || storedLogin(target.home)?.secretId !== target.credentials.secretId) throw new Error(`tcb login against the emulator failed:\n${run.output}`);
}

/** Whether `tcb fn deploy <name>` succeeded, read from its output (it can exit 0 after a failed upload). */
export function deploySucceeded(name: string, run: TcbRun): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const succeeded = new RegExp(`\\[${escaped}\\][^\\n]*(deployed successfully|部署成功)`).test(run.output);
  return run.status === 0 && succeeded && !/✖|部署失败|deploy(ment)? failed/i.test(run.output);
}
