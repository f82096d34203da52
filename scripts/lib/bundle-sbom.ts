// The bill of materials of one function bundle, from esbuild's metafile: every npm package that put
// at least one byte into the bundle's index.js, written as CycloneDX 1.6 JSON, and the check of
// those packages against the deny list (security/denied-packages.json).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import semver from 'semver';

export const SBOM_FILE = 'sbom.cdx.json';

export interface BundledPackage {
  name: string;
  version: string;
  /** Folder relative to the repository root, e.g. node_modules/@cloudbase/node-sdk (also its package-lock key). */
  dir: string;
  license?: string;
  /** package-lock.json's integrity of the installed tarball (sha512-<base64>). */
  integrity?: string;
  bytesInOutput: number;
}

export interface DeniedRange {
  package: string;
  range: string;
  id: string;
  why: string;
}

export interface Violation {
  pkg: BundledPackage;
  rule: DeniedRange;
}

/** The package folder an input path lies in: the part up to the last node_modules/<name> or node_modules/@scope/<name>. */
function packageDir(input: string): string | undefined {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  const nameParts = parts[at + 1]!.startsWith('@') ? 2 : 1;
  return parts.slice(0, at + 1 + nameParts).join('/');
}

/** Packages with bytes in `outfile` (a key of metafile.outputs, relative to `root` like the inputs). */
export function bundledPackages(metafile: Metafile, outfile: string, root: string): BundledPackage[] {
  const output = metafile.outputs[outfile];
  if (!output) throw new Error(`metafile has no output ${outfile}`);
  const lock = readLockPackages(root);
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const dir = packageDir(input);
    if (dir && bytesInOutput > 0) bytes.set(dir, (bytes.get(dir) ?? 0) + bytesInOutput);
  }
  return [...bytes].map(([dir, bytesInOutput]) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: unknown };
    return { name: pkg.name, version: pkg.version, dir, license: typeof pkg.license === 'string' ? pkg.license : undefined, integrity: lock[dir]?.integrity, bytesInOutput };
  }).sort((a, b) => a.name.localeCompare(b.name) || a.dir.localeCompare(b.dir));
}

function readLockPackages(root: string): Record<string, { integrity?: string }> {
  const file = path.join(root, 'package-lock.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { packages?: Record<string, { integrity?: string }> }).packages ?? {} : {};
}

/** purl of an npm package: the scope's @ is percent-encoded (package-url spec, npm type). */
export function npmPurl(name: string, version: string): string {
  return `pkg:npm/${name.startsWith('@') ? `%40${name.slice(1)}` : name}@${version}`;
}

function licenses(license: string | undefined) {
  if (!license) return undefined;
  // An SPDX id or expression (MIT, (MIT OR Apache-2.0)); anything else (SEE LICENSE IN …) as a name.
  return /^\(?[\w.+-]+( (AND|OR|WITH) \(?[\w.+-]+\)?)*\)?$/.test(license) ? [{ expression: license }] : [{ license: { name: license } }];
}

function hashes(integrity: string | undefined) {
  const m = /^sha(512|384|256|1)-(.+)$/.exec(integrity?.split(' ')[0] ?? '');
  return m ? [{ alg: m[1] === '1' ? 'SHA-1' : `SHA-${m[1]}`, content: Buffer.from(m[2]!, 'base64').toString('hex') }] : undefined;
}

export interface SbomSubject {
  /** The function's name and the project's version. */
  name: string;
  version: string;
  esbuildVersion: string;
}

/** A CycloneDX 1.6 JSON document listing the bundled packages. */
export function cycloneDx(subject: SbomSubject, packages: BundledPackage[]): Record<string, unknown> {
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${crypto.randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: new Date().toISOString(),
      lifecycles: [{ phase: 'build' }],
      tools: { components: [{ type: 'application', name: 'esbuild', version: subject.esbuildVersion, description: 'bundler; the component list is its metafile' }] },
      component: { type: 'application', 'bom-ref': subject.name, name: subject.name, version: subject.version, description: `cloud function ${subject.name}: index.js` },
    },
    components: packages.map((p) => {
      const [group, name] = p.name.startsWith('@') ? p.name.split('/') : [undefined, p.name];
      return {
        type: 'library',
        'bom-ref': p.dir,
        ...(group ? { group } : {}),
        name,
        version: p.version,
        purl: npmPurl(p.name, p.version),
        ...(licenses(p.license) ? { licenses: licenses(p.license) } : {}),
        ...(hashes(p.integrity) ? { hashes: hashes(p.integrity) } : {}),
        properties: [
          { name: 'cdx:npm:package:path', value: p.dir },
          { name: 'esbuild:bytesInOutput', value: String(p.bytesInOutput) },
        ],
      };
    }),
  };
}

/** The deny list, checked for shape and valid semver ranges (a typo must not silently deny nothing). */
export function readDenyList(file: string): DeniedRange[] {
  const list = (JSON.parse(fs.readFileSync(file, 'utf8')) as { denied?: unknown }).denied;
  if (!Array.isArray(list)) throw new Error(`${file}: expected { "denied": [...] }`);
  return list.map((entry: Partial<DeniedRange>, i) => {
    for (const key of ['package', 'range', 'id', 'why'] as const) {
      if (typeof entry[key] !== 'string' || !entry[key]) throw new Error(`${file}: denied[${i}].${key} must be a non-empty string`);
    }
    if (semver.validRange(entry.range!) === null) throw new Error(`${file}: denied[${i}].range "${entry.range}" is not a semver range`);
    return entry as DeniedRange;
  });
}

export function deniedPackages(packages: BundledPackage[], rules: DeniedRange[]): Violation[] {
  return packages.flatMap((pkg) =>
    rules.filter((rule) => rule.package === pkg.name && semver.satisfies(pkg.version, rule.range, { includePrerelease: true })).map((rule) => ({ pkg, rule })),
  );
}

export function describeViolation(bundle: string, { pkg, rule }: Violation): string {
  return `bundle ${bundle} contains ${pkg.name}@${pkg.version} (${pkg.dir}), denied by ${rule.id} (range ${rule.range}): ${rule.why}`;
}
