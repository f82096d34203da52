// `npm run invoke -- <name> --params '<json>' [--openid X] [--url URL] [--tcb]`: call a function on
// a running emulator. Default: straight to POST /functions/<name> (fast; --openid calls as that
// mini-program user). --tcb: through the official `tcb fn invoke` and the emulator's cloud API
// (a server-side caller, as online; slower: the CLI takes seconds to start).
import { parseArgs } from 'node:util';
import { ensureLocalLogin, localTarget, runTcb } from './lib/tcb-cli';

const USAGE = 'usage: npm run invoke -- <function> --params \'{"name":"login"}\' [--openid o_x] [--url http://127.0.0.1:8090] [--tcb]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: { params: { type: 'string', default: '{}' }, openid: { type: 'string' }, url: { type: 'string', default: process.env.EMULATOR_URL ?? 'http://127.0.0.1:8090' }, tcb: { type: 'boolean', default: false } },
  });
  const [name] = positionals;
  if (!name) throw new Error(USAGE);
  JSON.parse(values.params as string);
  const url = (values.url as string).replace(/\/+$/, '');
  if (values.tcb) {
    if (values.openid) throw new Error('--openid cannot be used with --tcb: tcb fn invoke always calls as a server-side caller');
    const target = await localTarget(url);
    await ensureLocalLogin(target);
    const run = await runTcb(['fn', 'invoke', name, '-e', target.credentials.envId, '--params', values.params as string], target.env, { echo: true });
    if (run.status !== 0 || /✖/.test(run.output)) process.exit(run.status || 1);
    return;
  }
  const res = await fetch(`${url}/functions/${encodeURIComponent(name)}`, {
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
