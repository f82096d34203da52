// Files a test leaves for a person to read (test-artifacts/ is ignored by git and by jest):
// test-artifacts/<kind>/<the test file's path under tests/>.<extension>, one per test file.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export function artifactPath(kind: string, extension: string): string {
  const testPath = expect.getState().testPath ?? path.join(ROOT, 'tests/unknown.test.ts');
  return path.join(ROOT, 'test-artifacts', kind, `${path.relative(path.join(ROOT, 'tests'), testPath).replace(/\.ts$/, '')}.${extension}`);
}

const started = new Set<string>();

/** Appends `text` to the file; the running test file's first write starts it afresh (each test file has its own module registry). */
export function writeArtifact(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (started.has(file)) fs.appendFileSync(file, text);
  else fs.writeFileSync(file, text);
  started.add(file);
}
