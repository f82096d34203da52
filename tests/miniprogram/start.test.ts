import fs from 'node:fs';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { compileMiniprogram, installWx, renderPage, text, until } from './harness';

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

it('signs in', async () => {
  installWx(emulator, 'o_mp_start_a');
  const page = renderPage(root, 'start');
  await until(page, (d) => d.loading === false);
  console.log(JSON.stringify(page.data), page.dom.outerHTML);
  expect(text(page, '#openid')).toBe('o_mp_start_a');
});
