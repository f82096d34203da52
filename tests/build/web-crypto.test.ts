// Tokens work where Web Crypto is not a global. Node 18 scripts (CloudBase's Nodejs18.15 runtime)
// lack globalThis.crypto: it became a global in Node 19 (nodejs/node#42083). Node 20's
// --no-experimental-global-webcrypto removes the global the same way, so the shared token module,
// bundled as the functions bundle it, is run here without it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '../..');

async function bundleProbe(source: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-crypto-'));
  const entry = path.join(dir, 'probe.ts');
  fs.writeFileSync(entry, source);
  const outfile = path.join(dir, 'probe.js');
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent', nodePaths: [path.join(ROOT, 'node_modules')], external: ['wx-server-sdk'] });
  return outfile;
}

const run = (file: string, flags: string[]) =>
  spawnSync(process.execPath, [...flags, file], { encoding: 'utf8', cwd: ROOT, env: { PATH: process.env.PATH ?? '', TOKEN_SECRET: 'a-test-secret-that-is-long-enough-0123456789', NODE_PATH: path.join(ROOT, 'node_modules') } });

it('issues and verifies a token when the runtime has no global Web Crypto', async () => {
  const probe = await bundleProbe(`
    import { issueToken, verifyToken } from ${JSON.stringify(path.join(ROOT, 'shared/auth/tokens'))};
    (async () => {
      const token = await issueToken({ userId: 'u1', version: 3 }, new Date());
      const claims = await verifyToken(token, new Date());
      let tampered = '';
      try { await verifyToken(token.slice(0, -2) + 'xx', new Date()); } catch (e) { tampered = (e as { code: string }).code; }
      process.stdout.write(JSON.stringify({ claims, tampered }));
    })().catch((e) => { process.stderr.write(String(e && e.stack)); process.exit(1); });
  `);
  const bare = run(probe, ['--no-experimental-global-webcrypto']);
  expect(bare.stderr).toBe('');
  expect(JSON.parse(bare.stdout)).toEqual({ claims: { userId: 'u1', version: 3 }, tampered: 'UNAUTHORIZED' });
});

it('leaves an existing global Web Crypto in place', async () => {
  const probe = await bundleProbe(`
    const mine = { subtle: {}, getRandomValues: () => undefined };
    Object.defineProperty(globalThis, 'crypto', { value: mine, configurable: true, writable: true });
    const { ensureWebCrypto } = require(${JSON.stringify(path.join(ROOT, 'shared/platform'))});
    ensureWebCrypto();
    process.stdout.write(String(globalThis.crypto === mine));
  `);
  const out = run(probe, []);
  expect(out.stderr).toBe('');
  expect(out.stdout).toBe('true');
});

it('answers INTERNAL, not UNAUTHORIZED, when verifying fails for a reason that is not the token', async () => {
  // A well-formed token, then Web Crypto broken under jose: a platform fault, not the caller's.
  const probe = await bundleProbe(`
    import { issueToken, verifyToken } from ${JSON.stringify(path.join(ROOT, 'shared/auth/tokens'))};
    issueToken({ userId: 'u1', version: 1 }, new Date()).then((token) => {
      Object.defineProperty(globalThis, 'crypto', { value: { subtle: undefined }, configurable: true, writable: true });
      return verifyToken(token, new Date());
    }).then(
      () => process.stdout.write('accepted'),
      (e) => process.stdout.write(e && e.code === 'UNAUTHORIZED' ? 'UNAUTHORIZED' : 'other:' + (e && e.name)),
    );
  `);
  const out = run(probe, []);
  expect(out.stdout).toMatch(/^other:/);
});
