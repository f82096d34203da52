// `npm run deploy [-- name...]`: build the bundles, then `tcb fn deploy` each with cloudbaserc.json
// (needs `tcb login` and ENV_ID, WECHAT_APPID, WECHAT_SECRET, TOKEN_SECRET in the environment or .env).
// Functions with httpPaths in their config.json also get their HTTP access routes (--path).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildFunctions, functionNames } from './lib/build-functions';

function tcb(args: string[]): void {
  console.log(`$ tcb ${args.join(' ')}`);
  const res = spawnSync(path.resolve('node_modules/.bin/tcb'), args, { stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const selected = names.length ? names : functionNames(path.resolve('cloudfunctions'));
  if (!process.env.ENV_ID) console.warn('warning: ENV_ID is not set; cloudbaserc.json takes envId from it');
  await buildFunctions({ srcDir: path.resolve('cloudfunctions'), outDir: path.resolve('dist/functions'), bundleSdk: true, only: selected });
  for (const name of selected) {
    const config = JSON.parse(fs.readFileSync(path.resolve('dist/functions', name, 'config.json'), 'utf8')) as { httpPaths?: string[] };
    const [httpPath] = config.httpPaths ?? [];
    tcb(['fn', 'deploy', name, '--force', ...(httpPath ? ['--path', httpPath] : [])]);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
