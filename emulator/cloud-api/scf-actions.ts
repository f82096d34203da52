// The scf (API version 2018-04-16) actions the tcb CLI uses to deploy, list, invoke and delete
// functions, on the functions the emulator serves (the build's and those deployed through here).
import fs from 'node:fs';
import { CLI_DEFAULT_RUNTIME, NODE_RUNTIMES, isNodeRuntime } from '../../scripts/lib/runtimes';
import { parseJsonText } from '../http/json-request';
import { nextRun } from '../lib/cloudbase-cron';
import { CloudApiError, type ActionHandler } from '../lib/api3-action';
import type { CloudState, FunctionRecord } from './cloud-state';
import { handlerFileOf, unpackCode } from './code-package';
import type { CosUploads } from './cos-uploads';
import type { FunctionHost, HostedFunction } from '../runner/ports';
import { bundleDigest } from './bundle-digest';
import type { FunctionStatuses } from './function-status';

export interface ScfDeps {
  envId: string;
  host: FunctionHost;
  state: CloudState;
  cos: CosUploads;
  /** Which functions are Creating or Updating right now (a change still being applied). */
  statuses: FunctionStatuses;
  now: () => Date;
}

type Params = Record<string, unknown>;

const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/;

/** SCF's times: "YYYY-MM-DD HH:mm:ss", Beijing time. */
const scfTime = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

function str(params: Params, field: string, required = true): string | undefined {
  const v = params[field];
  if (v === undefined || v === null || v === '') {
    if (required) throw new CloudApiError('MissingParameter', `The request is missing a required parameter \`${field}\`.`);
    return undefined;
  }
  if (typeof v !== 'string') throw new CloudApiError('InvalidParameterValue', `\`${field}\` must be a string.`);
  return v;
}

function num(params: Params, field: string, min: number, max: number): number | undefined {
  const v = params[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new CloudApiError(`InvalidParameterValue.${field}`, `\`${field}\` must be a number from ${min} to ${max}.`);
  return v;
}

function checkNamespace(params: Params, deps: ScfDeps): void {
  const ns = params.Namespace;
  if (ns !== undefined && ns !== deps.envId && ns !== 'default') throw new CloudApiError('ResourceNotFound.Namespace', `Namespace ${String(ns)} does not exist.`);
}

function functionName(params: Params): string {
  const name = str(params, 'FunctionName') as string;
  if (!FUNCTION_NAME.test(name)) throw new CloudApiError('InvalidParameterValue.FunctionName', `FunctionName "${name}" must be 2-60 letters, digits, _ or -, start with a letter and not end with _ or -.`);
  return name;
}

function existing(name: string, deps: ScfDeps): HostedFunction {
  const fn = deps.host.get(name);
  if (!fn) throw new CloudApiError('ResourceNotFound.Function', `The function ${name} does not exist.`);
  return fn;
}

function envVariables(params: Params): Record<string, string> | undefined {
  const environment = params.Environment as { Variables?: unknown } | undefined;
  if (environment === undefined) return undefined;
  const vars = environment?.Variables ?? [];
  if (!Array.isArray(vars)) throw new CloudApiError('InvalidParameterValue.Environment', 'Environment.Variables must be a list of {Key, Value}.');
  const out: Record<string, string> = {};
  for (const v of vars as Array<{ Key?: unknown; Value?: unknown }>) {
    if (typeof v?.Key !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.Key)) throw new CloudApiError('InvalidParameterValue.Environment', `Environment variable name ${JSON.stringify(v?.Key)} is not valid.`);
    out[v.Key] = v.Value === undefined || v.Value === null ? '' : String(v.Value);
  }
  return out;
}

/** The code a Create/UpdateFunctionCode request names: inline base64, or an object uploaded to the temporary COS bucket. */
function codeBytes(params: Params, deps: ScfDeps): Buffer {
  const code = (params.Code ?? params) as Params;
  if (typeof code.ZipFile === 'string' && code.ZipFile !== '') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(code.ZipFile)) throw new CloudApiError('InvalidParameterValue.ZipFileBase64BinasciiError', 'ZipFile is not valid base64.');
    return Buffer.from(code.ZipFile, 'base64');
  }
  const key = typeof code.TempCosObjectName === 'string' ? code.TempCosObjectName : typeof code.CosObjectName === 'string' ? code.CosObjectName : undefined;
  if (!key) throw new CloudApiError('InvalidParameterValue.Code', 'Code needs ZipFile or TempCosObjectName.');
  const data = deps.cos.take(key);
  if (!data) throw new CloudApiError('ResourceNotFound.Cos', `The code package ${key} was not found in the temporary COS bucket (upload it first).`);
  return data;
}

function routesFor(name: string, deps: ScfDeps): string[] {
  return deps.state.routes().filter((r) => r.name === name).map((r) => r.path);
}

export function hostedFrom(record: FunctionRecord, deps: ScfDeps): HostedFunction {
  return {
    name: record.name,
    source: 'tcb deploy',
    codeDir: deps.state.absolute(record.codeDir),
    handler: record.handler,
    runtime: record.runtime,
    timeout: record.timeout,
    memorySize: record.memorySize,
    env: record.env,
    timers: record.timers.map((t) => ({ name: t.name, cron: t.cron })),
    httpPaths: routesFor(record.name, deps),
    bytes: record.codeBytes,
    updatedAt: record.modTime,
  };
}

/** The record of a function the build serves, the first time the API changes it. */
function adoptBuilt(fn: HostedFunction, deps: ScfDeps): FunctionRecord {
  for (const p of fn.httpPaths) if (!deps.state.routes().some((r) => r.path === p)) deps.state.addRoute({ apiId: `api-${fn.name}-${p}`, path: p, name: fn.name, createdAt: fn.updatedAt });
  return {
    name: fn.name, runtime: fn.runtime, handler: fn.handler, timeout: fn.timeout, memorySize: fn.memorySize, description: '',
    env: fn.env ?? {}, timers: fn.timers.map((t) => ({ ...t, addTime: fn.updatedAt })), codeDir: '', codeBytes: fn.bytes,
    addTime: fn.updatedAt, modTime: fn.updatedAt, deployments: [{ source: 'build', action: 'build', at: fn.updatedAt, bytes: fn.bytes }],
  };
}

/** Unpacks the new code and serves it; on any failure the previous version keeps serving. */
async function deployCode(record: FunctionRecord, zip: Buffer, action: string, deps: ScfDeps): Promise<void> {
  const dir = deps.state.newCodeDir(record.name);
  await unpackCode(zip, dir.absolute, record.handler);
  const at = deps.now().toISOString();
  const next: FunctionRecord = { ...record, codeDir: dir.relative, codeBytes: zip.length, modTime: at, deployments: [...record.deployments, { source: 'tcb deploy', action, at, bytes: zip.length }] };
  try {
    deps.host.put(hostedFrom(next, deps));
  } catch (err) {
    fs.rmSync(dir.absolute, { recursive: true, force: true });
    throw err;
  }
  deps.state.set(next);
  deps.state.pruneCode(record.name, dir.relative);
}

/**
 * Serves the new configuration. A function still served from the build keeps its build's code and
 * (unless the request sets them) the emulator-wide variables; that change lasts until a restart.
 */
function reconfigure(record: FunctionRecord, deps: ScfDeps, envGiven: boolean): void {
  if (record.codeDir) {
    deps.host.put(hostedFrom(record, deps));
    deps.state.set(record);
    return;
  }
  const built = existing(record.name, deps);
  deps.host.put({ ...built, timeout: record.timeout, memorySize: record.memorySize, env: envGiven ? record.env : built.env, timers: record.timers.map((t) => ({ name: t.name, cron: t.cron })), updatedAt: record.modTime });
}

/**
 * A function's runtime is fixed when it is created: @cloudbase/cli 2.12.10 leaves Runtime out of
 * its configuration update ("Runtime, Handler, Code, Type, ProtocolType 只能在 CreateFunction 时
 * 设置，UpdateFunctionConfiguration 不支持"), and InvalidParameterValue.Runtime is the error
 * UpdateFunctionConfiguration gives for a Runtime it will not take (tencentcloud-sdk-go,
 * scf/v20180416/client.go, UpdateFunctionConfiguration's error codes: "Runtime传入错误").
 * The same runtime again is no change.
 */
function refuseRuntimeChange(record: FunctionRecord, runtime: string | undefined): void {
  if (runtime === undefined || runtime === record.runtime) return;
  throw new CloudApiError('InvalidParameterValue.Runtime', `The runtime of function ${record.name} is ${record.runtime}; it is set by CreateFunction only and cannot be changed to ${runtime}. Delete the function and create it again with Runtime ${runtime}.`);
}

function recordOf(name: string, deps: ScfDeps): FunctionRecord {
  return deps.state.get(name) ?? adoptBuilt(existing(name, deps), deps);
}

/**
 * GetFunction's answer. Status is what the tcb CLI waits on (@cloudbase/cli 2.12.10,
 * dist/standalone/cli.js ~903428: it checks again while Creating or Updating, fails on
 * CreateFailed, and is done on anything else).
 */
function describeFunction(fn: HostedFunction, deps: ScfDeps): Record<string, unknown> {
  const record = deps.state.get(fn.name);
  const env = fn.env ?? {};
  return {
    FunctionName: fn.name,
    FunctionId: `lam-${Buffer.from(fn.name).toString('hex').slice(0, 8)}`,
    Namespace: deps.envId,
    Runtime: record?.runtime ?? fn.runtime,
    Handler: fn.handler,
    Timeout: fn.timeout,
    MemorySize: fn.memorySize,
    Description: record?.description ?? '',
    Status: deps.statuses.pendingOf(fn.name) ?? 'Active',
    StatusDesc: '',
    StatusReasons: [],
    Type: 'Event',
    CodeSize: fn.bytes,
    CodeInfo: '',
    CodeResult: 'success',
    CodeError: '',
    ErrNo: 0,
    InstallDependency: 'FALSE',
    AddTime: scfTime(record?.addTime ?? fn.updatedAt),
    ModTime: scfTime(fn.updatedAt),
    Environment: { Variables: Object.entries(env).map(([Key, Value]) => ({ Key, Value })) },
    Triggers: fn.timers.map((t) => ({
      Type: 'timer', TriggerName: t.name, TriggerDesc: JSON.stringify({ cron: t.cron }), Enable: 1, AvailableStatus: 'Available',
      AddTime: scfTime(record?.timers.find((r) => r.name === t.name)?.addTime ?? fn.updatedAt), ModTime: scfTime(fn.updatedAt), CustomArgument: '',
    })),
    Layers: [],
    Tags: [],
    Role: '',
    VpcConfig: { VpcId: '', SubnetId: '' },
    PublicNetConfig: { PublicNetStatus: 'ENABLE', EipConfig: { EipStatus: 'DISABLE', EipAddress: [] } },
  };
}

export const SCF_ACTIONS: Record<string, ActionHandler<ScfDeps>> = {
  ListFunctions: (params, deps) => {
    checkNamespace(params, deps);
    const offset = num(params, 'Offset', 0, 1e9) ?? 0;
    const limit = num(params, 'Limit', 0, 1000) ?? 20;
    const search = typeof params.SearchKey === 'string' ? params.SearchKey : '';
    const all = [...deps.host.list(), ...deps.statuses.drafts().filter((d) => !deps.host.get(d.name))].filter((f) => f.name.includes(search)).sort((a, b) => a.name.localeCompare(b.name));
    const functions = all.slice(offset, offset + limit).map((f) => {
      const d = describeFunction(f, deps);
      return { FunctionName: d.FunctionName, FunctionId: d.FunctionId, Namespace: d.Namespace, Runtime: d.Runtime, Status: d.Status, StatusDesc: '', StatusReasons: [], Description: d.Description, AddTime: d.AddTime, ModTime: d.ModTime, Type: 'Event', Tags: [], TotalInvokeCount: 0 };
    });
    return { Functions: functions, TotalCount: all.length };
  },

  GetFunction: (params, deps) => {
    checkNamespace(params, deps);
    const name = functionName(params);
    const draft = deps.statuses.drafts().find((d) => d.name === name);
    return describeFunction(draft ?? existing(name, deps), deps);
  },

  GetTempCosInfo: (params, deps) => {
    const objectPath = str(params, 'ObjectPath') as string;
    if (!/^[A-Za-z0-9_./-]+$/.test(objectPath) || objectPath.split('/').includes('..')) throw new CloudApiError('InvalidParameterValue.ObjectPath', 'ObjectPath is not valid.');
    return deps.cos.issue(objectPath, deps.now().getTime());
  },

  CreateFunction: async (params, deps) => {
    checkNamespace(params, deps);
    const name = functionName(params);
    if (deps.host.get(name) || deps.statuses.pendingOf(name)) throw new CloudApiError('ResourceInUse.Function', `The function ${name} already exists.`);
    const handler = str(params, 'Handler', false) ?? 'index.main';
    handlerFileOf(handler);
    // The SCF API's own default Runtime is not Node.js; the tcb CLI always sends one.
    const runtime = str(params, 'Runtime', false) ?? CLI_DEFAULT_RUNTIME;
    if (!isNodeRuntime(runtime)) throw new CloudApiError('InvalidParameterValue.Runtime', `Runtime ${runtime} is not one CloudBase offers for Node.js functions (${NODE_RUNTIMES.join(', ')}); the emulator runs Node.js functions only.`);
    const at = deps.now().toISOString();
    const record: FunctionRecord = {
      name, runtime, handler,
      timeout: num(params, 'Timeout', 1, 900) ?? 3,
      memorySize: num(params, 'MemorySize', 64, 3072) ?? 128,
      description: str(params, 'Description', false) ?? '',
      env: envVariables(params) ?? {},
      timers: [], codeDir: '', codeBytes: 0, addTime: at, modTime: at, deployments: [],
    };
    const zip = codeBytes(params, deps);
    await deps.statuses.during(name, 'Creating', () => deployCode(record, zip, 'CreateFunction', deps), hostedFrom(record, deps));
    return {};
  },

  UpdateFunctionCode: async (params, deps) => {
    checkNamespace(params, deps);
    const name = functionName(params);
    deps.statuses.refuseWhileBusy(name, 'UpdateFunctionCode');
    const record = recordOf(name, deps);
    const handler = str(params, 'Handler', false);
    if (handler) handlerFileOf(handler);
    const zip = codeBytes(params, deps);
    await deps.statuses.during(name, 'Updating', () => deployCode({ ...record, handler: handler ?? record.handler }, zip, 'UpdateFunctionCode', deps));
    return {};
  },

  UpdateFunctionConfiguration: (params, deps) => {
    checkNamespace(params, deps);
    const name = functionName(params);
    deps.statuses.refuseWhileBusy(name, 'UpdateFunctionConfiguration');
    const record = recordOf(name, deps);
    const env = envVariables(params);
    refuseRuntimeChange(record, str(params, 'Runtime', false));
    reconfigure({
      ...record,
      timeout: num(params, 'Timeout', 1, 900) ?? record.timeout,
      memorySize: num(params, 'MemorySize', 64, 3072) ?? record.memorySize,
      description: str(params, 'Description', false) ?? record.description,
      env: env ?? record.env,
      modTime: deps.now().toISOString(),
    }, deps, env !== undefined);
    return {};
  },

  BatchCreateTrigger: (params, deps) => {
    checkNamespace(params, deps);
    const name = functionName(params);
    deps.statuses.refuseWhileBusy(name, 'BatchCreateTrigger');
    const record = recordOf(name, deps);
    let triggers: unknown;
    try {
      triggers = typeof params.Triggers === 'string' ? parseJsonText(params.Triggers) : params.Triggers;
    } catch (err) {
      throw new CloudApiError('InvalidParameterValue.Triggers', `Triggers must be a JSON list (${(err as Error).message}).`);
    }
    if (!Array.isArray(triggers)) throw new CloudApiError('InvalidParameterValue.Triggers', 'Triggers must be a JSON list.');
    const at = deps.now().toISOString();
    const timers = (triggers as Array<Record<string, unknown>>).map((t) => {
      if (t?.Type !== 'timer') throw new CloudApiError('UnsupportedOperation.Trigger', `The emulator supports timer triggers only, not ${JSON.stringify(t?.Type)}.`);
      const name = String(t.TriggerName ?? '');
      const cron = String(t.TriggerDesc ?? '');
      if (!/^[A-Za-z][A-Za-z0-9_-]{0,99}$/.test(name)) throw new CloudApiError('InvalidParameterValue.TriggerName', `TriggerName ${JSON.stringify(name)} is not valid.`);
      try {
        nextRun(cron, new Date());
      } catch (err) {
        throw new CloudApiError('InvalidParameterValue.TriggerDesc', `TriggerDesc ${JSON.stringify(cron)}: ${(err as Error).message}`);
      }
      return { name, cron, addTime: at };
    });
    if (new Set(timers.map((t) => t.name)).size !== timers.length) throw new CloudApiError('InvalidParameterValue.TriggerName', 'Trigger names must be unique.');
    reconfigure({ ...record, timers, modTime: at }, deps, false);
    return { Result: timers.map((t) => ({ Type: 'timer', TriggerName: t.name, TriggerDesc: t.cron, Enable: 1, AddTime: scfTime(at), ModTime: scfTime(at) })) };
  },

  DeleteFunction: (params, deps) => {
    checkNamespace(params, deps);
    const name = functionName(params);
    deps.statuses.refuseWhileBusy(name, 'DeleteFunction');
    const fn = existing(name, deps);
    deps.host.remove(name);
    deps.state.delete(name, fn.source === 'build' ? bundleDigest(fn) : undefined, deps.now().toISOString());
    return {};
  },

  Invoke: async (params, deps) => {
    checkNamespace(params, deps);
    const name = functionName(params);
    const fn = existing(name, deps);
    let event: unknown = {};
    const context = params.ClientContext;
    if (typeof context === 'string' && context !== '') {
      try {
        event = parseJsonText(context);
      } catch (err) {
        throw new CloudApiError('InvalidParameterValue.ClientContext', `ClientContext must be a JSON string (${(err as Error).message}).`);
      }
    }
    if (params.InvocationType !== undefined && params.InvocationType !== 'RequestResponse') throw new CloudApiError('UnsupportedOperation.InvocationType', 'The emulator runs RequestResponse (synchronous) invocations only.');
    const outcome = await deps.host.invoke(name, event);
    const duration = Math.round(outcome.durationMs * 100) / 100;
    const log = [
      `START RequestId: ${outcome.requestId}`,
      `Event RequestId: ${outcome.requestId}`,
      ...(outcome.logs ? [outcome.logs] : []),
      ...(outcome.ok ? [] : [outcome.stack ?? outcome.message]),
      `END RequestId: ${outcome.requestId}`,
      `Report RequestId: ${outcome.requestId} Duration:${duration}ms Memory:${fn.memorySize}MB MemUsage:${outcome.memBytes ?? 0}B`,
    ].join('\n');
    return {
      Result: {
        FunctionRequestId: outcome.requestId,
        Duration: duration,
        BillDuration: Math.ceil(outcome.durationMs),
        MemUsage: outcome.memBytes ?? 0,
        InvokeResult: outcome.ok ? 0 : -1,
        RetMsg: outcome.ok ? JSON.stringify(outcome.result) : '',
        ErrMsg: outcome.ok ? '' : JSON.stringify({ errorCode: -1, errorMessage: outcome.message, statusCode: outcome.kind === 'timeout' ? 433 : 430 }),
        Log: log,
      },
    };
  },
};
