// Bundles each cloud function (<srcDir>/<name>/index.ts) with esbuild into a deployable folder:
// <outDir>/<name>/{index.js, package.json, config.json, sbom.cdx.json}. Fails when a bundle would
// include emulator, test or script code, or a package version on the deny list. Builds of functions
// whose source is gone are removed.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { build, version as esbuildVersion, type Plugin } from 'esbuild';
import { NODE_RUNTIMES, PROJECT_RUNTIME, declaredRuntimes, esbuildTargetOf, isNodeRuntime, type NodeRuntime } from './runtimes';
import { FileHasher, outputHashes, pruneStamps, removeStamp, stampKey, unchangedBuild, writeStamp, type StampContext } from './build-cache';
import { SBOM_FILE, bundledPackages, type BundledPackage, cycloneDx, deniedPackages, describeViolation, readDenyList } from './bundle-sbom';

export interface BuildOptions {
  srcDir: string;
  outDir: string;
  /** Bundle wx-server-sdk into index.js instead of declaring it as a dependency. */
  bundleSdk: boolean;
  only?: string[];
  minify?: boolean;
  /** Deny list of package version ranges (default security/denied-packages.json). */
  denyList?: string;
  /** Each function's runtime, which sets the esbuild target (default: cloudbaserc.json at the root, else the project's runtime). */
  runtimeOf?: (name: string) => NodeRuntime;
  /** Told of each function whose build was removed because its source is gone. */
  onRemoved?: (name: string, dir: string) => void;
  /**
   * Keep a function's build folder when nothing it was built from changed since the build that
   * stamped it (./build-cache.ts), and stamp every build. Stamps live in this folder (usually
   * DEFAULT_BUILD_CACHE); without it every function is built afresh and nothing is stamped.
   */
  cacheDir?: string;
}

export interface BuiltFunction {
  name: string;
  dir: string;
  bytes: number;
  inputs: string[];
  /** The npm packages in index.js, as listed in its sbom.cdx.json. */
  packages: BundledPackage[];
  /** The folder was kept from an earlier build of the same inputs (BuildOptions.cacheDir). */
  reused: boolean;
}

const ROOT = path.resolve(__dirname, '../..');
const FORBIDDEN_INPUTS = /^(emulator|tests|scripts)\//;
const ROOT_PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; overrides?: Record<string, string> };
const SDK_VERSION = ROOT_PACKAGE.dependencies['wx-server-sdk']!;
/** The node-sdk wx-server-sdk itself depends on (shared/platform.ts reads the CloudBase context with it). */
const NODE_SDK_VERSION = ROOT_PACKAGE.dependencies['@cloudbase/node-sdk']!;
const DEFAULT_DENY_LIST = path.join(ROOT, 'security/denied-packages.json');

function rcRuntimeOf(): (name: string) => NodeRuntime {
  const declared = declaredRuntimes(path.join(ROOT, 'cloudbaserc.json'));
  return (name) => declared.get(name) ?? PROJECT_RUNTIME;
}

function checkedRuntime(runtime: unknown, name: string): NodeRuntime {
  if (typeof runtime === 'string' && isNodeRuntime(runtime)) return runtime;
  throw new Error(`${name}/config.json declares runtime ${JSON.stringify(runtime)}, which is not one of ${NODE_RUNTIMES.join(', ')}`);
}

/** The root's npm overrides with `$name` references resolved, for a deployment that installs the SDK itself. */
function resolvedOverrides(): Record<string, string> {
  return Object.fromEntries(Object.entries(ROOT_PACKAGE.overrides ?? {}).map(([name, spec]) => [name, spec.startsWith('$') ? ROOT_PACKAGE.dependencies[spec.slice(1)]! : spec]));
}

/** The router's handler names, read from the bundle's `handlerNames` export in a throwaway process (asynchronously, so that the bundles build meanwhile). */
async function readHandlerNames(bundle: string): Promise<string[] | undefined> {
  const out = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', `const m = require(${JSON.stringify(bundle)}); process.stdout.write(JSON.stringify(m.handlerNames ?? null))`], {
      env: { PATH: process.env.PATH ?? '', TENCENTCLOUD_RUNENV: 'SCF' },
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
  if (out.status !== 0) throw new Error(`bundle ${bundle} failed to load: ${out.stderr}`);
  const names = JSON.parse(out.stdout || 'null');
  return Array.isArray(names) ? names : undefined;
}

/** A function with an openapi.ts gets its generated OpenAPI document beside the bundle. */
async function writeOpenApi(src: string, dir: string): Promise<void> {
  const file = path.join(src, 'openapi.ts');
  if (!fs.existsSync(file)) return;
  const mod = (await import(file)) as { buildOpenApiDocument?: () => unknown };
  if (typeof mod.buildOpenApiDocument !== 'function') throw new Error(`${file} must export buildOpenApiDocument()`);
  fs.writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(mod.buildOpenApiDocument(), null, 2) + '\n');
}

/**
 * Parts of @cloudbase/node-sdk that wx-server-sdk loads eagerly but these functions never use:
 * the data-model/MySQL client and the AI client (together ~25 ms of every cold start). They are
 * replaced by stubs that throw a clear error if ever called; node-sdk already wraps their set-up
 * in try/catch.
 */
const UNUSED_SDK_MODULES = ['@cloudbase/wx-cloud-client-sdk', '@cloudbase/ai'];

const stubUnusedSdkModules: Plugin = {
  name: 'stub-unused-sdk-modules',
  setup(b) {
    const filter = new RegExp(`^(${UNUSED_SDK_MODULES.map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'unused-sdk-module' }));
    b.onLoad({ filter: /.*/, namespace: 'unused-sdk-module' }, (args) => ({
      loader: 'js',
      contents: `const fail = function () { throw new Error(${JSON.stringify(`${args.path} is not included in this function bundle (scripts/lib/build-functions.ts)`)}); };
module.exports = new Proxy({}, { get: (_, key) => (key === '__esModule' ? false : key === 'default' ? module.exports : fail) });`,
    }));
  },
};

export function functionNames(srcDir: string): string[] {
  return fs.readdirSync(srcDir).filter((n) => fs.existsSync(path.join(srcDir, n, 'index.ts'))).sort();
}

/**
 * Removes <outDir>/<name> for every built function (a folder with an index.js) whose source
 * <srcDir>/<name>/index.ts is gone, so the emulator and DevTools stop serving a deleted function.
 */
export function removeStaleBuilds(srcDir: string, outDir: string): string[] {
  if (!fs.existsSync(outDir)) return [];
  const sources = new Set(functionNames(srcDir));
  const stale = fs.readdirSync(outDir).filter((name) => !sources.has(name) && fs.existsSync(path.join(outDir, name, 'index.js')));
  for (const name of stale) fs.rmSync(path.join(outDir, name), { recursive: true, force: true });
  return stale;
}

export async function buildFunctions(options: BuildOptions): Promise<BuiltFunction[]> {
  for (const name of removeStaleBuilds(options.srcDir, options.outDir)) options.onRemoved?.(name, path.join(options.outDir, name));
  const names = options.only?.length ? options.only : functionNames(options.srcDir);
  const denyList = options.denyList ?? DEFAULT_DENY_LIST;
  const denied = readDenyList(denyList);
  const runtimeOf = options.runtimeOf ?? rcRuntimeOf();
  const hasher = new FileHasher();
  if (options.cacheDir) pruneStamps(options.cacheDir);
  return Promise.all(names.map((name) => buildOne(name, options, denied, runtimeOf(name), { denyList, hasher })));
}

async function buildOne(name: string, options: BuildOptions, denied: ReturnType<typeof readDenyList>, deployedOn: NodeRuntime, cache: { denyList: string; hasher: FileHasher }): Promise<BuiltFunction> {
  const src = path.join(options.srcDir, name);
  const config = fs.existsSync(path.join(src, 'config.json')) ? JSON.parse(fs.readFileSync(path.join(src, 'config.json'), 'utf8')) : {};
  // A test fixture declares its runtime in its own config.json; the functions take cloudbaserc.json's.
  const runtime: NodeRuntime = config.runtime === undefined ? deployedOn : checkedRuntime(config.runtime, name);
  // The emulator runs the bundle on the Node.js this names (emulator/runner/node-binaries.ts).
  config.runtime = runtime;
  const dir = path.join(options.outDir, name);
  const stampContext: StampContext = { srcDir: src, denyList: cache.denyList, settings: { esbuildVersion, runtime, minify: options.minify ?? true, bundleSdk: options.bundleSdk } };
  if (options.cacheDir) {
    const kept = unchangedBuild(options.cacheDir, options.outDir, name, stampContext, cache.hasher);
    if (kept) return { name, dir, bytes: kept.bytes, inputs: kept.inputs, packages: kept.packages, reused: true };
    // A build that fails half-way must not leave a stamp that matches the old folder's inputs.
    removeStamp(options.cacheDir, options.outDir, name);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const result = await build({
    entryPoints: [path.join(src, 'index.ts')],
    outfile: path.join(dir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: esbuildTargetOf(runtime),
    format: 'cjs',
    minify: options.minify ?? true,
    keepNames: true,
    sourcemap: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    external: options.bundleSdk ? [] : ['wx-server-sdk', '@cloudbase/node-sdk'],
    plugins: options.bundleSdk ? [stubUnusedSdkModules] : [],
    absWorkingDir: ROOT,
  });
  const inputs = Object.keys(result.metafile.inputs);
  const leaked = inputs.filter((i) => FORBIDDEN_INPUTS.test(i) && !i.startsWith(path.relative(ROOT, src)));
  if (leaked.length) throw new Error(`bundle ${name} includes non-production code: ${leaked.join(', ')}`);
  // The bill of materials is written before the deny check so that a refused bundle can be inspected;
  // the check runs before the bundle is ever loaded (readHandlerNames).
  const packages = bundledPackages(result.metafile, path.relative(ROOT, path.join(dir, 'index.js')), ROOT);
  fs.writeFileSync(path.join(dir, SBOM_FILE), JSON.stringify(cycloneDx({ name, version: ROOT_PACKAGE.version, esbuildVersion }, packages), null, 2) + '\n');
  const violations = deniedPackages(packages, denied);
  if (violations.length) throw new Error(violations.map((v) => describeViolation(name, v)).join('\n'));
  const handlers = await readHandlerNames(path.resolve(dir, "index.js"));
  if (handlers) config.handlers = handlers;
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  await writeOpenApi(src, dir);
  const pkg = {
    name,
    version: '1.0.0',
    private: true,
    main: 'index.js',
    dependencies: options.bundleSdk ? {} : { 'wx-server-sdk': SDK_VERSION, '@cloudbase/node-sdk': NODE_SDK_VERSION },
    // The cloud installs wx-server-sdk itself: carry our overrides (the patched axios) along.
    ...(options.bundleSdk ? {} : { overrides: resolvedOverrides() }),
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  const bytes = fs.statSync(path.join(dir, 'index.js')).size;
  if (options.cacheDir) writeStamp(options.cacheDir, options.outDir, name, { key: stampKey(inputs, stampContext, cache.hasher), inputs, packages, bytes, outputs: outputHashes(dir) });
  return { name, dir, bytes, inputs, packages, reused: false };
}
