// `npm run fire -- <function> <trigger> [--url ...]`: fire a timer trigger of a running emulator now.
import { parseArgs } from 'node:util';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { url: { type: 'string', default: process.env.EMULATOR_URL ?? 'http://127.0.0.1:8090' } } });
  const [fn, trigger] = positionals;
  if (!fn || !trigger) throw new Error('usage: npm run fire -- backdb weeklyBackup');
  const res = await fetch(`${values.url}/_emulator/functions/${encodeURIComponent(fn)}/triggers/${encodeURIComponent(trigger)}/fire`, { method: 'POST' });
  console.log(JSON.stringify(await res.json(), null, 2));
  if (!res.ok) process.exit(1);
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
