// A throwaway copy of the project (what the scripts import and what the build reads, with the
// checkout's node_modules linked in), so that a test's `npm run build` or `npm run deploy` writes
// its own dist/ and never races another test file's build on the checkout's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const COPIED = ['cloudbaserc.json', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts', 'shared', 'cloudfunctions', 'security', 'emulator', 'storage.rules.json'];

export function copyProject(prefix: string): string {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const entry of COPIED) fs.cpSync(path.join(ROOT, entry), path.join(project, entry), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
  return project;
}
