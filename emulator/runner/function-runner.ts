// Invokes functions by name with a simulated caller, giving each call CloudBase's runtime
// environment, and records what it did (duration, database calls, outcome).
import { randomUUID } from 'node:crypto';
import { FunctionPool, type InvocationOutcome } from './function-pool';
import type { FunctionDefinition } from './function-registry';
import type { InstancePlacement } from './instance-placement';
import { announceFallbacks, runtimeView } from './runtime-report';
import type { FunctionRuntimeView } from './runtime-view';
import type { InvocationLog } from './invocation-log';
import type { Diagnostics, FunctionOutput } from '../lib/output-sinks';

export interface Caller {
  openid?: string;
  appid?: string;
  unionid?: string;
  clientIp?: string;
  /**
   * HTTP access: the client address CloudBase's gateway saw, injected as TCB_SOURCE_IP and listed
   * in TCB_CONTEXT_KEYS (the gateway's request context, see shared/router/caller.ts).
   */
  gatewaySourceIp?: string;
  /**
   * A CloudBase end user (@cloudbase/js-sdk web login): injected as @cloudbase/node-sdk reads it,
   * TCB_UUID / TCB_CUSTOM_USER_ID / TCB_ISANONYMOUS_USER listed in TCB_CONTEXT_KEYS and LOGINTYPE
   * as a plain variable (dist/utils/tcbcontext.js getCloudbaseContext, dist/auth/index.js).
   */
  webUser?: { uid?: string; customUserId?: string; isAnonymous?: boolean; loginType?: string };
  /** CloudBase's SOURCE: wx_client for a mini-program user, wx_trigger for timers, ...; '' sets none (node-sdk: the caller may pass no SOURCE). */
  source: string;
}

export interface RunnerOptions {
  functions: Map<string, FunctionDefinition>;
  envId: string;
  /** Base URL of the emulator's CloudBase API, e.g. http://127.0.0.1:8090/admin */
  adminUrl: () => string;
  /** Configuration variables every function gets (WeChat base URL, appid, secrets...). */
  functionEnv: () => Record<string, string>;
  /**
   * Variables that route a function's outbound calls to the emulator (the WeChat API base URL):
   * kept under a deployed function's own variables, which replace functionEnv.
   */
  networkEnv?: () => Record<string, string>;
  maxInstances: number;
  /** Where each function's instances run (its runtime's Node.js in a process, or worker threads). */
  placement: InstancePlacement;
  log: InvocationLog;
  /** Where the instances' console output goes. */
  output: FunctionOutput;
  /** Where a deployed function's runtime fallback is reported. */
  diagnostics: Diagnostics;
}

const PER_CALL_KEYS = ['WX_CONTEXT_KEYS', 'WX_OPENID', 'WX_APPID', 'WX_UNIONID', 'WX_CLIENTIP', 'TCB_SOURCE', 'TCB_CONTEXT_KEYS', 'TCB_SOURCE_IP', 'TCB_UUID', 'TCB_CUSTOM_USER_ID', 'TCB_ISANONYMOUS_USER', 'LOGINTYPE'] as const;

/**
 * Always listed in WX_CONTEXT_KEYS, as CloudBase does: wx-server-sdk's getWXContext() returns {}
 * (no ENV, no SOURCE) when the list is empty, and skips this key itself.
 */
const ALWAYS_LISTED_KEY = 'WX_API_TOKEN';

interface ActiveCall {
  functionName: string;
  caller: Caller;
  dbCalls: number;
  dbRoundTrips: number;
  inFlight: number;
}

export class UnknownFunctionError extends Error {}

export class FunctionRunner {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly active = new Map<string, ActiveCall>(); // by instance id

  constructor(private readonly options: RunnerOptions) {
    for (const def of options.functions.values()) this.pools.set(def.name, this.createPool(def));
  }

  /** Serves `def` from now on in place of any function of that name; calls in flight finish on the old code. */
  install(def: FunctionDefinition): void {
    const old = this.pools.get(def.name);
    this.options.functions.set(def.name, def);
    this.pools.set(def.name, this.createPool(def));
    old?.drain();
    void announceFallbacks(this.options.placement, [def], this.options.diagnostics);
  }

  /** Stops serving a function; calls in flight finish. */
  remove(name: string): boolean {
    const old = this.pools.get(name);
    if (!old) return false;
    this.pools.delete(name);
    this.options.functions.delete(name);
    old.drain();
    return true;
  }

  definition(name: string): FunctionDefinition | undefined {
    return this.options.functions.get(name);
  }

  private createPool(def: FunctionDefinition): FunctionPool {
    return new FunctionPool(def, {
      baseEnv: (instanceId) => this.baseEnv(instanceId, def),
      perCallKeys: PER_CALL_KEYS,
      maxInstances: this.options.maxInstances,
      mode: async () => (await this.options.placement.place(def.runtime)).mode,
      output: this.options.output,
    });
  }

  definitions(): FunctionDefinition[] {
    return [...this.options.functions.values()];
  }

  has(name: string): boolean {
    return this.pools.has(name);
  }

  /** The mini-program's AppID: what getWXContext().APPID reports for a user call. */
  miniProgramAppid(): string {
    return this.options.functionEnv().WECHAT_APPID ?? 'wx-emulator-appid';
  }

  /** The runtime a function is declared with and the Node.js its instances really run on. */
  async runtimeOf(name: string): Promise<FunctionRuntimeView | undefined> {
    const def = this.options.functions.get(name);
    return def && runtimeView(await this.options.placement.place(def.runtime));
  }

  instanceCount(name: string): number {
    return this.pools.get(name)?.size ?? 0;
  }

  async invoke(name: string, event: unknown, caller: Caller): Promise<InvocationOutcome & { requestId: string; dbCalls: number }> {
    const pool = this.pools.get(name);
    if (!pool) throw new UnknownFunctionError(`FunctionName parameter could not be found: ${name}`);
    const requestId = randomUUID();
    const env = this.callEnv(caller);
    const startedAt = new Date().toISOString();
    const call: ActiveCall = { functionName: name, caller, dbCalls: 0, dbRoundTrips: 0, inFlight: 0 };
    let instanceId: string | undefined;
    const outcome = await pool.invoke({
      event,
      env,
      requestId,
      onStart: (id) => {
        instanceId = id;
        this.active.set(id, call);
      },
    });
    if (instanceId) this.active.delete(instanceId);
    this.options.log.add({
      id: requestId,
      function: name,
      eventName: describeEvent(event),
      caller: caller.openid ? `user:${caller.openid}` : caller.webUser ? `web:${caller.webUser.customUserId ?? caller.webUser.uid ?? 'anonymous'}` : caller.source || '(no source)',
      source: caller.source,
      startedAt,
      durationMs: outcome.durationMs,
      coldStartMs: outcome.coldStartMs,
      dbCalls: call.dbCalls,
      dbRoundTrips: call.dbRoundTrips,
      outcome: outcome.ok ? 'ok' : outcome.kind,
      error: outcome.ok ? undefined : outcome.message,
      event,
      result: outcome.ok ? outcome.result : undefined,
    });
    return { ...outcome, requestId, dbCalls: call.dbCalls };
  }

  /**
   * The caller a function-to-function call inherits: CloudBase keeps the end user and appends
   * `scf` to the SOURCE chain (client → A → B gives B `wx_client,scf`).
   */
  chainedCaller(instanceId: string | undefined): Caller {
    const parent = instanceId ? this.active.get(instanceId)?.caller : undefined;
    return parent ? { ...parent, source: `${parent.source},scf` } : { source: 'scf' };
  }

  /** The function an instance is running now and its caller: a CloudBase API request names its instance in the URL. */
  callOf(instanceId: string | undefined): { functionName: string; caller: Caller } | undefined {
    const call = instanceId ? this.active.get(instanceId) : undefined;
    return call && { functionName: call.functionName, caller: call.caller };
  }

  /** Called by the CloudBase API route for each database request an instance makes. */
  dbCallStarted(instanceId: string | undefined): () => void {
    const call = instanceId ? this.active.get(instanceId) : undefined;
    if (!call) return () => undefined;
    call.dbCalls++;
    if (call.inFlight === 0) call.dbRoundTrips++;
    call.inFlight++;
    return () => {
      call.inFlight--;
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
  }

  private baseEnv(instanceId: string, def: FunctionDefinition): Record<string, string> {
    return {
      ...pickProcessEnv(),
      ...(def.configEnv ? { ...this.options.networkEnv?.(), ...def.configEnv } : this.options.functionEnv()),
      TCB_ENV: this.options.envId,
      SCF_NAMESPACE: this.options.envId,
      TENCENTCLOUD_SECRETID: 'emulator-secret-id',
      TENCENTCLOUD_SECRETKEY: 'emulator-secret-key',
      TENCENTCLOUD_RUNENV: 'SCF',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${this.options.adminUrl()}/i/${instanceId}` }),
    };
  }

  private callEnv(caller: Caller): Record<string, string> {
    const env: Record<string, string> = caller.source ? { TCB_SOURCE: caller.source } : {};
    const keys: string[] = [ALWAYS_LISTED_KEY];
    const put = (key: string, value: string | undefined) => {
      if (value === undefined || value === '') return;
      env[key] = value;
      keys.push(key);
    };
    put('WX_OPENID', caller.openid);
    put('WX_APPID', caller.appid);
    put('WX_UNIONID', caller.unionid);
    put('WX_CLIENTIP', caller.clientIp);
    env.WX_CONTEXT_KEYS = keys.join(',');
    const tcbKeys: string[] = [];
    const putTcb = (key: string, value: string | undefined) => {
      if (value === undefined || value === '') return;
      env[key] = value;
      tcbKeys.push(key);
    };
    putTcb('TCB_UUID', caller.webUser?.uid);
    putTcb('TCB_CUSTOM_USER_ID', caller.webUser?.customUserId);
    putTcb('TCB_ISANONYMOUS_USER', caller.webUser?.isAnonymous ? 'true' : undefined);
    if (caller.webUser?.loginType) env.LOGINTYPE = caller.webUser.loginType;
    if (caller.gatewaySourceIp !== undefined) {
      env.TCB_SOURCE_IP = caller.gatewaySourceIp;
      tcbKeys.push('TCB_SOURCE_IP');
    }
    if (tcbKeys.length) env.TCB_CONTEXT_KEYS = tcbKeys.join(',');
    return env;
  }
}

function pickProcessEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TZ', 'NODE_OPTIONS'];
  const out: Record<string, string> = {};
  for (const k of keep) if (process.env[k]) out[k] = process.env[k] as string;
  return out;
}

export function describeEvent(event: unknown): string {
  if (event && typeof event === 'object') {
    const e = event as Record<string, unknown>;
    if (typeof e.name === 'string') return e.name;
    if (typeof e.Type === 'string') return `timer:${String(e.TriggerName ?? '')}`;
    if (typeof e.httpMethod === 'string') return `${e.httpMethod} ${String(e.path ?? '')}`;
  }
  return '(none)';
}
