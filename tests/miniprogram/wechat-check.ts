// Checks a mini-program folder the way WeChat DevTools does before it runs it: every JSON file parses,
// every page of app.json exists with its four files, every usingComponents path resolves, WeChat's
// own WXML compiler (wcc) accepts every .wxml and its WXSS compiler (wcsc) every .wxss.
//
// wcc and wcsc are the Linux x64 binaries shipped in the miniprogram-compiler package (the compilers
// miniprogram-simulate's `compiler: 'official'` runs). Nothing installs them: they come inside the
// registry tarball without the execute bit, and the package's wrapper chmods them on first use.
// The wrapper wants an absolute root (with a relative one it silently skips page JSON); its WXSS
// entry point (index.js wxssToJs) drops the compiler's message, so src/wcsc is called directly.
import fs from 'node:fs';
import path from 'node:path';

export interface Problem {
  /** Path relative to the checked root, forward slashes. */
  file: string;
  line: number;
  column: number;
  message: string;
  /** Who reported it: wcc, wcsc, json (parse error), app (pages and components). */
  by: 'wcc' | 'wcsc' | 'json' | 'app';
}

export interface AllowedMessage {
  by: 'wcc' | 'wcsc';
  file: string;
  /** A part of the compiler's message. */
  includes: string;
  why: string;
}

/**
 * Messages of the 2019/2020 binaries (wcc v0.5vv_20200413) about syntax that current DevTools
 * accepts. Measured here: wcsc rejects `:is(a, b)` and `:not(a, b)` (selector lists), `::part()`,
 * `@container`, `@layer` and nesting (`&`); it accepts `:where()`, `:has()`, `var()`, `clamp()`,
 * `aspect-ratio`, `gap`, `inset` and `@supports`. The mini-program uses none of the rejected syntax,
 * so the list is empty. An entry that matches no message is reported as stale.
 */
export const ALLOWED: AllowedMessage[] = [];

// eslint-disable-next-line @typescript-eslint/no-require-imports
const wcc = require('miniprogram-compiler/src/wcc') as (root: string, files: string[], wxsFiles: string[], options: object) => string;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wcsc = require('miniprogram-compiler/src/wcsc') as (root: string, files: string[]) => Record<string, string> | Error;

const SCRIPT_EXTENSIONS = ['.ts', '.js'];
const slash = (p: string) => p.split(path.sep).join('/');

function listFiles(root: string, extension: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .map(slash)
    .filter((f) => f.endsWith(extension) && !f.split('/').includes('node_modules') && !f.split('/').includes('miniprogram_npm'))
    .sort();
}

/** 1-based line and column of a character offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Where a JSON string value (e.g. "pages/x/index") appears in the file, for messages with a line. */
function positionOf(text: string, value: string): { line: number; column: number } {
  const at = text.indexOf(JSON.stringify(value));
  return at < 0 ? { line: 1, column: 1 } : position(text, at + 1);
}

/** Offset of the first character a strict JSON reader rejects (JSON.parse's messages often carry none). */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = () => {
    for (i++; text[i] !== '"'; i++) {
      if (i >= text.length || text[i]! < ' ') fail();
      if (text[i] === '\\') i++;
    }
    i++;
  };
  const value = (): void => {
    ws();
    const open = text[i];
    if (open === '{' || open === '[') {
      const close = open === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        ws();
        if (open === '{') {
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) return void i++;
        else fail();
      }
    }
    if (open === '"') return string();
    const literal = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (!literal) fail();
    i += literal![0].length;
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (at) {
    return at as number;
  }
}

function parseJsonFiles(root: string, problems: Problem[]): Map<string, { text: string; json: Record<string, unknown> }> {
  const parsed = new Map<string, { text: string; json: Record<string, unknown> }>();
  // tsconfig.json is the TypeScript compiler's (JSON with comments), not a mini-program file.
  for (const file of listFiles(root, '.json').filter((f) => path.posix.basename(f) !== 'tsconfig.json')) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    try {
      parsed.set(file, { text, json: JSON.parse(text) as Record<string, unknown> });
    } catch (err) {
      problems.push({ file, ...position(text, Math.max(0, jsonErrorOffset(text))), message: (err as Error).message.split('\n')[0]!, by: 'json' });
    }
  }
  return parsed;
}

/** Pages (app.json pages and subpackages) and components (usingComponents, transitively): exist with their files. */
function checkPagesAndComponents(root: string, json: Map<string, { text: string; json: Record<string, unknown> }>, problems: Problem[]): void {
  const app = json.get('app.json');
  if (!app) {
    if (fs.existsSync(path.join(root, 'app.json'))) return; // already reported as unparsable
    problems.push({ file: 'app.json', line: 1, column: 1, message: 'app.json is missing', by: 'app' });
    return;
  }
  const exists = (base: string, ext: string) => fs.existsSync(path.join(root, base + ext));
  const pages = (app.json.pages as string[] | undefined) ?? [];
  const subpackages = ((app.json.subpackages ?? app.json.subPackages) as Array<{ root: string; pages: string[] }> | undefined) ?? [];
  const allPages = [...pages.map((p) => ({ page: p, entry: p })), ...subpackages.flatMap((sp) => sp.pages.map((p) => ({ page: path.posix.join(sp.root, p), entry: p })))];
  for (const { page, entry } of allPages) {
    const missing = ['.wxml', '.wxss', '.json'].filter((ext) => !exists(page, ext));
    if (!SCRIPT_EXTENSIONS.some((ext) => exists(page, ext))) missing.unshift('.ts/.js');
    if (missing.length) problems.push({ file: 'app.json', ...positionOf(app.text, entry), message: `page "${page}" is missing ${missing.map((ext) => page + ext).join(', ')}`, by: 'app' });
  }
  // usingComponents of app.json, every page and every component reached, resolved from the declaring file.
  const queue = ['app', ...allPages.map((p) => p.page)];
  const seen = new Set(queue);
  while (queue.length) {
    const owner = queue.shift()!;
    const declared = json.get(`${owner}.json`);
    const using = (declared?.json.usingComponents ?? {}) as Record<string, string>;
    for (const [tag, target] of Object.entries(using)) {
      if (target.startsWith('plugin://')) continue;
      const base = target.startsWith('/') ? target.slice(1) : path.posix.join(path.posix.dirname(owner), target);
      const component = json.get(`${base}.json`)?.json;
      const ok = component?.component === true && exists(base, '.wxml') && SCRIPT_EXTENSIONS.some((ext) => exists(base, ext));
      if (!ok) problems.push({ file: `${owner}.json`, ...positionOf(declared!.text, target), message: `usingComponents "${tag}": "${target}" does not resolve to a component (${base}.json with "component": true, .wxml, .ts/.js)`, by: 'app' });
      else if (!seen.has(base)) {
        seen.add(base);
        queue.push(base);
      }
    }
  }
}

/** wcc stops at its first error: on failure each file is compiled alone too, so every broken file is named. */
function compileWxml(root: string, problems: Problem[]): void {
  const files = listFiles(root, '.wxml').map((f) => f.slice(0, -'.wxml'.length));
  const wxs = listFiles(root, '.wxs');
  const run = (list: string[]): string | undefined => {
    try {
      wcc(root, list, wxs, {});
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  };
  const whole = run(files);
  if (whole === undefined) return;
  const messages = new Set(files.map((f) => run([f])).filter((m): m is string => m !== undefined));
  for (const message of messages.size ? messages : [whole]) problems.push(...parseCompilerOutput(message, 'wcc'));
}

function compileWxss(root: string, problems: Problem[]): void {
  const files = listFiles(root, '.wxss').map((f) => f.slice(0, -'.wxss'.length));
  const result = wcsc(root, files);
  if (result instanceof Error) problems.push(...parseCompilerOutput(result.message, 'wcsc'));
}

/** The compilers' own lines: wcc `file.wxml:L:C: message`, wcsc `[ERR: ]file.wxss(L:C): message`. */
function parseCompilerOutput(output: string, by: 'wcc' | 'wcsc'): Problem[] {
  const problems: Problem[] = [];
  const body = output.replace(/^编译 \.(wxml|wxss) 文件错误：/, '');
  for (const raw of body.split('\n').map((l) => l.trim()).filter(Boolean)) {
    if (/^error file count:/.test(raw)) continue;
    const m = /^(?:ERR: )?(.+?\.(?:wxml|wxss|wxs))(?::(\d+):(\d+):|\((\d+):(\d+)\):)\s*(.*)$/.exec(raw);
    if (m) problems.push({ file: m[1]!, line: Number(m[2] ?? m[4]), column: Number(m[3] ?? m[5]), message: m[6]!, by });
    else problems.push({ file: '?', line: 0, column: 0, message: raw, by });
  }
  if (!problems.length) problems.push({ file: '?', line: 0, column: 0, message: output.trim(), by });
  return problems;
}

export function formatProblem(p: Problem, prefix = ''): string {
  return `${prefix}${p.file}:${p.line}:${p.column}: ${p.message} [${p.by}]`;
}

/** Every problem of the mini-program at `root` (an absolute path), minus allowed compiler messages; stale allow entries are problems too. */
export function checkMiniprogram(root: string, allowed: AllowedMessage[] = ALLOWED): Problem[] {
  if (!path.isAbsolute(root)) throw new Error(`checkMiniprogram needs an absolute root, got ${root}`);
  const problems: Problem[] = [];
  const json = parseJsonFiles(root, problems);
  checkPagesAndComponents(root, json, problems);
  compileWxml(root, problems);
  compileWxss(root, problems);
  const used = new Set<AllowedMessage>();
  const kept = problems.filter((p) => {
    const allow = allowed.find((a) => a.by === p.by && a.file === p.file && p.message.includes(a.includes));
    if (allow) used.add(allow);
    return !allow;
  });
  for (const a of allowed.filter((entry) => !used.has(entry))) kept.push({ file: a.file, line: 0, column: 0, message: `stale allow-list entry (${a.by}: "${a.includes}") matches no compiler message`, by: a.by });
  return kept;
}
