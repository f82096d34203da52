// The web console at /_/, driven in Debian's chromium through playwright-core: browse and edit
// data (checked through the real wx-server-sdk), inline errors that change nothing, invoking a
// function and watching its log line arrive live, firing a timer, the backups it makes, and
// minting a login code used with the real WeChat login API. Saves a screenshot of each screen to
// test-artifacts/console/ and, with UPDATE_DOCS_SCREENSHOT=1, the Data screen to docs/console.png. A browser that cannot start
// fails the suite.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CONSOLE_ARTIFACTS, openConsoleBrowser } from '../support/console-browser';
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '../..');
const ARTIFACTS = CONSOLE_ARTIFACTS;
const ITEMS = 'console_items';

let emulator: TestEmulator;
let browser: Browser;
let page: Page;
let pageErrors: string[] = [];

type Row = Record<string, unknown> & { _id: string };
const items = () => sdkFor(emulator).database().collection(ITEMS);
const itemsWhere = async (query: Record<string, unknown>): Promise<Row[]> => ((await items().where(query).get()) as { data: Row[] }).data;
const itemCount = async (): Promise<number> => ((await items().count()) as { total: number }).total;
const writes = () => emulator.context.store.writeCount;

/** A fresh load of the console on a screen (a hash-only change would keep the page's state). */
const open = async (p: Page, hash: string) => {
  await p.goto('about:blank');
  await p.goto(`${emulator.url}/_/${hash}`);
  await p.getByRole('note').filter({ hasText: 'For local use only' }).waitFor();
};
const shot = async (name: string) => {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
};
const alert = (p: Page, text: string | RegExp) => p.getByRole('alert').filter({ hasText: text });
const tableRows = (p: Page) => p.locator('table.documents tbody tr');

beforeAll(async () => {
  emulator = await startTestEmulator({ exportJobDelayMs: 50 });
  const db = sdkFor(emulator).database();
  await db.createCollection(ITEMS);
  for (let n = 1; n <= 25; n++) await db.collection(ITEMS).add({ data: { n, label: `item ${n}`, at: new Date(Date.UTC(2024, 0, n)) } });
  ({ browser, page, pageErrors } = await openConsoleBrowser());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

afterEach(() => expect(pageErrors).toEqual([]));

describe('console page', () => {
  it('is served locally with its bundle and says it is for local use on 127.0.0.1', async () => {
    const js = await fetch(`${emulator.url}/_/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    await open(page, '#/data');
    const banner = await page.getByRole('note').innerText();
    expect(banner).toMatch(/For local use only/);
    expect(banner).toMatch(/bound to 127\.0\.0\.1/);
  });

  it('opens on the Data screen at /_/ exactly, with no hash (issue 11 item 8)', async () => {
    await page.goto('about:blank');
    await page.goto(`${emulator.url}/_/`);
    await page.getByRole('note').filter({ hasText: 'For local use only' }).waitFor();
    await page.locator(`a[data-collection="${ITEMS}"]`).waitFor();
    expect(await page.getByRole('navigation', { name: 'Screens' }).locator('[aria-current="page"]').innerText()).toBe('Data');
    expect(await page.getByText('Unknown screen').count()).toBe(0);
  });
});

describe('Data', () => {
  it('lists collections with counts and unique indexes, and pages and filters a collection', async () => {
    await open(page, '#/data');
    await page.locator('a[data-collection="users"]').waitFor();
    expect(await page.locator('li', { has: page.locator('a[data-collection="users"]') }).innerText()).toMatch(/unique: openid, id/);
    const link = page.locator(`a[data-collection="${ITEMS}"]`);
    await link.locator('.count').filter({ hasText: /^25$/ }).waitFor();
    await link.click();
    await page.getByLabel('Page range').filter({ hasText: '1–20 of 25' }).waitFor();
    expect(await tableRows(page).count()).toBe(20);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Page range').filter({ hasText: '21–25 of 25' }).waitFor();
    await page.getByLabel('Filter', { exact: true }).fill('{"n": {"$gt": 22}, "at": {"$lt": {"$date": "2024-01-25T00:00:00Z"}}}');
    await page.getByLabel('Sort', { exact: true }).fill('{"n": -1}');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByLabel('Page range').filter({ hasText: '1–2 of 2' }).waitFor();
    expect(await tableRows(page).locator('td:nth-child(2)').allInnerTexts()).toEqual(['24', '23']);
    await shot('data');
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
      fs.copyFileSync(path.join(ARTIFACTS, 'data.png'), path.join(ROOT, 'docs/console.png'));
    }
  });

  it('adds a document and edits it, and the SDK sees both with their types', async () => {
    await open(page, `#/data/${ITEMS}`);
    await page.getByRole('button', { name: 'Add document' }).click();
    await page.getByRole('textbox', { name: 'Document JSON' }).fill('{"n": 100, "label": "from the console", "at": {"$date": "2024-02-03T04:05:06Z"}, "tags": ["a"]}');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('region', { name: 'New document' }).waitFor({ state: 'detached' });
    const [added] = await itemsWhere({ n: 100 });
    expect(added).toMatchObject({ label: 'from the console', tags: ['a'] });
    expect(added?.at).toBeInstanceOf(Date);
    expect((added?.at as Date).toISOString()).toBe('2024-02-03T04:05:06.000Z');
    // The sidebar refreshes its counts after the save; wait for it rather than read it at once.
    await page.locator(`a[data-collection="${ITEMS}"] .count`).filter({ hasText: /^26$/ }).waitFor();

    await page.getByLabel('Filter', { exact: true }).fill('{"n": 100}');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByLabel('Page range').filter({ hasText: '1–1 of 1' }).waitFor();
    await tableRows(page).getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('textbox', { name: 'Document JSON' });
    const current = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
    expect(current).toEqual({ _id: added?._id, n: 100, label: 'from the console', at: { $date: '2024-02-03T04:05:06Z' }, tags: ['a'] });
    await editor.fill(JSON.stringify({ ...current, label: 'edited in the console', tags: ['a', 'b'] }, null, 2));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('region', { name: 'Edit document' }).waitFor({ state: 'detached' });
    const [edited] = await itemsWhere({ n: 100 });
    expect(edited).toMatchObject({ _id: added?._id, label: 'edited in the console', tags: ['a', 'b'] });
    expect(edited?.at).toBeInstanceOf(Date);
    await tableRows(page).filter({ hasText: 'edited in the console' }).waitFor();

    await tableRows(page).getByRole('button', { name: 'View' }).click();
    expect(await page.getByRole('region', { name: 'Document' }).innerText()).toMatch(/edited in the console/);
  });

  it('shows invalid JSON, a bad filter and a rejected save inline and changes nothing', async () => {
    await open(page, `#/data/${ITEMS}`);
    await page.getByLabel('Page range').filter({ hasText: 'of 26' }).waitFor();
    const writesBefore = writes();
    const countBefore = await itemCount();

    await page.getByRole('button', { name: 'Add document' }).click();
    await page.getByRole('textbox', { name: 'Document JSON' }).fill('{"n": 200, "label": ');
    await page.getByRole('button', { name: 'Save' }).click();
    await alert(page, /document is not valid JSON/).waitFor();
    await page.getByRole('textbox', { name: 'Document JSON' }).fill('[1, 2]');
    await page.getByRole('button', { name: 'Save' }).click();
    await alert(page, 'document must be a JSON object').waitFor();
    await page.getByRole('textbox', { name: 'Document JSON' }).fill('{"$set": {"n": 200}}');
    await page.getByRole('button', { name: 'Save' }).click();
    await alert(page, /DATABASE_INVALID_OPERRATOR|\$/).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByLabel('Filter', { exact: true }).fill('{n: 1}');
    await page.getByRole('button', { name: 'Apply' }).click();
    await alert(page, /filter is not valid JSON/).waitFor();
    await page.getByLabel('Filter', { exact: true }).fill('{"n": {"$where": "1"}}');
    await page.getByRole('button', { name: 'Apply' }).click();
    await alert(page, /DATABASE_INVALID_OPERRATOR: query operator \$where is not supported/).waitFor();
    expect(await page.getByLabel('Page range').innerText()).toMatch(/of 26/);

    await page.getByLabel('Filter', { exact: true }).fill('{"n": 1}');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByLabel('Page range').filter({ hasText: '1–1 of 1' }).waitFor();
    await tableRows(page).getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('textbox', { name: 'Document JSON' });
    const doc = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
    await editor.fill(JSON.stringify({ ...doc, _id: 'another-id' }));
    await page.getByRole('button', { name: 'Save' }).click();
    await alert(page, 'the _id field cannot be changed').waitFor();

    expect(writes()).toBe(writesBefore);
    expect(await itemCount()).toBe(countBefore);
    expect((await itemsWhere({ n: 1 }))[0]).toMatchObject({ label: 'item 1' });
  });

  it('deletes a document after a confirmation', async () => {
    await open(page, `#/data/${ITEMS}`);
    await page.getByLabel('Filter', { exact: true }).fill('{"n": 2}');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByLabel('Page range').filter({ hasText: '1–1 of 1' }).waitFor();
    await tableRows(page).getByRole('button', { name: 'Delete' }).click();
    await tableRows(page).getByRole('button', { name: 'Confirm delete' }).click();
    await page.getByLabel('Page range').filter({ hasText: 'no documents match' }).waitFor();
    expect(await itemsWhere({ n: 2 })).toEqual([]);
  });
});

describe('Functions and Logs', () => {
  it('invokes common.login as a user and the log line arrives live on the Logs screen', async () => {
    const logs = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    logs.setDefaultTimeout(15_000);
    logs.on('pageerror', (err) => pageErrors.push(err.message));
    try {
      await open(logs, '#/logs');
      await logs.getByLabel('Stream status').filter({ hasText: 'live' }).waitFor();

      await open(page, '#/functions');
      await page.getByRole('button', { name: 'common', exact: true }).click();
      expect(await page.getByLabel('Handlers').innerText()).toMatch(/login\s*auth\s*setUserInfo/);
      // cloudbaserc.json declares common on Nodejs20.19; its instances run on that Node.js, in processes.
      expect(await page.getByLabel('Runtime').innerText()).toMatch(/^Nodejs20\.19 · Node\.js 20\.19\.0 \(a process per instance\)/);
      await page.getByLabel('Handlers').getByRole('button', { name: 'login' }).click();
      expect(JSON.parse(await page.getByRole('textbox', { name: 'Event JSON' }).inputValue())).toEqual({ name: 'login' });
      await page.getByLabel('Caller').selectOption('user');
      await page.getByLabel('Simulated openid').fill('o_console_user');
      await page.getByRole('button', { name: 'Invoke' }).click();
      const result = page.getByRole('region', { name: 'Invocation result' });
      await result.waitFor();
      expect(await result.innerText()).toMatch(/"openid": "o_console_user"/);
      const apiText = await result.getByLabel('CloudBase API calls').innerText();
      expect(Number(/API calls: (\d+)/.exec(apiText)?.[1])).toBeGreaterThan(0);
      await shot('functions');

      const line = logs.locator('li.log-line[data-function="common"]').filter({ hasText: 'user:o_console_user' });
      await line.waitFor();
      expect(await line.innerText()).toMatch(/common\.login[\s\S]*ok/);
      await line.getByRole('button').click();
      expect(await line.getByLabel('Event').innerText()).toMatch(/"name": "login"/);
      expect(await line.innerText()).toMatch(/answered HTTP 200[\s\S]*[1-9]\d* CloudBase API calls/);

      await page.getByRole('textbox', { name: 'Event JSON' }).fill('{"name": "login"');
      await page.getByRole('button', { name: 'Invoke' }).click();
      await alert(page, /event is not valid JSON/).waitFor();
      await page.getByRole('textbox', { name: 'Event JSON' }).fill('{"name": "login"}');
      await page.getByLabel('Caller').selectOption('server');
      await page.getByRole('button', { name: 'Invoke' }).click();
      await result.filter({ hasText: /FORBIDDEN/ }).waitFor();
      // A CloudBase web user (anonymous login) gets nothing from this backend (shared/router/caller.ts).
      await page.getByLabel('Caller').selectOption('webAnonymous');
      await page.getByLabel('Web user id').fill('uid_console_web');
      await page.getByRole('button', { name: 'Invoke' }).click();
      await result.filter({ hasText: /web:uid_console_web \(anonymous\)/ }).waitFor();
      expect(await result.innerText()).toMatch(/FORBIDDEN: login may not be called by a CloudBase web user/);
      await logs.locator('li.log-line[data-outcome="error"]').filter({ hasText: 'tcb_cli' }).waitFor();
      await logs.getByLabel('Outcome filter').selectOption('error');
      await line.waitFor({ state: 'detached' });
      await logs.getByLabel('Outcome filter').selectOption('');
      await logs.getByLabel('Function filter').selectOption('common');
      await line.waitFor();
      await logs.screenshot({ path: path.join(ARTIFACTS, 'logs.png'), fullPage: true });
    } finally {
      await logs.close();
    }
  });
});

describe('Timers and Backups', () => {
  it('fires backdb weeklyBackup from the Timers screen and lists its export jobs with download links', async () => {
    await open(page, '#/timers');
    const row = page.locator('tr[data-trigger="backdb/weeklyBackup"]');
    await row.waitFor();
    expect(await row.innerText()).toMatch(/0 0 4 \* \* 1 \*/);
    expect(await row.innerText()).toMatch(/\d{4}-\d{2}-\d{2}T20:00:00\.000Z/); // Monday 04:00 Beijing
    await row.getByRole('button', { name: 'Fire now' }).click();
    const outcome = page.getByRole('status', { name: 'Outcome of backdb/weeklyBackup' });
    await outcome.waitFor();
    expect(await outcome.locator('strong').innerText()).toBe('ok');
    await outcome.getByText('result').click();
    expect(await outcome.innerText()).toMatch(/"collection": "console_items"/);
    await shot('timers');

    await open(page, '#/backups');
    const job = page.locator('tr[data-job]').filter({ hasText: ITEMS });
    await job.filter({ hasText: 'success' }).waitFor();
    expect(await job.innerText()).toMatch(/25/); // 26 added, 1 deleted
    const href = await job.getByRole('link', { name: 'download' }).getAttribute('href');
    const file = await fetch(href as string);
    expect(file.status).toBe(200);
    expect((await file.text()).trim().split('\n')).toHaveLength(25);
    await shot('backups');
  });
});

describe('WeChat stand-in', () => {
  it('mints a login code that the WeChat login API accepts, a phone code, and lists issued tokens masked', async () => {
    await open(page, '#/wechat');
    await page.getByLabel('openid', { exact: true }).fill('o_console_wx');
    await page.getByRole('button', { name: 'Mint login code' }).click();
    const code = await page.getByLabel('openid code').innerText();
    expect(code).toMatch(/^wxcode_/);
    const login = await fetch(`${emulator.url}/pb/api/wechat/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ users_wx_code: code }) });
    expect(login.status).toBe(200);
    expect(await login.json()).toMatchObject({ code: 200, data: { user: expect.anything() } });
    expect((await itemsWhereUsers('o_console_wx')).length).toBe(1);

    await page.getByLabel('Phone number', { exact: true }).fill('not a number');
    await page.getByRole('button', { name: 'Mint phone code' }).click();
    await alert(page, 'phoneNumber must be digits').waitFor();
    await page.getByLabel('Phone number', { exact: true }).fill('13800138000');
    await page.getByRole('button', { name: 'Mint phone code' }).click();
    expect(await page.getByLabel('Phone number code').innerText()).toMatch(/^phonecode_/);

    // The backup above made the functions fetch an access token; the screen shows it masked.
    const token = page.getByRole('table', { name: 'Access tokens' }).locator('tbody tr').first();
    await token.waitFor();
    const text = await token.innerText();
    expect(text).toMatch(/AT_\w+…/);
    const issued = [...emulator.context.wechat.tokens.keys()];
    expect(issued.some((t) => text.includes(t))).toBe(false);
    await shot('wechat');
  });
});

describe('Deployment history', () => {
  it('shows the build a function is served from, and each deploy through the cloud API (as tcb fn deploy makes)', async () => {
    const { cloudApi } = await import('../support/cloud-api-client');
    const { strToU8, zipSync } = await import('fflate');
    const ca = await (await fetch(`${emulator.url}/_emulator/tls/ca.pem`)).text();
    const api = cloudApi(emulator.url, ca, { secretId: emulator.secrets.cloudSecretId, secretKey: emulator.secrets.cloudSecretKey });
    const zip = Buffer.from(zipSync({ 'index.js': strToU8('exports.main = async () => "deployed";') }));
    const answer = await api('scf', 'CreateFunction', { FunctionName: 'consoleDeployed', Namespace: emulator.context.envId, Handler: 'index.main', Code: { ZipFile: zip.toString('base64') } });
    expect(answer.Response.Error).toBeUndefined();

    await open(page, '#/functions');
    await page.getByRole('button', { name: 'consoleDeployed', exact: true }).click();
    const rows = page.getByRole('table', { name: 'Deployments' }).locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toMatch(/tcb deploy\s+CreateFunction\s+\d+ KiB/);
    await page.getByRole('button', { name: 'common', exact: true }).click();
    expect(await page.getByRole('table', { name: 'Deployments' }).locator('tbody tr').first().innerText()).toMatch(/build\s+build\s+\d+ KiB/);
    await shot('functions-deployments');
  });
});

async function itemsWhereUsers(openid: string): Promise<Row[]> {
  return ((await sdkFor(emulator).database().collection('users').where({ openid }).get()) as { data: Row[] }).data;
}
