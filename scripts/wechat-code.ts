// `npm run wechat-code -- login <openid>` | `npm run wechat-code -- phone <number>`: mint a
// wx.login code or a getPhoneNumber code from a running emulator's WeChat stand-in.
import { ScriptError, emulatorFetch, emulatorUrl, parseScriptArgs, runScript, usageError } from './lib/script-cli';

const USAGE = `usage: npm run wechat-code -- login <openid> | phone <number> [--url URL]

Mints a code from the emulator's WeChat stand-in: a wx.login code for an openid, or a
getPhoneNumber code for a phone number. Prints the code.

options:
  --url URL      the emulator (default: --url, $EMULATOR_URL, the address npm start recorded, or http://127.0.0.1:8090)
  -h, --help     show this help`;

runScript(async () => {
  const { values, positionals } = parseScriptArgs({ url: { type: 'string' } }, USAGE);
  const [kind, value, ...extra] = positionals;
  if ((kind !== 'login' && kind !== 'phone') || !value || extra.length) usageError('expected `login <openid>` or `phone <number>`', USAGE);
  const res = await emulatorFetch(emulatorUrl(values.url), `/_emulator/wechat/${kind}-code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(kind === 'login' ? { openid: value } : { phoneNumber: value }),
  });
  const body = (await res.json()) as { code?: string; error?: string; message?: string };
  if (!res.ok || !body.code) throw new ScriptError(body.message ?? body.error ?? `the emulator answered HTTP ${res.status}`);
  console.log(body.code);
});
