// `npm run invoke -- <name> --params '<json>' [--openid X] [--url URL] [--tcb]`: call a function on
// a running emulator. Default: straight to POST /functions/<name> (fast; --openid calls as that
// mini-program user). --tcb: through the official `tcb fn invoke` and the emulator's cloud API
// (a server-side caller, as online; slower: the CLI takes seconds to start).
import { ensureLocalLogin, localTarget, runTcb } from './lib/tcb-cli';
import { ScriptError, emulatorFetch, emulatorUrl, parseScriptArgs, runScript, usageError } from './lib/script-cli';

const USAGE = `usage: npm run invoke -- <function> [--params '<json>'] [--openid OPENID] [--url URL] [--tcb]

Calls a function of the running emulator and prints its result.

options:
  --params JSON  the event (default {}), e.g. '{"name":"login"}'
  --openid ID    call as this mini-program user (default: a server-side caller)
  --tcb          go through the official \`tcb fn invoke\` (server-side caller; slower)
  --url URL      the emulator (default: --url, $EMULATOR_URL, the address npm start recorded, or http://127.0.0.1:8090)
  -h, --help     show this help`;

runScript(async () => {
  const { values, positionals } = parseScriptArgs({ params: { type: 'string', default: '{}' }, openid: { type: 'string' }, url: { type: 'string' }, tcb: { type: 'boolean', default: false } }, USAGE);
  const [name, ...extra] = positionals;
  if (!name || extra.length) usageError('expected one function name', USAGE);
  const params = values.params ?? '{}';
  try {
    JSON.parse(params);
  } catch {
    usageError(`--params is not valid JSON: ${params}`, USAGE);
  }
  const url = emulatorUrl(values.url);
  if (values.tcb) {
    if (values.openid) usageError('--openid cannot be used with --tcb: tcb fn invoke always calls as a server-side caller', USAGE);
    const target = await localTarget(url);
    await ensureLocalLogin(target);
    const run = await runTcb(['fn', 'invoke', name, '-e', target.credentials.envId, '--params', params], target.env, { echo: true });
    if (run.status !== 0 || /✖/.test(run.output)) process.exit(run.status || 1);
    return;
  }
  const res = await emulatorFetch(url, `/functions/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(values.openid ? { 'x-wx-openid': values.openid } : {}) },
    body: params,
  });
  const body = (await res.json()) as { result?: unknown; errMsg?: string };
  if (!res.ok) throw new ScriptError(body.errMsg ?? JSON.stringify(body));
  console.log(JSON.stringify(body.result, null, 2));
});
