// The tcb (API version 2018-06-08) actions the CLI sends: the environment (DescribeEnvs, which is
// also how `tcb login` checks a key), the account (DescribeTcbAccountInfo) and HTTP access routes
// (CreateCloudBaseGWAPI / DescribeCloudBaseGWAPI / DeleteCloudBaseGWAPI).
import { randomBytes } from 'node:crypto';
import { CloudApiError, type ActionHandler } from '../lib/api3-action';
import { hostedFrom, type ScfDeps } from './scf-actions';

export interface TcbDeps extends ScfDeps {
  region: string;
  cloudAppId: string;
  createdAt: string;
}

const scfTime = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

function checkService(params: Record<string, unknown>, deps: TcbDeps): void {
  if (params.ServiceId !== deps.envId) throw new CloudApiError('ResourceNotFound', `Environment ${String(params.ServiceId)} does not exist.`);
}

/** Serves a function again with the HTTP access paths the routes now give it. */
function refreshPaths(name: string, deps: TcbDeps): void {
  const record = deps.state.get(name);
  const fn = deps.host.get(name);
  if (record?.codeDir) deps.host.put(hostedFrom(record, deps));
  else if (fn) deps.host.put({ ...fn, httpPaths: deps.state.routes().filter((r) => r.name === name).map((r) => r.path) });
}

/** The built functions' own HTTP paths count as routes until the API changes them. */
function allRoutes(deps: TcbDeps) {
  const built = deps.host.list().filter((f) => f.source === 'build').flatMap((f) => f.httpPaths.map((p) => ({ apiId: `api-${f.name}-${p}`, path: p, name: f.name, createdAt: f.updatedAt })));
  const stored = deps.state.routes();
  return [...stored, ...built.filter((b) => !stored.some((r) => r.path === b.path))];
}

export const TCB_ACTIONS: Record<string, ActionHandler<TcbDeps>> = {
  DescribeEnvs: (params, deps) => {
    const env = {
      EnvId: deps.envId,
      Alias: deps.envId,
      Status: 'NORMAL',
      Source: 'miniapp',
      PackageId: 'baas_personal',
      PackageName: '个人版',
      Region: deps.region,
      EnvType: 'baas',
      EnvChannel: 'miniapp',
      PayMode: 'postpaid',
      IsDefault: true,
      IsAutoDegrade: false,
      CreateTime: scfTime(deps.createdAt),
      UpdateTime: scfTime(deps.createdAt),
      Functions: [{ Namespace: deps.envId, Region: deps.region }],
      Databases: [{ InstanceId: `tnt-${deps.envId}`, Region: deps.region, Status: 'RUNNING' }],
      Storages: [{ Region: deps.region, Bucket: `${deps.envId}-${deps.cloudAppId}`, CdnDomain: `${deps.envId}-${deps.cloudAppId}.tcb.qcloud.la`, AppId: deps.cloudAppId }],
      StaticStorages: [],
      LogServices: [],
      CustomLogServices: [],
      Tags: [],
    };
    const wanted = params.EnvId;
    const list = wanted === undefined || wanted === deps.envId ? [env] : [];
    return { EnvList: list, Total: list.length };
  },

  DescribeTcbAccountInfo: (_params, deps) => ({ CloudAppId: deps.cloudAppId, Uin: deps.cloudAppId, AuthFlag: 1, IsAdmin: true }),

  CreateCloudBaseGWAPI: (params, deps) => {
    checkService(params, deps);
    const apiPath = String(params.Path ?? '');
    const name = String(params.Name ?? '');
    if (!/^\/[A-Za-z0-9/_.-]*$/.test(apiPath) || apiPath.includes('//') || apiPath.split('/').includes('..')) throw new CloudApiError('InvalidParameter.Path', `Path ${JSON.stringify(apiPath)} is not valid.`);
    if (params.Type !== 1) throw new CloudApiError('UnsupportedOperation', 'The emulator routes HTTP access to cloud functions only (Type 1).');
    if (!deps.host.get(name)) throw new CloudApiError('ResourceNotFound.Function', `The function ${name} does not exist.`);
    if (allRoutes(deps).some((r) => r.path === apiPath)) throw new CloudApiError('InvalidParameter.APICreated', `The path ${apiPath} is already created.`);
    const apiId = randomBytes(8).toString('hex');
    deps.state.addRoute({ apiId, path: apiPath, name, createdAt: deps.now().toISOString() });
    refreshPaths(name, deps);
    return { APIId: apiId };
  },

  DescribeCloudBaseGWAPI: (params, deps) => {
    checkService(params, deps);
    const set = allRoutes(deps)
      .filter((r) => (params.Path === undefined || r.path === params.Path) && (params.Name === undefined || r.name === params.Name) && (params.APIId === undefined || r.apiId === params.APIId))
      .map((r) => ({ ServiceId: deps.envId, APIId: r.apiId, Path: r.path, Type: 1, Name: r.name, CreateTime: Math.floor(new Date(r.createdAt).getTime() / 1000), EnvId: deps.envId, EnableAuth: false }));
    return { APISet: set, Total: set.length };
  },

  DeleteCloudBaseGWAPI: (params, deps) => {
    checkService(params, deps);
    const matches = allRoutes(deps).filter((r) => (params.Name === undefined || r.name === params.Name) && (params.APIId === undefined || r.apiId === params.APIId));
    for (const r of matches) if (!deps.state.routes().includes(r)) deps.state.addRoute(r);
    deps.state.removeRoutes((r) => matches.some((m) => m.apiId === r.apiId));
    for (const name of new Set(matches.map((m) => m.name))) refreshPaths(name, deps);
    return { Count: matches.length };
  },
};
