import { localTarget, ensureLocalLogin, runTcb } from '../scripts/lib/tcb-cli';
(async () => {
  const url = 'http://127.0.0.1:18904';
  const t = await localTarget(url);
  await ensureLocalLogin(t);
  for (const args of [['fn', 'list', '-e', t.credentials.envId], ['env', 'list']]) {
    const env = { ...t.env, PROF_MATCH: 'bin/tcb', NODE_OPTIONS: process.env.PROF ? '--require /tmp/cpu/profhook.cjs' : '' };
    const r = await runTcb(args, env);
    console.log(args.join(' '), r.status, Math.round(r.ms), 'ms', r.output.slice(0, 200).replace(/\n/g, ' | '));
  }
})();
