// Every built function carries a CycloneDX bill of materials (sbom.cdx.json) that lists what esbuild
// put into its index.js; no listed package is in a denied version range; each function carries one
// axios; and the build refuses a bundle holding a denied version.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import semver from 'semver';
import { buildFunctions } from '../../scripts/lib/build-functions';

const ROOT = path.resolve(__dirname, '../..');
const functionsDir = (JSON.parse(process.env.TEST_FUNCTIONS_DIRS ?? '[]') as string[])[0] as string;
const FUNCTIONS = ['backdb', 'common', 'user', 'wechat'];

interface Component { group?: string; name: string; version: string; purl: string; properties: Array<{ name: string; value: string }> }
interface Bom { bomFormat: string; specVersion: string; metadata: { component: { name: string } }; components: Component[] }

const fullName = (c: Component) => (c.group ? `${c.group}/${c.name}` : c.name);
const readBom = (name: string) => JSON.parse(fs.readFileSync(path.join(functionsDir, name, 'sbom.cdx.json'), 'utf8')) as Bom;
const denyList = JSON.parse(fs.readFileSync(path.join(ROOT, 'security/denied-packages.json'), 'utf8')) as { denied: Array<{ package: string; range: string; id: string }> };

/** CycloneDX's own JSON schema for 1.6, as shipped by @cyclonedx/cyclonedx-library (its validator's set-up). */
function cycloneDxValidator() {
  const dir = path.join(ROOT, 'node_modules/@cyclonedx/cyclonedx-library/res/schema');
  const load = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
  const schemas = Object.fromEntries(['spdx', 'jsf-0.82', 'cryptography-defs'].map((n) => [`http://cyclonedx.org/schema/${n}.SNAPSHOT.schema.json`, load(`${n}.SNAPSHOT.schema.json`)]));
  const ajv = new Ajv({ strict: false, addUsedSchema: false, schemas });
  addFormats(ajv);
  ajv.addFormat('iri-reference', true);
  ajv.addFormat('idn-email', true);
  return ajv.compile(load('bom-1.6.SNAPSHOT.schema.json'));
}

it('writes a CycloneDX 1.6 document beside each index.js that validates against the CycloneDX schema', () => {
  const validate = cycloneDxValidator();
  for (const name of FUNCTIONS) {
    const bom = readBom(name);
    expect(validate(bom) ? [] : validate.errors).toEqual([]);
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', metadata: { component: { name } } });
  }
});

it('lists exactly the packages esbuild put into the bundle', () => {
  for (const name of FUNCTIONS) {
    const names = readBom(name).components.map(fullName);
    // Bundled: the SDK and what it loads.
    expect(names).toEqual(expect.arrayContaining(['wx-server-sdk', '@cloudbase/node-sdk', '@cloudbase/database', 'axios', 'zod']));
    // Replaced by throwing stubs at build time (UNUSED_SDK_MODULES), so not in the bundle.
    expect(names).not.toContain('@cloudbase/ai');
    expect(names).not.toContain('@cloudbase/wx-cloud-client-sdk');
    // Node built-ins win over same-named packages (url@0.11.4 is installed for the SDK but never bundled).
    expect(names).not.toContain('url');
    // Dev tooling never ends up in a bundle.
    for (const dev of ['jest', 'esbuild', 'typescript', 'mingo', '@seald-io/nedb']) expect(names).not.toContain(dev);
    for (const c of readBom(name).components) expect(Number(c.properties.find((p) => p.name === 'esbuild:bytesInOutput')?.value)).toBeGreaterThan(0);
  }
  // jose is loaded by the wechat function only (token signing).
  expect(readBom('wechat').components.map(fullName)).toContain('jose');
  expect(readBom('common').components.map(fullName)).not.toContain('jose');
});

it('bundles no package version that security/denied-packages.json denies', () => {
  expect(denyList.denied.length).toBeGreaterThan(0);
  for (const name of FUNCTIONS) {
    const hits = readBom(name).components.flatMap((c) =>
      denyList.denied.filter((d) => d.package === fullName(c) && semver.satisfies(c.version, d.range, { includePrerelease: true })).map((d) => `${name}: ${fullName(c)}@${c.version} (${d.id})`),
    );
    expect(hits).toEqual([]);
  }
});

it('carries exactly one axios per function, the patched version that the SDK and our code share', () => {
  const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies.axios!;
  for (const name of FUNCTIONS) {
    const axios = readBom(name).components.filter((c) => c.name === 'axios' && !c.group);
    expect(axios.map((c) => `${c.version} ${c.purl}`)).toEqual([`${version} pkg:npm/axios@${version}`]);
    // The bundle itself says so too: axios's lib/env/data.js is inlined as { version: "<version>" }.
    const versions = [...fs.readFileSync(path.join(functionsDir, name, 'index.js'), 'utf8').matchAll(/exports=\{version:"([^"]+)"\}/g)].map((m) => m[1]);
    expect(versions).toContain(version);
  }
  // CVE-2025-58754 and the later 0.x backports: nothing below the patched 0.x line (axios CHANGELOG, v0.32.0).
  expect(semver.gte(version, '0.32.0')).toBe(true);
});

describe('the build refuses a denied version', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deny-list-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('fails naming the bundle, the package, the rule and the folder, and leaves the bill of materials to inspect', async () => {
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/axios/package.json'), 'utf8')) as { version: string }).version;
    const denyFile = path.join(tmp, 'deny.json');
    fs.writeFileSync(denyFile, JSON.stringify({ denied: [{ package: 'axios', range: `>=${version}`, id: 'TEST-1', why: 'a test rule' }] }));
    await expect(buildFunctions({ srcDir: path.join(ROOT, 'cloudfunctions'), outDir: path.join(tmp, 'out'), bundleSdk: true, only: ['common'], denyList: denyFile }))
      .rejects.toThrow(`bundle common contains axios@${version} (node_modules/axios), denied by TEST-1 (range >=${version}): a test rule`);
    expect(fs.existsSync(path.join(tmp, 'out/common/sbom.cdx.json'))).toBe(true);
    // The refused bundle was never loaded, so it got no config.json.
    expect(fs.existsSync(path.join(tmp, 'out/common/config.json'))).toBe(false);
  });

  it('rejects a deny list entry whose range is not a semver range', async () => {
    const denyFile = path.join(tmp, 'deny.json');
    fs.writeFileSync(denyFile, JSON.stringify({ denied: [{ package: 'axios', range: 'below 0.30', id: 'TEST-2', why: 'typo' }] }));
    await expect(buildFunctions({ srcDir: path.join(ROOT, 'cloudfunctions'), outDir: path.join(tmp, 'out'), bundleSdk: true, only: ['common'], denyList: denyFile }))
      .rejects.toThrow('denied[0].range "below 0.30" is not a semver range');
  });
});
