// Renders the mini-program's pages with miniprogram-simulate against a running emulator.
//
// How the pages are loaded: miniprogram-simulate loads a page's .js/.wxml/.json from disk and runs
// the .js, which calls the global Component(). The pages are TypeScript, so compileMiniprogram()
// transpiles every miniprogram/**/*.ts file on its own with esbuild's transformSync (as the WeChat
// DevTools TypeScript plugin does: `import type` is erased, nothing of the server is bundled) into
// a temporary copy of miniprogram/ next to the .wxml/.wxss/.json files; simulate.load() then loads
// pages/<name>/index from there with `compiler: 'official'`: the templates the tests render are
// compiled by WeChat's own wcc (miniprogram-compiler's binary, the compiler DevTools uses), not by
// simulate's lenient JS compiler, so a page that WeChat would refuse fails here too. The root must be
// absolute (with a relative one the wrapper ignores page JSON). WXSS is still applied by simulate's
// own style handling (`official` covers templates only); wechat-compilers.test.ts runs wcsc over every
// .wxss and wcc over every .wxml as the guard.
//
// The DOM: miniprogram-simulate renders into a DOM. The suites keep Jest's node environment (the
// emulator, fetch and the real wx-server-sdk need it) and this module installs a jsdom window as
// the globals simulate and j-component read, before loading miniprogram-simulate.
//
// `wx`: a stand-in whose cloud.callFunction POSTs to the emulator's /functions/<name> as the test
// user (x-wx-openid), rejecting with { errCode, errMsg } on a non-2xx like the real SDK, and whose
// login() mints a real code at /_emulator/wechat/login-code. Its storage and network calls
// (wx.cloud.uploadFile/getTempFileURL, wx.request, wx.uploadFile) are in ./wx-storage.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { transformSync } from 'esbuild';
import { sdkFor, type TestEmulator } from '../support/emulator';
import { storageWx, type WxFiles } from './wx-storage';
import { grantBackdb as grantBackdbFeature } from '../support/backdb-permission';

const MINIPROGRAM = path.resolve(__dirname, '../../miniprogram');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { JSDOM } = require('jsdom') as { JSDOM: new (html: string, options?: Record<string, unknown>) => { window: Record<string, unknown> & { document: unknown } } };
const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { pretendToBeVisual: true, url: 'https://miniprogram.test/' });
const globals = globalThis as unknown as Record<string, unknown>;
for (const name of ['window', 'document', 'navigator', 'Node', 'Element', 'HTMLElement', 'Event', 'CustomEvent', 'TouchEvent', 'MouseEvent', 'getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame']) {
  globals[name] = name === 'window' ? dom.window : dom.window[name];
}

// Loaded after the DOM exists (it registers the built-in components and sets global.wx).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const simulate = require('miniprogram-simulate') as typeof import('miniprogram-simulate');

/** Transpiles miniprogram/ into a temporary folder; returns that folder (the mini-program root). */
export function compileMiniprogram(): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'miniprogram-test-'));
  const copy = (from: string, to: string) => {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      const source = path.join(from, entry.name);
      if (entry.isDirectory()) copy(source, path.join(to, entry.name));
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const { code } = transformSync(fs.readFileSync(source, 'utf8'), { loader: 'ts', format: 'cjs', target: 'es2020', sourcefile: source });
        fs.writeFileSync(path.join(to, entry.name.replace(/\.ts$/, '.js')), code);
      } else if (/\.(wxml|wxss|json)$/.test(entry.name) && entry.name !== 'tsconfig.json') fs.copyFileSync(source, path.join(to, entry.name));
    }
  };
  copy(MINIPROGRAM, out);
  return out;
}

export interface WxStandIn extends WxFiles {
  /** Whom the mini-program is signed in as. */
  openid: string;
  clipboard: string[];
  navigations: string[];
  /** Every callFunction made: function and handler names. */
  calls: Array<{ fn: string; name: unknown }>;
}

/** Installs the global `wx` stand-in (on top of simulate's own wx API) for the given emulator. */
export function installWx(emulator: TestEmulator, openid: string): WxStandIn {
  const state: WxStandIn = { openid, clipboard: [], navigations: [], calls: [], uploads: [], tempFiles: new Map() };
  const storage = storageWx(emulator.url, state);
  const post = async (pathname: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${emulator.url}${pathname}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body ?? {}) });
    // Parsed here, not by res.json(): fetch lives outside Jest's realm, and j-component copies
    // page data with `instanceof Array`, which a foreign realm's array fails.
    return { ok: res.ok, body: JSON.parse(await res.text()) as Record<string, unknown> };
  };
  const wx = globals.wx as Record<string, unknown>;
  Object.assign(wx, {
    request: storage.request,
    uploadFile: storage.uploadFile,
    login: async () => {
      const res = await post('/_emulator/wechat/login-code', { openid: state.openid });
      if (!res.ok) throw { errMsg: `login:fail ${String(res.body.error)}` };
      return { code: res.body.code as string, errMsg: 'login:ok' };
    },
    setClipboardData: async ({ data }: { data: string }) => {
      state.clipboard.push(data);
      return { errMsg: 'setClipboardData:ok' };
    },
    navigateTo: async ({ url }: { url: string }) => {
      state.navigations.push(url);
      return { errMsg: 'navigateTo:ok' };
    },
    cloud: {
      init: () => undefined,
      callFunction: async ({ name, data }: { name: string; data?: Record<string, unknown> }) => {
        state.calls.push({ fn: name, name: data?.name });
        const res = await post(`/functions/${name}`, data, { 'x-wx-openid': state.openid });
        if (!res.ok) throw { errCode: res.body.errCode, errMsg: res.body.errMsg };
        return { result: res.body.result, errMsg: 'cloud.callFunction:ok' };
      },
      ...storage.cloud,
    },
  });
  return state;
}

/** The real wx-server-sdk pointed at the emulator, to seed data (SCF_NAMESPACE as CloudBase sets it, or the SDK logs on every call). */
export function seedDatabase(emulator: TestEmulator) {
  process.env.SCF_NAMESPACE ??= emulator.context.envId;
  return sdkFor(emulator).database();
}

/** Grants the backdb feature to a (registered) user through the admin role, as an operator would. */
export const grantBackdb = (emulator: TestEmulator, openid: string): Promise<void> => grantBackdbFeature(emulator.context.store, openid);

export type Page = ReturnType<typeof simulate.render>;

/** Loads, renders and attaches a page (attached starts its first load). Fresh service modules each time. */
export function renderPage(root: string, page: 'start' | 'profile' | 'search' | 'backups'): Page {
  jest.resetModules();
  const id = simulate.load(path.join(root, 'pages', page, 'index'), { compiler: 'official', rootPath: root });
  const comp = simulate.render(id);
  comp.attach((globals.document as { createElement(tag: string): never }).createElement('parent-wrapper'));
  return comp;
}

/** Waits until the page's data satisfies the predicate (the page's calls are asynchronous). */
export async function until(page: Page, predicate: (data: Record<string, unknown>) => boolean, what = 'the page to settle', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate(page.data as Record<string, unknown>)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; data: ${JSON.stringify(page.data)}`);
    await simulate.sleep(10);
  }
  await simulate.sleep(0);
}

/** The rendered text of the first node matching the selector, or undefined when it is not rendered. */
export function text(page: Page, selector: string): string | undefined {
  const node = page.querySelector(selector);
  return node ? String((node.dom as unknown as { textContent: string }).textContent).replace(/\s+/g, ' ').trim() : undefined;
}

export function texts(page: Page, selector: string): string[] {
  return page.querySelectorAll(selector).map((n) => String((n.dom as unknown as { textContent: string }).textContent).trim());
}

export function exists(page: Page, selector: string): boolean {
  return Boolean(page.querySelector(selector));
}

/** Fires an event on the index-th node matching the selector (j-component delivers it on a later tick) and waits for that tick. */
export async function fire(page: Page, selector: string, event: string, detail?: Record<string, unknown>, index = 0): Promise<void> {
  const node = page.querySelectorAll(selector)[index];
  if (!node) throw new Error(`${selector} #${index} is not rendered; data: ${JSON.stringify(page.data)}`);
  node.dispatchEvent(event, detail === undefined ? {} : { detail });
  await simulate.sleep(0);
}

export const tap = (page: Page, selector: string, index = 0) => fire(page, selector, 'tap', undefined, index);
