// `npm run invoke -- <name> --params '<json>' [--openid X] [--url http://127.0.0.1:8090]`:
// the local twin of `tcb fn invoke`, against a running emulator. With --openid the call is made as
// that mini-program user; without, as a server-side caller.
import { parseArgs } from 'node:util';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { params: { type: 'string', default: '{}' }, openid: { type: 'string' }, url: { type: 'string', default: process.env.EMULATOR_URL ?? 'http://127.0.0.1:8090' } },
  });
  const [name] = positionals;
  if (!name) throw new Error('usage: npm run invoke -- <function> --params \'{"name":"login"}\' [--openid o_x]');
  JSON.parse(values.params as string);
  const res = await fetch(`${values.url}/functions/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(values.openid ? { 'x-wx-openid': values.openid } : {}) },
    body: values.params,
  });
  const body = (await res.json()) as { result?: unknown; errMsg?: string };
  if (!res.ok) {
    console.error(body.errMsg ?? body);
    process.exit(1);
  }
  console.log(JSON.stringify(body.result, null, 2));
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
