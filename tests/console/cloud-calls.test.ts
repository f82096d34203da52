// The console's Cloud calls screen in Debian's chromium: register a subscription template and a
// user's grant from the page, send a message with the real wx-server-sdk (cloud.openapi
// subscribeMessage.send), see it in the outbox; add a content-security word from the page and see
// msgSecCheck use it; and the call itself on the Logs screen. Saves a screenshot to test-artifacts/console/.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CONSOLE_ARTIFACTS, openConsoleBrowser } from '../support/console-browser';
import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

jest.setTimeout(90_000);

type OpenApi = Record<string, Record<string, (data: Record<string, unknown>) => Promise<Record<string, unknown>>>>;

let emulator: TestEmulator;
let browser: Browser;
let page: Page;
let pageErrors: string[] = [];
let openapi: OpenApi;

beforeAll(async () => {
  emulator = await startTestEmulator();
  openapi = sdkFor(emulator).openapi as unknown as OpenApi;
  ({ browser, page, pageErrors } = await openConsoleBrowser());
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});
afterEach(() => expect(pageErrors).toEqual([]));

const open = async (hash: string) => {
  await page.goto('about:blank');
  await page.goto(`${emulator.url}/_/${hash}`);
  await page.getByRole('region', { name: 'Cloud calls' }).or(page.getByRole('region', { name: 'Logs' })).waitFor();
};

it('registers a template and a grant, and shows the message the SDK sent in the outbox', async () => {
  await open('#/cloud-calls');
  const templates = page.getByRole('form', { name: 'Register template' });
  await templates.getByLabel('Template id', { exact: true }).fill('TPL_CONSOLE');
  await templates.getByLabel('Template title', { exact: true }).fill('Booking confirmed');
  await templates.getByLabel('Keyword keys', { exact: true }).fill('thing1, date2');
  await templates.getByRole('button', { name: 'Register' }).click();
  await templates.getByText('TPL_CONSOLE').waitFor();

  const grant = page.getByRole('form', { name: 'Grant subscription' });
  await grant.getByLabel('Subscriber openid', { exact: true }).fill('o_console_user');
  await grant.getByLabel('Subscription template', { exact: true }).selectOption('TPL_CONSOLE');
  await grant.getByRole('button', { name: 'Grant' }).click();
  await grant.getByText('× 1').waitFor();

  const sent = await openapi.subscribeMessage!.send!({ touser: 'o_console_user', templateId: 'TPL_CONSOLE', page: 'pages/booking/index', data: { thing1: { value: 'Table for two' }, date2: { value: '2026-12-24' } } });
  expect(sent.errCode).toBe(0);
  const outbox = page.getByRole('table', { name: 'Outbox' });
  await outbox.getByText('Table for two').waitFor();
  await expect(outbox.locator('tbody tr').first().textContent()).resolves.toMatch(/o_console_user.*Booking confirmed.*pages\/booking\/index/);
  await page.screenshot({ path: path.join(CONSOLE_ARTIFACTS, 'cloud-calls.png'), fullPage: true });
});

it('adds a content-security word that msgSecCheck then rates', async () => {
  await open('#/cloud-calls');
  const words = page.getByRole('form', { name: 'Content security words' });
  await words.getByLabel('Word', { exact: true }).fill('console-banned');
  await words.getByLabel('Suggest', { exact: true }).selectOption('review');
  await words.getByLabel('Label', { exact: true }).selectOption('20008');
  await words.getByRole('button', { name: 'Add' }).click();
  await words.getByRole('table', { name: 'Words' }).getByText('console-banned').waitFor();
  const res = await openapi.security!.msgSecCheck!({ openid: 'o_console_user', scene: 1, version: 2, content: 'CONSOLE-BANNED text' });
  expect(res.result).toEqual({ suggest: 'review', label: 20008 });
});

it('lists cloud calls on the Logs screen with the API and outcome', async () => {
  await open('#/logs');
  await openapi.nosuch!.thing!({}).catch(() => undefined);
  const line = page.locator('li.log-line[data-function="openapi"]').filter({ hasText: 'openapi.nosuch.thing' });
  await line.waitFor();
  await expect(line.getAttribute('data-outcome')).resolves.toBe('error');
});
