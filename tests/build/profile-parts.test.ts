// `npm run profile` profiles the emulator's bundle (what `npm start` runs) and places each frame of
// it by the source file esbuild's linked source map names for it. The frames here are found the way
// V8 reports them: a function's 0-based line and column in the bundle esbuild wrote.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleSources, selfTimeByPart } from '../../scripts/profile/profile-parts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'profile-parts-'));
const src = path.join(dir, 'src');
const bundle = path.join(dir, 'out', 'cli.js');

beforeAll(async () => {
  fs.mkdirSync(path.join(src, 'emulator/http'), { recursive: true });
  fs.mkdirSync(path.join(src, 'emulator/store'), { recursive: true });
  fs.writeFileSync(path.join(src, 'emulator/http/door.ts'), 'export function doorCheck(s: string): number {\n  return s.length;\n}\n');
  fs.writeFileSync(path.join(src, 'emulator/store/rows.ts'), 'export function storeRead(n: number): number {\n  return n * 2;\n}\n');
  fs.writeFileSync(path.join(src, 'entry.ts'), "import { doorCheck } from './emulator/http/door';\nimport { storeRead } from './emulator/store/rows';\nconsole.log(doorCheck('x') + storeRead(1));\n");
  await build({ entryPoints: [path.join(src, 'entry.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', sourcemap: 'linked', logLevel: 'silent' });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Where V8 puts a function's frame: the position of `function <name>` in the bundle (0-based). */
function frameOf(name: string): { functionName: string; url: string; lineNumber: number; columnNumber: number } {
  const lines = fs.readFileSync(bundle, 'utf8').split('\n');
  const lineNumber = lines.findIndex((l) => l.includes(`function ${name}(`));
  if (lineNumber < 0) throw new Error(`no function ${name} in the bundle`);
  return { functionName: name, url: pathToFileURL(bundle).href, lineNumber, columnNumber: lines[lineNumber]!.indexOf(`function ${name}(`) };
}

function profileFile(frames: Array<{ frame: ReturnType<typeof frameOf>; us: number }>): string {
  const nodes = [{ id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, children: frames.map((_, i) => i + 2) }, ...frames.map(({ frame }, i) => ({ id: i + 2, callFrame: frame }))];
  const samples = frames.map((_, i) => i + 2);
  const file = path.join(dir, `CPU.${frames.length}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify({ nodes, samples, timeDeltas: frames.map(({ us }) => us) }));
  return file;
}

it('places frames of the bundle by the source file they came from', () => {
  const file = profileFile([
    { frame: frameOf('doorCheck'), us: 300 },
    { frame: frameOf('storeRead'), us: 50 },
  ]);
  const parts = selfTimeByPart(file, 'emulator', bundleSources(bundle));
  expect(Object.fromEntries(parts)).toEqual({ 'HTTP door (routing, JSON checks)': 300, 'store (documents, files)': 50 });
});

it('without the source map, both frames are only the bundle', () => {
  const file = profileFile([
    { frame: frameOf('doorCheck'), us: 300 },
    { frame: frameOf('storeRead'), us: 50 },
  ]);
  expect(Object.fromEntries(selfTimeByPart(file, 'emulator'))).toEqual({ 'other (emulator)': 350 });
});
