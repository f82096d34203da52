// Bundles the emulator (emulator/cli.ts and what it imports from this repository) into one
// CommonJS file, dist/emulator/cli.js, so that `npm start` does not compile TypeScript at each
// start. Packages stay in node_modules (external), loaded as tsx would load them. Source files find
// their neighbours (instance-bootstrap.cjs, the console UI, storage.rules.json, ROOT) through
// __dirname, so each bundled file gets its own __dirname: its source folder, relative to the bundle.
import fs from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

const ROOT = path.resolve(__dirname, '../..');
export const EMULATOR_BUNDLE = path.join(ROOT, 'dist/emulator/cli.js');

function sourceDirname(outDir: string): Plugin {
  return {
    name: 'source-dirname',
    setup(b) {
      b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const text = await fs.promises.readFile(args.path, 'utf8');
        if (!/\b__dirname\b|\b__filename\b/.test(text)) return { contents: text, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
        const dir = JSON.stringify(path.relative(outDir, path.dirname(args.path)));
        const file = JSON.stringify(path.relative(outDir, args.path));
        const prelude = `const __dirname = require('node:path').join(__bundleDir, ${dir}); const __filename = require('node:path').join(__bundleDir, ${file});\n`;
        return { contents: prelude + text, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
      });
    },
  };
}

/**
 * `file` elsewhere than dist/ (a test run's own bundle) must still be below the root, where node_modules
 * is found. `entry`: the CLI, or emulator/server.ts for the tests' in-process emulators.
 */
export async function buildEmulator(file = EMULATOR_BUNDLE, entry = 'emulator/cli.ts'): Promise<{ file: string; bytes: number }> {
  const outDir = path.dirname(file);
  await build({
    entryPoints: [path.join(ROOT, entry)],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    banner: { js: 'const __bundleDir = __dirname;' },
    plugins: [sourceDirname(outDir)],
    logLevel: 'warning',
  });
  return { file, bytes: fs.statSync(file).size };
}
