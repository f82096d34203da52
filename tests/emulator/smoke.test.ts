import { sdkFor, startTestEmulator, type TestEmulator } from '../support/emulator';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

it('runs a function that writes through the real SDK and reads the write back', async () => {
  const cloud = sdkFor(emulator);
  await cloud.database().createCollection('probe');
  const res = await emulator.callFunction<{ value: number; at: string }>('probe', { name: 'write', data: { value: 7 } });
  expect(res.status).toBe(200);
  expect(res.body.result?.value).toBe(7);
  const { data } = (await cloud.database().collection('probe').where({ value: 7 }).get()) as { data: Array<Record<string, unknown>> };
  expect(data).toHaveLength(1);
  expect(data[0].at).toBeInstanceOf(Date);
});
