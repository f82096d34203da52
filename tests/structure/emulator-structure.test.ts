// The emulator's shape, kept by its imports (docs/emulator-architecture.md): a service reaches
// another only through that service's ports.ts; shared helpers and the store sit below every
// service and import none; server.ts mounts services and names none of their paths; production
// code never imports the emulator; and no file imports itself through others (no loops), nor
// does any service folder through other folders.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { importGraph, importsOf, loops, resolve, ROOT, sourceFiles } from './import-graph';

const SERVICES = ['cloud-api', 'cloud-calls', 'console', 'runner', 'server-api', 'storage', 'timers', 'wechat'];
/** Below every service: the helpers, the store, the contract itself. */
const BELOW = ['emulator/lib/', 'emulator/cos/', 'emulator/http/', 'emulator/store/', 'emulator/service.ts', 'emulator/port-registry.ts', 'emulator/emulator-options.ts', 'emulator/emulator-secrets.ts'];
/** Above every service: what starts the emulator and what it shows its starter. */
const TOP = ['emulator/server.ts', 'emulator/cli.ts', 'emulator/emulator-context.ts'];

const emulatorFiles = sourceFiles('emulator');
const graph = importGraph([...emulatorFiles, ...sourceFiles('cloudfunctions'), ...sourceFiles('shared'), ...sourceFiles('miniprogram'), ...sourceFiles('scripts')]);
const serviceOf = (file: string): string | undefined => SERVICES.find((s) => file.startsWith(`emulator/${s}/`));
const isBelow = (file: string) => BELOW.some((b) => file === b || (b.endsWith('/') && file.startsWith(b)));
const edges = (files: readonly string[]) => files.flatMap((from) => (graph.get(from) ?? []).map((to) => `${from} -> ${to}`));

it('reads the emulator it checks (the services that offer ports have their ports.ts)', () => {
  for (const service of ['cloud-calls', 'runner', 'server-api', 'storage', 'timers', 'wechat']) expect(emulatorFiles).toContain(`emulator/${service}/ports.ts`);
  expect(edges(emulatorFiles).length).toBeGreaterThan(100);
});

it('a service imports another service only through its ports.ts', () => {
  const crossings = edges(emulatorFiles).filter((edge) => {
    const [from, to] = edge.split(' -> ') as [string, string];
    const [a, b] = [serviceOf(from), serviceOf(to)];
    return a !== undefined && b !== undefined && a !== b && !to.endsWith(`/${b}/ports.ts`);
  });
  expect(crossings).toEqual([]);
});

it('nothing below the services imports a service or what starts the emulator; no service imports what starts it', () => {
  const upward = edges(emulatorFiles).filter((edge) => {
    const [from, to] = edge.split(' -> ') as [string, string];
    if (isBelow(from)) return serviceOf(to) !== undefined || TOP.includes(to);
    return serviceOf(from) !== undefined && TOP.includes(to);
  });
  expect(upward).toEqual([]);
});

it('server.ts names no path of a service (only the control routes\' mount) and imports only services\' factories and ports', () => {
  const file = 'emulator/server.ts';
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const paths: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isRegularExpressionLiteral(node)) paths.push(node.text);
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) && node.text.startsWith('/') && !ts.isImportDeclaration(node.parent)) paths.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  expect(paths).toEqual(['/_emulator/']);
  const reached = (graph.get(file) ?? []).filter((to) => serviceOf(to) !== undefined && !/\/(ports|[a-z-]+-service)\.ts$/.test(to));
  expect(reached).toEqual([]);
});

it('production code (cloudfunctions/, shared/, miniprogram/) imports nothing of the emulator', () => {
  const production = [...sourceFiles('cloudfunctions'), ...sourceFiles('shared'), ...sourceFiles('miniprogram')];
  expect(production.length).toBeGreaterThan(50);
  const offending = production.flatMap((file) => importsOf(file).filter((spec) => /(^|\/)emulator(\/|$)/.test(spec) || resolve(file, spec)?.startsWith('emulator/')).map((spec) => `${file} -> ${spec}`));
  expect(offending).toEqual([]);
});

it('no import loop, between files or between the emulator\'s folders', () => {
  expect(loops(graph)).toEqual([]);
  const folderOf = (file: string) => (file.startsWith('emulator/') ? file.split('/').slice(0, 2).join('/') : file);
  const folders = new Map<string, string[]>();
  for (const [from, tos] of graph) {
    if (!from.startsWith('emulator/')) continue;
    const a = folderOf(from);
    const targets = folders.get(a) ?? [];
    for (const to of tos) if (to.startsWith('emulator/') && folderOf(to) !== a) targets.push(folderOf(to));
    folders.set(a, targets);
  }
  expect(loops(folders)).toEqual([]);
});

it('the loop finder finds a loop (so an empty answer above means none)', () => {
  expect(loops(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c', 'a']]);
  expect(loops(new Map([['a', ['a']]]))).toEqual([['a', 'a']]);
  expect(loops(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
});
