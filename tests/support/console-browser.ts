// Debian's chromium (installed by .ci/run) driven by playwright-core for the console's tests: one
// browser and page per test file, page errors collected so each test can assert there were none.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CONSOLE_ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/console');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without the background-networking flags chromium keeps dialling Google's hosts, which this closed network refuses.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface ConsoleBrowser {
  browser: Browser;
  page: Page;
  pageErrors: string[];
}

/** `extraArgs`: more chromium flags, e.g. --host-resolver-rules to point a test name at 127.0.0.1. */
export async function openConsoleBrowser(extraArgs: string[] = []): Promise<ConsoleBrowser> {
  fs.mkdirSync(CONSOLE_ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  page.setDefaultTimeout(15_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return { browser, page, pageErrors };
}
