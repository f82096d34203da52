// The mini-program passes WeChat's own compilers (wcc for WXML, wcsc for WXSS, from the
// miniprogram-compiler package) and DevTools' project checks (JSON parses, app.json pages exist with
// their four files, usingComponents resolve); and the check really fails, naming file and line, on
// broken copies. The expected messages are the ones DevTools shows for these mistakes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkMiniprogram, formatProblem, type Problem } from './wechat-check';

const MINIPROGRAM = path.resolve(__dirname, '../../miniprogram');

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'miniprogram-check-'));
  fs.cpSync(MINIPROGRAM, tmp, { recursive: true });
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Appends lines to a file of the copy; returns the 1-based line number of the first appended line. */
function append(file: string, ...lines: string[]): number {
  const full = path.join(tmp, file);
  const text = fs.readFileSync(full, 'utf8').replace(/\n?$/, '\n');
  fs.writeFileSync(full, text + lines.join('\n') + '\n');
  return text.split('\n').length;
}

/** Inserts a line before the file's last line (inside its outermost element); returns its line number. */
function insertBeforeLastLine(file: string, line: string): number {
  const full = path.join(tmp, file);
  const lines = fs.readFileSync(full, 'utf8').replace(/\n$/, '').split('\n');
  lines.splice(lines.length - 1, 0, line);
  fs.writeFileSync(full, lines.join('\n') + '\n');
  return lines.length - 1;
}

const problem = (p: Partial<Problem> & { message: string }) => expect.objectContaining({ ...p, message: expect.stringContaining(p.message) });

it('compiles every WXML with wcc and every WXSS with wcsc, and app.json, page JSON and usingComponents check out', () => {
  expect(checkMiniprogram(MINIPROGRAM).map((p) => formatProblem(p, 'miniprogram/'))).toEqual([]);
});

it('names file and line for an unclosed tag, a broken {{ }} expression and a WXSS syntax error', () => {
  const unclosed = append('pages/start/index.wxml', '<view class="unclosed">');
  const expression = insertBeforeLastLine('pages/profile/index.wxml', '  <text>{{ nickname + }}</text>');
  const wxss = append('pages/search/index.wxss', '.broken {{ color: red; }');
  const problems = checkMiniprogram(tmp);
  expect(problems).toEqual(expect.arrayContaining([
    problem({ by: 'wcc', file: 'pages/start/index.wxml', line: unclosed, message: 'end tag missing' }),
    problem({ by: 'wcc', file: 'pages/profile/index.wxml', line: expression, message: 'Bad value' }),
    problem({ by: 'wcsc', file: 'pages/search/index.wxss', line: wxss, message: 'unexpected' }),
  ]));
  expect(problems).toHaveLength(3);
  for (const p of problems) expect(formatProblem(p)).toMatch(new RegExp(`^${p.file}:${p.line}:\\d+: `));
});

it('reports a mismatched end tag at its line', () => {
  const line = insertBeforeLastLine('pages/backups/index.wxml', '  <view><text>x</view></text>');
  expect(checkMiniprogram(tmp)).toEqual([problem({ by: 'wcc', file: 'pages/backups/index.wxml', line, message: 'expect end-tag `text`' })]);
});

it('reports a page of app.json missing from disk, a page missing one of its four files, an unresolved component and unparsable JSON', () => {
  const app = JSON.parse(fs.readFileSync(path.join(tmp, 'app.json'), 'utf8')) as { pages: string[] };
  app.pages.push('pages/missing/index');
  fs.writeFileSync(path.join(tmp, 'app.json'), JSON.stringify(app, null, 2) + '\n');
  const missingLine = 1 + 1 + app.pages.length; // `{`, `"pages": [`, then one page a line
  fs.rmSync(path.join(tmp, 'pages/backups/index.wxss'));
  fs.writeFileSync(path.join(tmp, 'pages/search/index.json'), '{\n  "usingComponents": {\n    "item-card": "../../components/item-card/index"\n  }\n}\n');
  fs.writeFileSync(path.join(tmp, 'pages/start/index.json'), '{\n  "navigationBarTitleText": "登录",\n}\n');

  const problems = checkMiniprogram(tmp);
  expect(problems).toEqual(expect.arrayContaining([
    problem({ by: 'app', file: 'app.json', line: missingLine, message: 'page "pages/missing/index" is missing pages/missing/index.ts/.js, pages/missing/index.wxml, pages/missing/index.wxss, pages/missing/index.json' }),
    problem({ by: 'app', file: 'app.json', message: 'page "pages/backups/index" is missing pages/backups/index.wxss' }),
    problem({ by: 'app', file: 'pages/search/index.json', line: 3, message: 'usingComponents "item-card": "../../components/item-card/index" does not resolve' }),
    // The trailing comma: a strict JSON reader stops at the closing brace on line 3.
    problem({ by: 'json', file: 'pages/start/index.json', line: 3, column: 1, message: 'JSON' }),
  ]));
  expect(problems).toHaveLength(4);
});

it('resolves components by relative and absolute path, and checks their own usingComponents', () => {
  const component = (dir: string, json: object) => {
    fs.mkdirSync(path.join(tmp, dir), { recursive: true });
    fs.writeFileSync(path.join(tmp, dir, 'index.json'), JSON.stringify({ component: true, ...json }, null, 2) + '\n');
    fs.writeFileSync(path.join(tmp, dir, 'index.wxml'), '<view class="badge"><slot /></view>\n');
    fs.writeFileSync(path.join(tmp, dir, 'index.wxss'), '.badge { color: #07c160; }\n');
    fs.writeFileSync(path.join(tmp, dir, 'index.ts'), 'Component({});\n');
  };
  component('components/badge', { usingComponents: { dot: '../dot/index' } });
  component('components/dot', {});
  fs.writeFileSync(path.join(tmp, 'pages/search/index.json'), JSON.stringify({ usingComponents: { badge: '../../components/badge/index', 'badge-abs': '/components/badge/index' } }));
  insertBeforeLastLine('pages/search/index.wxml', '  <badge>1</badge>');
  expect(checkMiniprogram(tmp).map((p) => formatProblem(p))).toEqual([]);

  fs.rmSync(path.join(tmp, 'components/dot/index.wxml'));
  expect(checkMiniprogram(tmp)).toEqual(expect.arrayContaining([problem({ by: 'app', file: 'components/badge/index.json', line: 4, message: 'usingComponents "dot": "../dot/index" does not resolve' })]));
});

describe('allow list for syntax the 2019/2020 binaries reject', () => {
  it('drops an allowed compiler message, and reports an entry that matches nothing', () => {
    const line = append('app.wxss', '.card:is(.a, .b) { color: red; }');
    expect(checkMiniprogram(tmp)).toEqual([problem({ by: 'wcsc', file: 'app.wxss', line, message: 'error at token `,`' })]);
    const allow = { by: 'wcsc' as const, file: 'app.wxss', includes: 'error at token `,`', why: 'selector list in :is(), accepted by current DevTools' };
    expect(checkMiniprogram(tmp, [allow])).toEqual([]);
    fs.cpSync(MINIPROGRAM, tmp, { recursive: true }); // the clean mini-program again
    expect(checkMiniprogram(tmp, [allow])).toEqual([problem({ by: 'wcsc', file: 'app.wxss', message: 'stale allow-list entry' })]);
  });
});
