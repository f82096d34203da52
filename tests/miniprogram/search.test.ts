// pages/search rendered with miniprogram-simulate against the emulator (see ./harness.ts).
import fs from 'node:fs';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { compileMiniprogram, exists, fire, installWx, renderPage, tap, text, texts, until, type Page, type WxStandIn } from './harness';

let emulator: TestEmulator;
let root: string;
beforeAll(async () => {
  emulator = await startTestEmulator();
  root = compileMiniprogram();
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function openSearch(openid: string): Promise<{ page: Page; wx: WxStandIn }> {
  const wx = installWx(emulator, openid);
  const page = renderPage(root, 'search');
  await until(page, (d) => d.loading === false);
  return { page, wx };
}

const idle = (d: Record<string, unknown>) => d.busy === false;

async function search(page: Page, query: string): Promise<void> {
  await fire(page, '#query', 'input', { value: query });
  await tap(page, '#search');
  await until(page, idle, `the search for ${query}`);
}

describe('pages/search', () => {
  it('signs a first-time user in and shows an empty history', async () => {
    const wx = installWx(emulator, 'o_mp_search_new');
    const page = renderPage(root, 'search');
    expect(text(page, '#loading')).toBe('加载中…');
    await until(page, (d) => d.loading === false);
    expect(text(page, '#error')).toBeUndefined();
    expect(text(page, '#empty')).toBe('暂无搜索记录');
    expect(exists(page, '#clear')).toBe(false);
    expect(wx.calls).toEqual([{ fn: 'common', name: 'login' }, { fn: 'user', name: 'getHistory' }]);
  });

  it('adds every search to the history, most recent first, a repeated search moving to the top', async () => {
    const { page, wx } = await openSearch('o_mp_search_a');
    await search(page, 'apple');
    await search(page, ' banana ');
    expect(texts(page, '.history-item')).toEqual(['banana', 'apple']);
    expect(text(page, '#last-search')).toBe('已搜索：banana');
    await search(page, 'apple');
    expect(texts(page, '.history-item')).toEqual(['apple', 'banana']);
    // Confirming from the keyboard searches too.
    await fire(page, '#query', 'input', { value: 'cherry' });
    await fire(page, '#query', 'confirm', { value: 'cherry' });
    await until(page, (d) => idle(d) && (d.history as string[])[0] === 'cherry', 'the confirmed search');
    expect(texts(page, '.history-item')).toEqual(['cherry', 'apple', 'banana']);
    expect(wx.calls.filter((c) => c.name === 'addHistory')).toHaveLength(4);

    // Tapping an entry searches it again.
    await tap(page, '.history-item', 2);
    await until(page, (d) => idle(d) && (d.history as string[])[0] === 'banana', 'the picked search');
    expect(texts(page, '.history-item')).toEqual(['banana', 'cherry', 'apple']);

    // The history is the user's: opened again, the page lists it.
    const { page: again } = await openSearch('o_mp_search_a');
    expect(texts(again, '.history-item')).toEqual(['banana', 'cherry', 'apple']);
  });

  it('ignores an empty search', async () => {
    const { page, wx } = await openSearch('o_mp_search_empty');
    await search(page, '   ');
    expect(text(page, '#empty')).toBe('暂无搜索记录');
    expect(wx.calls.some((c) => c.name === 'addHistory')).toBe(false);
  });

  it('clears the history', async () => {
    const { page, wx } = await openSearch('o_mp_search_clear');
    await search(page, 'one');
    await search(page, 'two');
    await tap(page, '#clear');
    await until(page, idle, 'the clear');
    expect(text(page, '#empty')).toBe('暂无搜索记录');
    expect(texts(page, '.history-item')).toEqual([]);
    expect(wx.calls.at(-1)).toEqual({ fn: 'user', name: 'cleanHistory' });
    const { page: again } = await openSearch('o_mp_search_clear');
    expect(text(again, '#empty')).toBe('暂无搜索记录');
  });

  it("shows the function's message when a search is refused, keeping the history", async () => {
    const { page } = await openSearch('o_mp_search_long');
    await search(page, 'kept');
    await search(page, 'x'.repeat(101));
    expect(text(page, '#error')).toBe('hist must be at most 100 characters');
    expect(texts(page, '.history-item')).toEqual(['kept']);
    // The next search clears the error.
    await search(page, 'fine');
    expect(text(page, '#error')).toBeUndefined();
    expect(texts(page, '.history-item')).toEqual(['fine', 'kept']);
  });
});
