// Bundles the console UI (ui/main.tsx and the CSS it imports) with esbuild, in memory, once per
// process: the first request for /_/ starts the build and later ones reuse it.
import path from 'node:path';

export interface ConsoleAssets {
  js: string;
  css: string;
}

const UI_DIR = path.join(__dirname, 'ui');
let cached: Promise<ConsoleAssets> | undefined;

export function consoleAssets(): Promise<ConsoleAssets> {
  cached ??= buildAssets().catch((err: unknown) => {
    cached = undefined; // a fixed source can be retried with a reload
    throw err;
  });
  return cached;
}

async function buildAssets(): Promise<ConsoleAssets> {
  const { build } = await import('esbuild'); // loaded only when the console is used
  const result = await build({
    entryPoints: { app: path.join(UI_DIR, 'main.tsx') },
    outdir: '/console-out',
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    tsconfig: path.join(UI_DIR, 'tsconfig.json'),
    jsx: 'automatic',
    jsxImportSource: 'preact',
    absWorkingDir: path.resolve(__dirname, '../..'),
  });
  const text = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { js: text('.js'), css: text('.css') };
}
