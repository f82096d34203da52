// What the cloud API keeps: the functions deployed through it (configuration, where their unpacked
// code is, deployment history) and the HTTP access routes, in <dir>/state.json; the code in
// <dir>/code/<function>/<version>/, and the functions deleted through it (so a restart does not
// serve their build again). Written after every change, so a restart serves the same.
import fs from 'node:fs';
import path from 'node:path';
import { ownEntry } from '../lib/own-entry';

export interface DeploymentEntry {
  source: 'build' | 'tcb deploy';
  action: string;
  at: string;
  bytes: number;
}

export interface FunctionRecord {
  name: string;
  runtime: string;
  handler: string;
  timeout: number;
  memorySize: number;
  description: string;
  env: Record<string, string>;
  timers: Array<{ name: string; cron: string; addTime: string }>;
  /** Relative to the state folder. */
  codeDir: string;
  codeBytes: number;
  addTime: string;
  modTime: string;
  deployments: DeploymentEntry[];
}

export interface AccessRoute {
  apiId: string;
  path: string;
  name: string;
  createdAt: string;
}

/** A function deleted through the API: hidden from the build until its bundle changes or it is deployed again. */
export interface DeletedFunction {
  at: string;
  /** sha256 of the build's bundle it hides; undefined until a build of that name is seen. */
  buildDigest?: string;
}

interface StateFile {
  functions: Record<string, FunctionRecord>;
  routes: AccessRoute[];
  deleted?: Record<string, DeletedFunction>;
}

const MAX_HISTORY = 50;

export class CloudState {
  private state: StateFile;

  constructor(readonly dir: string) {
    fs.mkdirSync(path.join(dir, 'code'), { recursive: true });
    const file = path.join(dir, 'state.json');
    this.state = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as StateFile) : { functions: {}, routes: [] };
  }

  functions(): FunctionRecord[] {
    return Object.values(this.state.functions);
  }

  get(name: string): FunctionRecord | undefined {
    return ownEntry(this.state.functions, name);
  }

  set(record: FunctionRecord): void {
    record.deployments = record.deployments.slice(-MAX_HISTORY);
    this.state.functions[record.name] = record;
    if (this.state.deleted) delete this.state.deleted[record.name];
    this.save();
  }

  /** Forgets the function and remembers the deletion, so that a restart does not serve its build again. */
  delete(name: string, buildDigest: string | undefined, at: string): void {
    const record = ownEntry(this.state.functions, name);
    delete this.state.functions[name];
    (this.state.deleted ??= {})[name] = { at, buildDigest };
    this.save();
    if (record) fs.rmSync(path.join(this.dir, 'code', name), { recursive: true, force: true });
  }

  /** A new, empty folder for a version of a function's code (relative path, absolute path). */
  newCodeDir(name: string): { relative: string; absolute: string } {
    const relative = path.join('code', name, `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
    fs.mkdirSync(path.join(this.dir, 'code', name), { recursive: true });
    return { relative, absolute: path.join(this.dir, relative) };
  }

  absolute(relative: string): string {
    return path.join(this.dir, relative);
  }

  /** Removes the function's code folders other than the one in use. */
  pruneCode(name: string, keep: string): void {
    const folder = path.join(this.dir, 'code', name);
    if (!fs.existsSync(folder)) return;
    for (const version of fs.readdirSync(folder)) {
      const relative = path.join('code', name, version);
      if (relative !== keep) fs.rmSync(path.join(folder, version), { recursive: true, force: true });
    }
  }

  deletions(): Array<[string, DeletedFunction]> {
    return Object.entries(this.state.deleted ?? {});
  }

  /** A new build of a deleted function's name: it is served again. */
  forgetDeletion(name: string): void {
    if (!this.state.deleted?.[name]) return;
    delete this.state.deleted[name];
    this.save();
  }

  markDeleted(name: string, deletion: DeletedFunction): void {
    (this.state.deleted ??= {})[name] = deletion;
    this.save();
  }

  routes(): AccessRoute[] {
    return this.state.routes;
  }

  addRoute(route: AccessRoute): void {
    this.state.routes.push(route);
    this.save();
  }

  removeRoutes(match: (r: AccessRoute) => boolean): number {
    const before = this.state.routes.length;
    this.state.routes = this.state.routes.filter((r) => !match(r));
    this.save();
    return before - this.state.routes.length;
  }

  private save(): void {
    const file = path.join(this.dir, 'state.json');
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(this.state, null, 2));
    fs.renameSync(`${file}.tmp`, file);
  }
}
