// `npm run fire -- <function> <trigger> [--url URL]`: fire a timer trigger of a running emulator now.
import { emulatorFetch, emulatorUrl, parseScriptArgs, runScript, usageError } from './lib/script-cli';

const USAGE = `usage: npm run fire -- <function> <trigger> [--url URL]

Fires a timer trigger of the running emulator now, as its schedule would (e.g. backdb weeklyBackup).

options:
  --url URL      the emulator (default: --url, $EMULATOR_URL, the address npm start recorded, or http://127.0.0.1:8090)
  -h, --help     show this help`;

runScript(async () => {
  const { values, positionals } = parseScriptArgs({ url: { type: 'string' } }, USAGE);
  const [fn, trigger, ...extra] = positionals;
  if (!fn || !trigger || extra.length) usageError('expected a function and a trigger name', USAGE);
  const res = await emulatorFetch(emulatorUrl(values.url), `/_emulator/functions/${encodeURIComponent(fn)}/triggers/${encodeURIComponent(trigger)}/fire`, { method: 'POST' });
  console.log(JSON.stringify(await res.json(), null, 2));
  if (!res.ok) process.exit(1);
});
