// `npm run wechat-code -- login <openid>` | `npm run wechat-code -- phone <number>`: mint a
// wx.login code or a getPhoneNumber code from a running emulator's WeChat stand-in.
import { parseArgs } from 'node:util';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { url: { type: 'string', default: process.env.EMULATOR_URL ?? 'http://127.0.0.1:8090' } } });
  const [kind, value] = positionals;
  if ((kind !== 'login' && kind !== 'phone') || !value) throw new Error('usage: npm run wechat-code -- login <openid> | phone <number>');
  const res = await fetch(`${values.url}/_emulator/wechat/${kind}-code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(kind === 'login' ? { openid: value } : { phoneNumber: value }),
  });
  const body = (await res.json()) as { code?: string; error?: string };
  if (!res.ok || !body.code) throw new Error(body.error ?? `HTTP ${res.status}`);
  console.log(body.code);
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
