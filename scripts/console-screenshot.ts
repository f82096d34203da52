// `npm run screenshot`: retakes docs/console.png, the web console's Data screen on a fresh in-memory
// emulator with a few users made by logging in through common.login, in Debian's chromium
// (/usr/bin/chromium, or CHROMIUM_PATH) driven by playwright-core. Run `npm run build` first (the
// npm script does).
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startEmulator } from '../emulator/server';
import { runScript } from './lib/script-cli';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'docs/console.png');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

runScript(async () => {
  const emulator = await startEmulator({ port: 0, inMemory: true, scheduleTimers: false, printLogs: false, functionsDirs: [path.join(ROOT, 'dist/functions')] });
  try {
    for (const openid of ['o_alice', 'o_bob', 'o_carol']) {
      const res = await fetch(`${emulator.url}/functions/common`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-wx-openid': openid }, body: JSON.stringify({ name: 'login' }) });
      if (!res.ok) throw new Error(`common.login for ${openid} answered ${res.status}: run npm run build first`);
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1640, height: 560 } });
      await page.goto(`${emulator.url}/_/#/data/users`);
      await page.getByLabel('Page range').filter({ hasText: 'of 3' }).waitFor({ timeout: 30_000 });
      await page.screenshot({ path: OUT });
    } finally {
      await browser.close();
    }
    console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
  } finally {
    await emulator.close();
  }
});
