// Groups a V8 .cpuprofile's self time by the part of the request path its code belongs to. A
// frame is placed by its script's URL, or for the emulator's bundle by the source file the bundle's
// source map names (and for Node's own modules by which process it ran in); the first rule that
// matches wins.
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import { pathToFileURL } from 'node:url';

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export type ProcessKind = 'emulator' | 'instance';

type Rule = [part: string, test: (url: string, fn: string) => boolean];

const has = (...needles: string[]) => (url: string) => needles.some((n) => url.includes(n));

// The profiler's own work (building the profile when it stops) is V8's inspector `dispatch`.
const PROFILER: Rule = ['profiler itself (left out)', (u, fn) => !u && fn === 'dispatch'];

const EMULATOR_RULES: Rule[] = [
  PROFILER,
  ['idle', (_u, fn) => fn === '(idle)' || fn === '(program)'],
  ['GC', (_u, fn) => fn === '(garbage collector)'],
  ['EJSON (bson, codec)', has('/node_modules/bson/', '/server-api/ejson-codec', '/store/extended-json', '/store/record-codec')],
  ['mingo query', has('/node_modules/mingo/', '/store/query-plan', '/store/find-in-memory', '/store/query-fidelity', '/store/mingo-modules')],
  ['store (documents, files)', has('/emulator/store/')],
  ['/admin parse and actions', has('/emulator/server-api/', '/emulator/cloud-api/tc3-signature')],
  ['instance hop/IPC (emulator side)', has('/emulator/runner/', 'node:child_process', 'internal/child_process')],
  ['HTTP door (routing, JSON checks)', has('/emulator/http/')],
  ['node http/net/streams (emulator)', has('node:_http', 'node:http', 'node:net', 'node:stream', 'internal/streams', 'node:events', 'internal/http', 'stream_base_commons', 'node:buffer', 'internal/url', 'node:url', 'internal/timers', 'node:timers')],
  ['other emulator code', has('/emulator/', '/shared/', '/scripts/')],
  ['other node internals (emulator)', has('node:', 'internal/')],
];

const INSTANCE_RULES: Rule[] = [
  PROFILER,
  ['idle', (_u, fn) => fn === '(idle)' || fn === '(program)'],
  ['GC', (_u, fn) => fn === '(garbage collector)'],
  ['SDK request signing (instance)', (u, fn) => /sign|hmac|sha256|crypto/i.test(fn) && /@cloudbase|wx-server-sdk/.test(u) || u.includes('node:crypto') || u.includes('internal/crypto')],
  ['SDK (wx-server-sdk, @cloudbase, instance)', has('/wx-server-sdk/', '/@cloudbase/', '/node_modules/')],
  ['instance hop/IPC (instance side)', has('instance-bootstrap', 'node:child_process', 'internal/child_process', 'internal/process')],
  ['function code (instance)', has('/cloudfunctions/', '/shared/', '/dist/')],
  ['HTTP client to /admin (instance)', has('node:_http', 'node:http', 'node:net', 'node:stream', 'internal/streams', 'node:events', 'internal/http', 'stream_base_commons', 'node:buffer', 'internal/url', 'node:url', 'internal/timers', 'node:timers', 'node:dns', 'node:zlib')],
  ['other node internals (instance)', has('node:', 'internal/', '')],
];

/** Gives a frame's script URL, or for a frame of a bundle the source file it came from. */
export type FrameSource = (frame: CallFrame) => string;

export const scriptOf: FrameSource = (frame) => frame.url;

/**
 * Frames of `bundle` (the emulator as `npm start` runs it) placed by the source file their function
 * came from, read from the bundle's linked source map; every other frame by its own script.
 */
export function bundleSources(bundle: string): FrameSource {
  const url = pathToFileURL(bundle).href;
  const map = new SourceMap(JSON.parse(fs.readFileSync(`${bundle}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  return (frame) => {
    if (frame.url !== url) return frame.url;
    // A cpuprofile's positions are 0-based, as findEntry's are; a position outside the map finds {}.
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string };
    return entry.originalSource ?? frame.url;
  };
}

/** Self time in µs per part for one profile. */
export function selfTimeByPart(file: string, kind: ProcessKind, sourceOf: FrameSource = scriptOf): Map<string, number> {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const rules = kind === 'emulator' ? EMULATOR_RULES : INSTANCE_RULES;
  const parent = new Map<number, ProfileNode>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const out = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = byNode.get(node.id);
    if (!us) continue;
    // V8's built-ins (JSON.parse, RegExp…) have no script: their time is their caller's.
    let frame = node;
    while (!frame.callFrame.url && !frame.callFrame.functionName.startsWith('(') && parent.has(frame.id)) frame = parent.get(frame.id)!;
    const callFrame = (byId.get(frame.id) ?? node).callFrame;
    const url = sourceOf(callFrame);
    const part = rules.find(([, test]) => test(url, callFrame.functionName))?.[0] ?? `other (${kind})`;
    out.set(part, (out.get(part) ?? 0) + us);
  }
  return out;
}
