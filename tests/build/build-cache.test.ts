// `npm run deploy` and `npm run build` keep a function's build folder when nothing it is made from
// changed (scripts/lib/build-cache.ts): the same source, the same options and an untouched output
// give the folder back as it is; a changed source file, a changed option or an edited output
// rebuild it. Built with the bundled SDK, as deployed, from a small function in a temporary folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions, type BuildOptions } from '../../scripts/lib/build-functions';

jest.setTimeout(60_000);

let root: string;
let options: BuildOptions;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'build-cache-'));
  options = { srcDir: path.join(root, 'src'), outDir: path.join(root, 'dist'), bundleSdk: true, cacheDir: path.join(root, 'cache'), runtimeOf: () => 'Nodejs20.19' };
  fs.mkdirSync(path.join(root, 'src/fn'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src/fn/index.ts'), "import { answer } from './answer';\nexport async function main() { return answer; }\n");
  fs.writeFileSync(path.join(root, 'src/fn/answer.ts'), 'export const answer = 1;\n');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const index = () => fs.readFileSync(path.join(root, 'dist/fn/index.js'), 'utf8');
const build = async (extra: Partial<BuildOptions> = {}) => (await buildFunctions({ ...options, ...extra }))[0]!;

test('an unchanged function keeps its folder; a changed import, option or output rebuilds it', async () => {
  const first = await build();
  expect(first.reused).toBe(false);
  const kept = await build();
  expect(kept).toMatchObject({ reused: true, bytes: first.bytes, inputs: first.inputs, packages: first.packages });

  fs.writeFileSync(path.join(root, 'src/fn/answer.ts'), 'export const answer = 2;\n');
  expect((await build()).reused).toBe(false);
  expect(index()).toMatch(/2/);
  expect((await build()).reused).toBe(true);

  expect((await build({ minify: false })).reused).toBe(false);
  expect((await build({ minify: false })).reused).toBe(true);

  fs.appendFileSync(path.join(root, 'dist/fn/index.js'), '\n// edited by hand\n');
  expect((await build({ minify: false })).reused).toBe(false);
  expect(index()).not.toContain('edited by hand');

  fs.writeFileSync(path.join(root, 'dist/fn/extra.txt'), 'not from the build');
  expect((await build({ minify: false })).reused).toBe(false);
  expect(fs.existsSync(path.join(root, 'dist/fn/extra.txt'))).toBe(false);
});

test('the stamps of an output folder that is gone are dropped at the next build', async () => {
  const gone = path.join(root, 'gone');
  await build();
  await build({ outDir: gone });
  const stampDirs = () => fs.readdirSync(path.join(root, 'cache')).length;
  expect(stampDirs()).toBe(2);
  fs.rmSync(gone, { recursive: true });
  expect((await build()).reused).toBe(true);
  expect(stampDirs()).toBe(1);
});

test('without a cache folder every build is fresh', async () => {
  expect((await build({ cacheDir: undefined })).reused).toBe(false);
  expect((await build({ cacheDir: undefined })).reused).toBe(false);
});
