// DNS rebinding: an attacker's page on evil.example has its name re-pointed at 127.0.0.1, and its
// scripts then read the emulator as their own origin; the Host header is the only trace of the
// attacker's name. Every route refuses a Host that is not the emulator's own with 421 Misdirected
// Request (RFC 9110 §15.5.20) before it does anything, and keeps answering loopback literals,
// localhost, and names given with --allow-host (see docs/security.md). The host names below are the
// ones the outside review used (issue 26: evil.example, localhost.evil.example, 127.0.0.1.nip.io).
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import { createHostCheck } from '../../../emulator/http/host-check';
import { rawRequest } from '../../support/raw-http';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { EVERY_ROUTE } from './routes';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ allowHosts: ['devbox.lan'] });
});
afterAll(() => emulator.close());

const send = (method: string, target: string, host: string) =>
  rawRequest(emulator.port, { method, target, headers: [['Host', host], ['Content-Type', 'application/json']], body: method === 'GET' ? undefined : '{}', timeoutMs: 5_000 });

const FOREIGN = ['evil.example', 'localhost.evil.example', '127.0.0.1.nip.io', '127.0.0.1.evil.example', 'devbox.lan.evil.example', 'localhost@evil.example'];

it.each(FOREIGN)('refuses every route for Host %s with 421 before the route runs', async (name) => {
  const writesBefore = emulator.context.store.writeCount;
  for (const [method, target] of EVERY_ROUTE) {
    const answer = await send(method, target, `${name}:${emulator.port}`);
    expect([method, target, answer === 'no answer' ? answer : answer.status]).toEqual([method, target, 421]);
  }
  expect(emulator.context.store.writeCount).toBe(writesBefore);
});

it('refuses a foreign Host without a port too', async () => {
  const answer = await send('GET', '/_emulator/cloud-credentials', 'evil.example');
  expect(answer !== 'no answer' && answer.status).toBe(421);
});

it.each(['127.0.0.1', 'localhost', '[::1]', 'LOCALHOST', 'devbox.lan'])('serves Host %s (loopback literals, localhost, --allow-host)', async (name) => {
  const answer = await send('GET', '/_emulator/cloud-credentials', `${name}:${emulator.port}`);
  expect(answer !== 'no answer' && answer.status).toBe(200);
});

it("bound to every interface (--host 0.0.0.0), serves the machine's own addresses (a phone on the LAN) and still refuses names", () => {
  const check = createHostCheck('0.0.0.0');
  const request = (host: string) => ({ headers: { host } }) as IncomingMessage;
  const lan = Object.values(os.networkInterfaces()).flatMap((l) => l ?? []).find((i) => i.family === 'IPv4' && !i.internal);
  if (lan) expect(check.refusal(request(`${lan.address}:8090`))).toBeUndefined();
  expect(check.refusal(request('0.0.0.0:8090'))).toBeUndefined();
  expect(check.refusal(request('evil.example:8090'))).toMatch(/--allow-host/);
  expect(createHostCheck('127.0.0.1').refusal(request(`${lan?.address ?? '192.0.2.1'}:8090`))).toMatch(/--allow-host/);
});
